"""Reads of the Knowledge Hub: who sees what, and the faceted list."""

import hashlib
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import F, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import translation
from django_countries import countries as all_countries

from core.caching import VERSIONED_CACHE_SECONDS, content_version, get_or_compute
from core.text import collation_key, whole_number
from partners.models import PublicState

from .cards import result_cards
from .models import (
    DOCUMENT_LANGUAGES,
    Organisation,
    Region,
    Resource,
    ResourceCountry,
    ResourceLanguage,
    Theme,
    document_format_code,
)
from .search import canonical_query
from .search_backends import FACETS, SORTS, ListSummary, search_backend


def resources_published() -> QuerySet[Resource]:
    return Resource.objects.published()


def resources_for_feed(*, limit: int) -> list[Resource]:
    """The feeds' entries: the newest by the document's own publication date (not by when it
    reached the hub: a content load publishes everything at once), each with `public_updated_at`,
    when its public representation last changed (the change feed's ledger)."""
    public_updated_at = PublicState.objects.filter(
        kind="resource", object_id=OuterRef("identifier")
    ).values("updated_at")[:1]
    return list(
        resources_published()
        .select_related("publisher")
        .annotate(public_updated_at=Subquery(public_updated_at))
        .order_by(
            F("publication_year").desc(),
            F("publication_month").desc(nulls_last=True),
            F("publication_day").desc(nulls_last=True),
            "-pk",
        )[:limit]
    )


def resources_public_changed_at():
    """When a resource last changed in public, including one that stopped being public (its
    tombstone keeps the date): a feed's entries cannot have changed later."""
    return PublicState.objects.filter(kind="resource").aggregate(latest=Max("updated_at"))["latest"]


