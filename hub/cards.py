"""The public list's results, each rendered once per resource, page language and content version.

Loading a page's twenty resources and rendering them was most of a list page's time once the
search was fast (docs/performance.md). A card is kept in the cache with the two forms the list shows: with its
summary (no query) and with a slot for the query's snippet. A page reads its cards in one cache
round trip; only the missing ones are loaded (two queries whatever their number) and rendered.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from core.caching import VERSIONED_CACHE_SECONDS, content_version

# The snippet's place in a card's search form: an HTML comment, which no escaped text can contain.
SNIPPET_SLOT = "<!--snippet-->"


@dataclass(frozen=True)
class ResultCard:
    """One result: what the list shows of a resource, rendered."""

    pk: int
    identifier: str
    title_en: str
    title_ar: str
    publication_year: int
    summary: str  # in the page language (the other one's where missing): a snippet is cut from it
    html: str  # the card with its summary
    search_html: str  # the card with SNIPPET_SLOT where a snippet goes

    def render(self, snippet: str = "") -> SafeString:
        if not snippet:
            return mark_safe(self.html)  # noqa: S308 - rendered by the template, escaped there
        return mark_safe(self.search_html.replace(SNIPPET_SLOT, snippet, 1))  # noqa: S308 - the snippet comes escaped from highlight()


def result_cards(ids: list[int], *, language: str, load) -> list[ResultCard]:
    """The cards of `ids`, in order. `load(ids)` gives the missing ones' resources, type labels
    and theme names: `{pk: (resource, type_label, theme_names)}`."""
    version = content_version()
    keys = {pk: f"s4c:hub-card:{version}:{language}:{pk}" for pk in ids}
    found = cache.get_many(list(keys.values()))
    missing = [pk for pk in ids if keys[pk] not in found]
    if missing:
        built = {
            keys[pk]: _card(resource, type_label, themes, language)
            for pk, (resource, type_label, themes) in load(missing).items()
        }
        cache.set_many(built, VERSIONED_CACHE_SECONDS)
        found.update(built)
    return [found[keys[pk]] for pk in ids if keys[pk] in found]


def _card(resource, type_label: str, themes: list[str], language: str) -> ResultCard:
    context = {"resource": resource, "type_label": type_label, "themes": themes}
    return ResultCard(
        pk=resource.pk,
        identifier=resource.identifier,
        title_en=resource.title_en,
        title_ar=resource.title_ar,
        publication_year=resource.publication_year,
        summary=getattr(resource, f"summary_{language}", "") or resource.summary or "",
        html=render_to_string("hub/_result.html", context).strip(),
        search_html=render_to_string(
            "hub/_result.html",
            {**context, "snippet": mark_safe(SNIPPET_SLOT)},  # noqa: S308 - a constant placeholder, replaced by escaped text
        ).strip(),
    )
