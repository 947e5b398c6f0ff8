"""Arabic-aware text normalisation, applied identically to indexed documents and to queries."""

import re
import unicodedata

# Fathatan … sukun, superscript alef, Quranic marks; tatweel; the zero-width (non-)joiners, which
# pasted text carries inside words ("الرعا\u200cية") and which would otherwise split a word in two.
_TASHKEEL = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d]")
_FOLD = str.maketrans(
    {
        "\u0623": "\u0627",  # أ → ا
        "\u0625": "\u0627",  # إ → ا
        "\u0622": "\u0627",  # آ → ا
        "\u0671": "\u0627",  # ٱ → ا
        "\u0629": "\u0647",  # ة → ه
        "\u0649": "\u064a",  # ى → ي
        # Letters of Persian and Urdu keyboards, which people in the region often type Arabic with.
        "\u06cc": "\u064a",  # Persian yeh ی → ي
        "\u06d2": "\u064a",  # yeh barree ے → ي
        "\u06a9": "\u0643",  # keheh ک → ك
        "\u06aa": "\u0643",  # swash kaf ڪ → ك
        "\u06c0": "\u0647",  # heh with yeh above ۀ → ه (as ة)
        "\u06c1": "\u0647",  # heh goal ہ → ه
        "\u06c3": "\u0647",  # teh marbuta goal ۃ → ه (as ة)
        "\u06be": "\u0647",  # heh doachashmee ھ → ه
        "\u06d5": "\u0647",  # ae ە → ه
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
    }
)
_WORD = re.compile(r"\w+", re.UNICODE)
# The conjunction و typed apart from its word ("و التضامني"): it is never a word of its own, so it
# goes, and the word is found as when it is written fused ("والتضامني") or bare.
_LONE_WAW = re.compile(r"(?<!\w)و\s+(?=\w)")
# The conjunction و fused to the article: والرعاية → الرعاية.
_WAW_ARTICLE = re.compile(r"(?<!\w)و(ال\w{2,})")
# Article and its fused prepositions, removed from search tokens (بالرعاية, للرعاية, الرعاية → رعايه).
_ARTICLE_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال")
# What is left of a word once its article is removed is at least this long (ال alone stays).
MIN_STEM_CHARS = 2