def organisation_for_display(*, slug: str):
    """An organisation and the published resources it is the publisher of, newest first."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        return None, []
    resources = (
        resources_published().filter(publisher=organisation).order_by("-publication_year", "-pk")
    )
    return organisation, list(
        resources.only("identifier", "title_en", "title_ar", "publication_year")
    )


def resources_visible_to(*, user) -> QuerySet[Resource]:
    """Published resources for everyone; staff who may view resources also see the others."""
    if user is not None and user.is_active and user.is_staff and user.has_perm("hub.view_resource"):
        return Resource.objects.alive()
    return Resource.objects.published()


def resources_pickable(*, user, attached=()) -> QuerySet[Resource]:
    """The resources `user` may choose as evidence or materials: those they may see (published
    ones, or every live one for staff who may view resources), and any already `attached` (ids),
    so that editing an object keeps what it links to even once unpublished."""
    visible = resources_visible_to(user=user)
    attached = list(attached)
    if not attached:
        return visible
    return Resource.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=attached))


def resource_for_display(*, identifier: str, user=None) -> Resource | None:
    return (
        resources_visible_to(user=user)
        .select_related("publisher")
        .prefetch_related("themes", "regions", "country_links", "language_links")
        .filter(identifier=identifier)
        .first()
    )


def resource_link_codes(resource_ids) -> dict[int, dict[str, list]]:
    """Each resource's document languages, countries, ILO regions and themes as sorted codes.

    One query per relation whatever the number of resources, and no model instance per link (the
    API shows only the codes; prefetching would build and cache a queryset per resource).
    """
    ids = list(resource_ids)
    codes = {pk: {name: [] for name in (*LINK_CODES, "documents")} for pk in ids}
    if not ids:
        return codes
    # The documents (each language's online copy) come with the languages, in the same query.
    for resource_id, code, url in ResourceLanguage.objects.filter(resource_id__in=ids).values_list(
        "resource_id", "language", "url"
    ):
        codes[resource_id]["document_languages"].append(code)
        codes[resource_id]["documents"].append(
            {
                "language": code,
                "format": document_format_code(url) if url else None,
                "url": url or None,
            }
        )
    rows = {
        "countries": ResourceCountry.objects.values_list("resource_id", "country"),
        "regions": Resource.regions.through.objects.values_list("resource_id", "region__code"),
        "themes": Resource.themes.through.objects.values_list("resource_id", "theme__slug"),
    }
    for name, links in rows.items():
        for resource_id, code in links.filter(resource_id__in=ids):
            codes[resource_id][name].append(code)
    for entry in codes.values():
        for name in LINK_CODES:
            entry[name].sort()
        entry["documents"].sort(key=lambda document: document["language"])
    return codes


# A year filter is four digits.
YEAR_DIGITS = 4
LINK_CODES = ("document_languages", "countries", "regions", "themes")


def resource_was_public(*, identifier: str) -> bool:
    """A resource that exists but is no longer public (archived or deleted): 410, not 404."""
    return (
        Resource.objects.filter(identifier=identifier, published_at__isnull=False)
        .exclude(status=Resource.Status.PUBLISHED, deleted_at__isnull=True)
        .exists()
    )


def related_resources(*, resource: Resource, limit: int = 4) -> list[Resource]:
    """Published resources sharing most themes with `resource`, then the newest (the backend's),
    found once per content version (the detail page's own cache is shorter and per language)."""
    ids = get_or_compute(
        f"s4c:hub-related:{content_version()}:{resource.pk}:{limit}",
        lambda: search_backend().related(resource=resource, limit=limit),
        timeout=VERSIONED_CACHE_SECONDS,
    )
    # What the detail page shows of them: a linked title and a year.
    shown = ("identifier", "title", "title_en", "title_ar", "publication_year")
    by_id = Resource.objects.published().only(*shown).in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


# --- the faceted list ------------------------------------------------------------------------


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class HubQuery:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "newest"


def parse_hub_query(params) -> HubQuery:
    """Read `?q=&type=&theme=…&sort=` leniently: unknown values are dropped, not errors."""
    q = (params.get("q") or "").strip()[:200]
    filters = {}
    for facet in FACETS:
        values = [v.strip() for v in params.getlist(facet) if v.strip()][:20]
        if facet == "year":
            values = [
                v
                for v in values
                if len(v) == YEAR_DIGITS and whole_number(v, max_digits=YEAR_DIGITS) is not None
            ]
        if values:
            filters[facet] = sorted(set(values))
    sort = params.get("sort") or ("relevance" if q else "newest")
    if sort not in SORTS or (sort == "relevance" and not q):
        sort = "relevance" if q else "newest"
    return HubQuery(q=q, filters=filters, sort=sort)


def _all_labels(language: str) -> dict[str, dict[str, str]]:
    """Every facet value's label in `language`, cached per content version.

    Reading them per request cost two queries and ~250 country-name lookups: half a cached page.
    """

    def compute():
        with translation.override(language):
            return {
                "type": {k: str(v) for k, v in Resource.Type.choices},
                "theme": {t.slug: t.name for t in Theme.objects.all()},
                "region": {r.code: r.name for r in Region.objects.all()},
                "country": {code: str(name) for code, name in all_countries},
                "language": {k: str(v) for k, v in DOCUMENT_LANGUAGES},
            }

    key = f"s4c:hub-labels:{content_version()}:{language}"
    # Not HUB_LIST_CACHE_SECONDS: turning the result cache off need not recompute labels.
    return get_or_compute(key, compute, timeout=VERSIONED_CACHE_SECONDS)


def _facet_values(
    facet: str, counts: dict[str, int], hub_query: HubQuery, labels: dict[str, dict[str, str]]
) -> list[FacetValue]:
    selected = set(hub_query.filters.get(facet, []))
    names = labels.get(facet, {})
    values = [
        FacetValue(v, names.get(v, v), counts.get(v, 0), v in selected)
        for v in set(counts) | selected
    ]
    if facet == "year":
        values.sort(key=lambda fv: fv.value, reverse=True)
    else:
        values.sort(key=lambda fv: (-fv.count, collation_key(fv.label)))
    return values


def list_summary(*, hub_query: HubQuery, language: str, offset: int, limit: int) -> ListSummary:
    """Total, the ids from `offset` and the facet counts of the public list, cached.

    The key holds the content version (any published change starts afresh) and the canonical
    query, so spelling variants (الرعايه, الرِّعَايَة, الرعاية) and both page languages share one
    entry; only title sorting depends on the page language. A missing entry is computed once
    while concurrent requests for it wait (no stampede on a popular query).
    """
    sort_key = f"title_{language}" if hub_query.sort == "title" else hub_query.sort
    identity = [canonical_query(hub_query.q), hub_query.filters, sort_key, offset, limit]
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()
    key = f"s4c:hub-list:{content_version()}:{digest}"

    def compute() -> ListSummary:
        return search_backend().summary(
            query=hub_query.q,
            filters=hub_query.filters,
            sort=hub_query.sort,
            language=language,
            offset=offset,
            limit=limit,
        )

    return get_or_compute(key, compute, timeout=settings.HUB_LIST_CACHE_SECONDS)


# What a result in the list shows (hub/templates/hub/index.html).
LIST_FIELDS = (
    "identifier",
    "resource_type",
    "publication_year",
    "publication_month",
    "publication_day",
    *(f"{name}_{code}" for name in ("title", "summary") for code in ("en", "ar")),
    "publisher",
)
PUBLISHER_FIELDS = ("name_en", "name_ar")


class _Total:
    """What Paginator needs of an object list it will not slice: its length."""

    def __init__(self, total: int):
        self.total = total

    def count(self) -> int:
        return self.total


MAX_PAGE_NUMBER = 10**9


@dataclass
class HubPage:
    page: Page  # its object_list: the page's results (hub.cards.ResultCard), in order
    facets: dict[str, list[FacetValue]]


def hub_results(*, hub_query: HubQuery, page_number, page_size: int = 20) -> HubPage:
    """One page of the public list with its facets, in a constant number of queries."""
    language = translation.get_language() or "en"
    try:
        # Past the end is the last page (below); capping first keeps the offset of a page such as
        # 10**18 inside PostgreSQL's bigint (it was a 500: "bigint out of range").
        number = min(max(1, int(page_number)), MAX_PAGE_NUMBER)
    except (TypeError, ValueError):
        number = 1
    summary = list_summary(
        hub_query=hub_query, language=language, offset=(number - 1) * page_size, limit=page_size
    )
    paginator = Paginator(_Total(summary.total), page_size)
    if number > paginator.num_pages:  # past the end: the last page, as Paginator.get_page does
        number = paginator.num_pages
        summary = list_summary(
            hub_query=hub_query, language=language, offset=(number - 1) * page_size, limit=page_size
        )
    ids = summary.ids[:page_size]
    labels = _all_labels(language)
    cards = result_cards(
        ids, language=language, load=lambda missing: _card_resources(missing, labels)
    )
    facets = {
        facet: _facet_values(facet, summary.counts[facet], hub_query, labels) for facet in FACETS
    }
    return HubPage(page=Page(cards, number, paginator), facets=facets)


def _card_resources(ids: list[int], labels) -> dict[int, tuple[Resource, str, list[str]]]:
    """What the list's cards show of these resources: two queries whatever their number."""
    by_id = {
        resource.pk: resource
        # Published only, whatever produced the ids: a card never shows anything else.
        for resource in resources_published()
        .filter(pk__in=ids)
        # Only what a result shows (not the bodies nor the large search data).
        .select_related("publisher")
        .only(*LIST_FIELDS, *(f"publisher__{name}" for name in PUBLISHER_FIELDS))
    }
    # Theme names from the cached labels: one query for the links, no theme instance per link.
    themes = {pk: [] for pk in by_id}
    links = Resource.themes.through.objects.filter(resource_id__in=list(by_id))
    for resource_id, slug in links.order_by("theme__order", "theme__slug").values_list(
        "resource_id", "theme__slug"
    ):
        themes[resource_id].append(labels["theme"].get(slug, slug))
    # Type names from the labels too: get_resource_type_display() hashes nine lazy labels a call.
    return {
        pk: (
            resource,
            labels["type"].get(resource.resource_type, resource.resource_type),
            themes[pk],
        )
        for pk, resource in by_id.items()
    }


# --- OAI-PMH: every resource that was ever public ---------------------------------------------
# The change feed's ledger (PublicState) lists each resource the API ever published: `updated_at`
# is when its public representation last changed (or when it was withdrawn), `deleted` marks a
# tombstone. Withdrawn resources stay listed for ever, as OAI-PMH's "persistent" deleted records.


def resource_states(*, since=None, before=None, set_spec=None) -> QuerySet[PublicState]:
    """The public states of resources, oldest first; `since` inclusive, `before` exclusive.

    `set_spec` is `("theme", slug)` or `("type", resource_type)`.
    """
    states = PublicState.objects.filter(kind="resource")
    if since is not None:
        states = states.filter(updated_at__gte=since)
    if before is not None:
        states = states.filter(updated_at__lt=before)
    if set_spec is not None:
        name, value = set_spec
        members = Resource.objects.filter(
            **({"themes__slug": value} if name == "theme" else {"resource_type": value})
        )
        states = states.filter(object_id__in=members.values("identifier"))
    return states.order_by("pk")


def resource_states_earliest():
    return PublicState.objects.filter(kind="resource").aggregate(first=Min("updated_at"))["first"]


def resources_by_identifier(*, identifiers, full: bool = True) -> dict[str, Resource]:
    """The resources (public or not) behind a page of states, in a constant number of queries:
    themes only for headers, everything a Dublin Core record shows when `full`."""
    resources = Resource.objects.filter(identifier__in=list(identifiers))
    themes = Prefetch("themes", queryset=Theme.objects.order_by("order", "slug"))
    if full:
        resources = resources.select_related("publisher").prefetch_related(
            themes, "regions", "country_links", "language_links"
        )
    else:
        resources = resources.only("identifier", "resource_type", "status", "deleted_at")
        resources = resources.prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("order", "slug").only("slug"))
        )
    return {resource.identifier: resource for resource in resources}
