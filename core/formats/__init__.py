"""One convention for dates and numbers in each language, used by templates, charts, e-mails,
calendars and downloads alike.

Arabic follows the UN Arabic usage of the seed documents (the ILO news release of
1 September 2025): Arabic-Indic digits and the double month name, "١ أيلول/سبتمبر ٢٠٢٥".
The month names come from the project's catalogue (it overrides Django's "سبتمبر" with
"أيلول/سبتمبر"; see `MONTH_NAMES` below); the digits are converted here, because Django has no
setting for them. Decimal numbers use the Arabic decimal separator (٫) and thousands separator
(٬); a code such as outcome "1.1" is not a number and keeps its full stop ("١.١").
"""

import datetime as dt
import re
from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext_noop

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
ARABIC_NUMBER = str.maketrans("0123456789.,", "٠١٢٣٤٥٦٧٨٩٫٬")

# Django's own msgids for the month names (dateformat "F"): listed here so that `makemessages`
# keeps them in the project's catalogue, whose Arabic entries give the UN double form.
MONTH_NAMES = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]


def _arabic(language: str | None) -> bool:
    return (language or translation.get_language() or "en").split("-")[0] == "ar"


def local_digits(text, language: str | None = None) -> str:
    """`text` with its digits in the language's digit system (Arabic-Indic in Arabic)."""
    text = str(text)
    return text.translate(ARABIC_INDIC) if _arabic(language) else text


def local_number(value, decimal_pos: int | None = None, language: str | None = None) -> str:
    """A number as the language writes it: "17.2" in English, "١٧٫٢" in Arabic."""
    if isinstance(value, float):
        value = Decimal(str(value))
    text = formats.number_format(value, decimal_pos=decimal_pos, use_l10n=True)
    return text.translate(ARABIC_NUMBER) if _arabic(language) else text


# The letters that number a list's items in Arabic (abjad order), as the Arabic GB paper letters
# the plan's principles: (أ), (ب), (ج)…
ARABIC_ITEM_LETTERS = dict(
    zip(
        "abcdefghijklmnopqrst",
        "أ ب ج د هـ و ز ح ط ي ك ل م ن س ع ف ص ق ر".split(),
        strict=True,
    )
)
_ITEM_LETTER = re.compile(r"\(([a-z])\)")


def local_code(code, language: str | None = None) -> str:
    """A numbered code ("1.2", outcome 1.2; "6(b)", a paragraph's item) as the language writes
    codes: unchanged in English, "١-٢" and "٦(ب)" in Arabic (the hyphen of the Arabic GB paper: a
    full stop between Arabic-Indic digits reads as a decimal, and the Arabic zero is a dot; item
    letters as `local_letter`). A Latin capital ("A.2", a Programme and Budget outcome) stays."""
    code = str(code)
    if not _arabic(language):
        return code
    code = _ITEM_LETTER.sub(lambda m: f"({local_letter(m.group(1), language)})", code)
    return code.replace(".", "-").translate(ARABIC_INDIC)


def local_letter(letter, language: str | None = None) -> str:
    """An item letter ("a", principle a) as the language letters items: "أ" in Arabic."""
    letter = str(letter)
    if not _arabic(language):
        return letter
    return ARABIC_ITEM_LETTERS.get(letter.lower(), letter)


def local_date(value: dt.date | dt.datetime | None, fmt: str | None = None) -> str:
    """A date in the page language's format: "1 September 2025", "١ أيلول/سبتمبر ٢٠٢٥"."""
    if value is None:
        return ""
    return local_digits(formats.date_format(value, fmt or "DATE_FORMAT"))


def local_time(value: dt.time | dt.datetime | None, fmt: str | None = None) -> str:
    if value is None:
        return ""
    return local_digits(formats.time_format(value, fmt or "TIME_FORMAT"))


def local_text(text, language: str | None = None) -> str:
    """A message in the language's digits, for text the portal does not write itself (Django's
    form messages, "at least 50 characters"): Arabic-Indic digits in Arabic, its Latin-script runs
    untouched (`arabic_text_digits`); unchanged in other languages."""
    text = str(text)
    return arabic_text_digits(text) if _arabic(language) else text


# A run of Latin-script words (names, acronyms, "South-4-Care", identifiers such as a UUID that
# starts with a digit) inside Arabic text.
LATIN_RUN = re.compile(
    r"[0-9]*[A-Za-z][A-Za-z0-9\-.'’&/]*(?:[ \t]+[A-Za-z0-9][A-Za-z0-9\-.'’&/]*)*"
)


def arabic_text_digits(text: str) -> str:
    """Arabic text with Arabic-Indic digits, its Latin-script runs ("South-4-Care") untouched:
    for plain-text outputs (calendars, e-mails); pages isolate the runs as well (the `translated`
    tag)."""
    parts, last = [], 0
    for match in LATIN_RUN.finditer(text):
        parts.append(text[last : match.start()].translate(ARABIC_INDIC))
        parts.append(match.group())
        last = match.end()
    parts.append(text[last:].translate(ARABIC_INDIC))
    return "".join(parts)


# Tags, comments and character references, which keep their digits; the text between them is what
# a reader sees.
_MARKUP = re.compile(
    r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|&#?\w+;", re.S
)
# Elements whose text is code or a form's value, not prose: left as they are.
_VERBATIM = frozenset({"script", "style", "textarea", "pre", "code", "template"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_NOT_ARABIC = re.compile(r"""\b(?:dir\s*=\s*["']?ltr|lang\s*=\s*["']?(?!ar)[a-z])""", re.I)


def arabic_html_digits(html: str) -> str:
    """An Arabic HTML page with the convention of `arabic_text_digits` in the text it shows.

    For pages whose numbers and dates Django renders itself (the admin): attributes (a field's
    value, a link), code, form fields' contents, addresses and elements marked left to right or in
    another language keep their digits."""
    parts, last = [], 0
    stack: list[tuple[str, bool]] = []  # open elements: (tag, whether their text is left alone)
    for match in _MARKUP.finditer(html):
        verbatim = bool(stack) and stack[-1][1]
        parts.append(_shown(html[last : match.start()], verbatim=verbatim))
        parts.append(match.group())
        last = match.end()
        closing, tag = match.group(1), (match.group(2) or "").lower()
        if not tag:
            continue
        if closing:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == tag:
                    del stack[depth:]
                    break
        elif tag not in _VOID and not match.group(3).rstrip().endswith("/"):
            keep = verbatim or tag in _VERBATIM or bool(_NOT_ARABIC.search(match.group(3)))
            stack.append((tag, keep))
    parts.append(_shown(html[last:], verbatim=bool(stack) and stack[-1][1]))
    return "".join(parts)


def _shown(text: str, *, verbatim: bool) -> str:
    return text if verbatim or "://" in text else arabic_text_digits(text)


# Django's own wording that reads wrongly in Arabic, overridden by the project's catalogue: the
# admin's (and django-filter's) "Filter(s)" is "تصفية" (the action), not "مرشّح" (a device); its
# "was changed successfully" said "نجحت إضافة" (was added).
DJANGO_WORDING = [
    gettext_noop("Filter"),
    gettext_noop("Filters"),
    gettext_noop("The {name} “{obj}” was changed successfully."),
]
