"""Rich text sanitising: the one allow-list every rich-text field goes through before it is stored."""

import nh3
from django import forms

from core.text import clean_text

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
    `core.text.clean_text`; keep structure and language marks."""
    if not value:
        return ""
    return nh3.clean(
        clean_text(value),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


class RichTextWidget(forms.Textarea):
    """A WYSIWYG editor for the fields `sanitize_html` cleans (django-prose-editor's ProseMirror,
    from our static files): bold, italic, links, lists, headings and quotes, left to right or
    right to left as the field is. Without JavaScript it stays the plain textarea."""

    def __init__(self, attrs=None):
        super().__init__({**(attrs or {}), "data-s4c-rich-text": "1"})

    @property
    def media(self):
        return forms.Media(
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                    "django_prose_editor/overrides.css",
                    "s4c/css/rich_text.css",
                ]
            },
            js=[forms.Script("s4c/js/rich_text.js", type="module")],
        )

    def use_required_attribute(self, initial):
        # The textarea is hidden behind the editor: a browser cannot point at it.
        return False
