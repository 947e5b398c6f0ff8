from django import template
from django.utils.html import escape, format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.bilingual import missing_languages, translated_value
from core.formats import LATIN_RUN, local_code, local_date, local_digits, local_letter, local_time
from core.seo import page_links

register = template.Library()


def _fallback_note(language: str) -> str:
    if language == "en":
        return _("shown in English: not yet translated")
    return _("shown in Arabic: not yet translated")


_LATIN_RUN = LATIN_RUN


def isolate_latin(text: str) -> str:
    """Escape Arabic text and isolate its Latin-script runs so they keep their order in RTL.

    Without isolation a parenthesised name such as "(South-4-Care)" can be reordered by the bidi
    algorithm when a line wraps inside it.
    """
    parts, last = [], 0
    # The Arabic runs take the Arabic digit convention (core.formats); the Latin runs keep theirs.
    for match in _LATIN_RUN.finditer(text):
        parts.append(escape(local_digits(text[last : match.start()], "ar")))
        parts.append(f'<bdi lang="en" dir="ltr" class="latin">{escape(match.group())}</bdi>')
        last = match.end()
    parts.append(escape(local_digits(text[last:], "ar")))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


@register.simple_tag
def translated(obj, field, as_html=False, paragraphs=False):
    """A translated field in the page language, isolated for bidi, with a visible mark on fallback.

    `as_html`: the value is sanitised rich text (stored clean) and is output as is.
    `paragraphs`: plain text whose blank lines become paragraphs.
    """
    if obj is None:
        return ""
    value = translated_value(obj, field)
    if as_html:
        content = mark_safe(value.text)  # noqa: S308 - rich text is sanitised before it is stored
    elif value.language == "ar":
        content = isolate_latin(value.text)
        if paragraphs:
            content = mark_safe(linebreaks(content, autoescape=False))  # noqa: S308 - escaped above
    elif paragraphs:
        content = mark_safe(linebreaks(value.text, autoescape=True))  # noqa: S308 - escaped by linebreaks
    else:
        content = value.text
    direction = "rtl" if value.language == "ar" else "ltr"
    tag = "div" if (as_html or paragraphs) else "bdi"
    if not value.fallback:
        return format_html(
            '<{} lang="{}" dir="{}">{}</{}>', tag, value.language, direction, content, tag
        )
    return format_html(
        '<{} lang="{}" dir="{}" class="fallback">{}</{}> <span class="fallback-note">({})</span>',
        tag,
        value.language,
        direction,
        content,
        tag,
        _fallback_note(value.language),
    )


@register.inclusion_tag("includes/fallback_notice.html", takes_context=True)
def fallback_notice(context, obj):
    """A notice at the top of a page whose object is not fully translated into the page language."""
    language = context.get("LANGUAGE_CODE", "en")
    missing = language in missing_languages(obj) if obj is not None else False
    other = "ar" if language == "en" else "en"
    return {"missing": missing, "note": _fallback_note(other) if missing else ""}


@register.filter
def dictget(mapping, key):
    """`{{ counts|dictget:"on_track" }}`: a count from a dict, 0 when absent."""
    return mapping.get(key, 0) if mapping else 0


# Dates and numbers in the page language's convention (see core.formats): in Arabic, Arabic-Indic
# digits and UN double month names, "١ أيلول/سبتمبر ٢٠٢٥".
def _date_on_one_line(value, fmt=None):
    """`local_date` on a page: kept on one line (class "date"), or a phone breaks the double month
    name at its slash ("١٠ آذار/" and "مارس ٢٠٢٧" on the next line)."""
    text = local_date(value, fmt)
    return format_html('<span class="date">{}</span>', text) if text else ""


register.filter("local_date", _date_on_one_line)
register.filter("local_time", local_time)
register.filter("local_digits", local_digits)
register.filter("local_code", local_code)
register.filter("local_letter", local_letter)


SECTION_NAMES = {
    "hub": lambda: _("Knowledge Hub"),
    "learning": lambda: _("Learning Hub"),
    "actionplan": lambda: _("SSE plan of action"),
}


@register.simple_tag(takes_context=True)
def section_name(context) -> str:
    """The part of the site a page belongs to, for its title ("Speakers · Learning Hub · …")."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    name = SECTION_NAMES.get(getattr(match, "namespace", ""))
    return name() if name else ""


@register.simple_tag(takes_context=True)
def head_links(context):
    """The page's canonical link and its hreflang alternates (with x-default), for the languages
    the view says the page exists in (`page_languages`; every language when it says nothing)."""
    request = context.get("request")
    if request is None:  # rendered outside a request: no page to link to
        return ""
    links = page_links(request.path, context.get("page_languages"))
    if not links["canonical"]:
        return ""
    html = [format_html('<link rel="canonical" href="{}">', links["canonical"])]
    html += [
        format_html('<link rel="alternate" hreflang="{}" href="{}">', alt["hreflang"], alt["href"])
        for alt in links["alternates"]
    ]
    return mark_safe("\n".join(html))  # noqa: S308 - each part built by format_html
