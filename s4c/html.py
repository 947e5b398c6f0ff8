"""Rich text sanitising: the one allow-list every rich-text field goes through before it is stored."""

import nh3

from .text import clean_text

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "a",
    "abbr",
    "bdi",
    "cite",
    "code",
    "pre",
    "sub",
    "sup",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "hr",
    "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang", "lang"},
    "abbr": {"title"},
    "bdi": {"lang", "dir"},
    "span": {"lang", "dir"},
    "p": {"lang", "dir"},
    "th": {"scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(value: str | None) -> str:
    """Remove scripts, event handlers, style and non-http(s) links, and the invisible characters of
    `s4c.text.clean_text`; keep structure and language marks."""
    if not value:
        return ""
    return nh3.clean(
        clean_text(value),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
