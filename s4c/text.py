"""Arabic-aware text normalisation, applied identically to indexed documents and to queries."""

import re
import unicodedata

# Fathatan … sukun, superscript alef, Quranic marks; tatweel.
_TASHKEEL = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_FOLD = str.maketrans(
    {
        "\u0623": "\u0627",  # أ → ا
        "\u0625": "\u0627",  # إ → ا
        "\u0622": "\u0627",  # آ → ا
        "\u0671": "\u0627",  # ٱ → ا
        "\u0629": "\u0647",  # ة → ه
        "\u0649": "\u064a",  # ى → ي
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
    }
)
_WORD = re.compile(r"\w+", re.UNICODE)
# The conjunction و fused to the article: والرعاية → الرعاية.
_WAW_ARTICLE = re.compile(r"(?<!\w)و(ال\w{2,})")
# Article and its fused prepositions, removed from search tokens (بالرعاية, للرعاية, الرعاية → رعايه).
_ARTICLE_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال")


def normalize_arabic(text: str | None) -> str:
    """Fold the Arabic spelling variants a searcher should not have to match exactly."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _TASHKEEL.sub("", text).translate(_FOLD)
    return _WAW_ARTICLE.sub(r"\1", text)


def search_tokens(text: str | None) -> list[str]:
    """Normalised, lower-cased word tokens with the Arabic article stripped."""
    tokens = []
    for word in _WORD.findall(normalize_arabic(text).lower()):
        for prefix in _ARTICLE_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 2:
                word = word[len(prefix) :]
                break
        tokens.append(word)
    return tokens