def normalize_arabic(text: str | None) -> str:
    """Fold the Arabic spelling variants a searcher should not have to match exactly."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _TASHKEEL.sub("", text).translate(_FOLD)
    return _WAW_ARTICLE.sub(r"\1", _LONE_WAW.sub("", text))


def search_tokens(text: str | None) -> list[str]:
    """Normalised, lower-cased word tokens with the Arabic article stripped."""
    tokens = []
    for word in _WORD.findall(normalize_arabic(text).lower()):
        token = word
        for prefix in _ARTICLE_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM_CHARS:
                token = word[len(prefix) :]
                break
        tokens.append(token)
    return tokens


def collation_key(text) -> tuple[str, str]:
    """The key that puts names in alphabetical order in either language (country names, facet
    values): Arabic letters by their base letter (أ إ آ as ا, ة as ه, ى as ي, tashkeel ignored),
    Latin letters whatever their case; names that fold alike keep a fixed order by their text.

    Python's own order of the raw text puts every name starting with أ before those with ا, and
    django-countries, without a collation library, leaves Arabic names in the English order."""
    text = str(text)
    return normalize_arabic(text).casefold(), text


# A readable Latin spelling of Arabic for addresses (slugs): one letter or pair per letter, no
# diacritics, the hamza and ʿayn left out. Not a scholarly transliteration; a name's slug can be
# edited.
_LATIN = str.maketrans(
    {
        **dict.fromkeys("اأإآٱى", "a"),
        **dict.fromkeys("ءع", ""),
        "ؤ": "u",
        "ئ": "i",
        "ب": "b",
        "ت": "t",
        "ة": "a",
        "ث": "th",
        "ج": "j",
        "ح": "h",
        "خ": "kh",
        "د": "d",
        "ذ": "dh",
        "ر": "r",
        "ز": "z",
        "س": "s",
        "ش": "sh",
        "ص": "s",
        "ض": "d",
        "ط": "t",
        "ظ": "z",
        "غ": "gh",
        "ف": "f",
        "ق": "q",
        "ك": "k",
        "ل": "l",
        "م": "m",
        "ن": "n",
        "ه": "h",
        "و": "w",
        "ي": "y",
        "پ": "p",
        "چ": "ch",
        "ڤ": "v",
        "گ": "g",
        "ی": "y",
        "ک": "k",
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Eastern Arabic-Indic digits
    }
)


def latin_slug(text: str | None, *, max_length: int = 50) -> str:
    """A slug of `text` in Latin letters, Arabic spelled out ("الاقتصاد التضامني" ->
    "alaqtsad-altdamny"); empty when nothing is left."""
    from django.utils.text import slugify

    spelled = _TASHKEEL.sub("", unicodedata.normalize("NFKC", text or "")).translate(_LATIN)
    return slugify(spelled)[:max_length].strip("-")


# --- input at the edge and text as stored -----------------------------------------------------

_ASCII_DIGITS = re.compile(r"[0-9]+")


def whole_number(raw: str | None, *, max_digits: int = 9) -> int | None:
    """A non-negative integer written in ASCII digits, or None.

    `str.isdigit()` is not enough: it accepts "²" or "٢", which `int()` then refuses or reads
    differently, and an unbounded number overflows a database integer.
    """
    if raw is None or len(raw) > max_digits or not _ASCII_DIGITS.fullmatch(raw):
        return None
    return int(raw)


# Invisible characters that change how text is displayed without being seen, removed from every
# plain-text field and from rich text when stored (see `clean_text`):
# - bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder what is
#   displayed, so a title can read differently from what it says ("Trojan Source", CVE-2021-42574),
#   and an unterminated one spills over the rest of the page. Our templates isolate every
#   translated value themselves (`<bdi>`, `dir`), so content never needs them;
# - zero-width space, word joiner, invisible operators and the byte-order mark (U+200B,
#   U+2060–U+2064, U+FEFF): they make two titles that look identical differ (duplicates, search);
# - control characters (C0 but tab and line breaks in multi-line text, DEL, C1) and lone surrogates,
#   which no editor types and which PostgreSQL or XML output refuse.
# Kept on purpose: the left-to-right, right-to-left and Arabic letter marks (U+200E, U+200F,
# U+061C), which Arabic text legitimately uses and which reorder nothing beyond a neutral character,
# and the zero-width (non-)joiners (U+200C, U+200D), needed by Persian spelling and emoji.
_INVISIBLE = "\u202a-\u202e\u2066-\u2069\u200b\u2060-\u2064\ufeff\x7f-\x9f\ud800-\udfff"
# Control characters but tab and line breaks (which single-line text turns into spaces).
_STRIP = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_INVISIBLE}]")
_LINE_BREAKS = re.compile(r"[\t\r\n]+")


def clean_text(value, *, multiline: bool = True):
    """`value` without the invisible characters above; single-line text also loses line breaks.

    The one policy for every stored text field (the models' save, the services, the rich-text
    sanitiser): neutralise rather than refuse, since a person cannot see, and so cannot remove,
    what a refusal would complain about.
    """
    if not isinstance(value, str) or not value:
        return value
    value = _STRIP.sub("", value)
    return value if multiline else _LINE_BREAKS.sub(" ", value)


# Characters that draw nothing on their own: format characters (joiners, marks), combining marks
# (a vowel sign counts with its letter), controls, unassigned and private-use code points, and the
# blank "letters" that fonts draw as nothing (Hangul fillers, the blank braille pattern).
_DRAW_NOTHING = frozenset({"Cf", "Mn", "Me", "Cc", "Co", "Cn", "Cs"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def visible_length(value: str) -> int:
    """How long `value` looks: the characters a reader sees, a run of spaces counting as one.

    What a minimum length must count: "a" followed by sixty zero-width joiners is one character
    to the person who reads it.
    """
    count, in_space = 0, False
    for ch in value:
        if ch.isspace():
            in_space = count > 0
            continue
        if unicodedata.category(ch) in _DRAW_NOTHING or ch in _BLANK_LETTERS:
            continue
        count += 1 + in_space
        in_space = False
    return count


def clean_text_fields(instance) -> None:
    """Apply `clean_text` to every text field of a model instance (CharField one line, TextField
    several); rich text gets the same treatment from `core.html.sanitize_html`."""
    from django.db import models

    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or not field.editable:
            continue
        # Through __dict__, not getattr: a translated field's descriptor would return (and set)
        # the other language's text when this one is empty.
        value = instance.__dict__.get(field.attname)
        cleaned = clean_text(value, multiline=isinstance(field, models.TextField))
        if cleaned != value:
            instance.__dict__[field.attname] = cleaned


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """A value for a CSV or XLSX cell that a spreadsheet will not run as a formula.

    Text starting with =, +, -, @ (or a tab or carriage return before one) is a formula to Excel
    and LibreOffice ("CSV injection"): `=HYPERLINK(…)` in a narrative would become a live link in
    every download. Such text is prefixed with an apostrophe, the spreadsheets' own "this is text".
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
