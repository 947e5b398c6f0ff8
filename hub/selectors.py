"""Reads of the Knowledge Hub: who sees what, and the faceted list."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import translation
from django_countries import countries as all_countries

from .models import DOCUMENT_LANGUAGES, Region, Resource, ResourceCountry, ResourceLanguage, Theme
from .search import search_resources


def resources_published() -> QuerySet[Resource]:
    return Resource.objects.published()


def resources_visible_to(*, user) -> QuerySet[Resource]:
    """Published resources for everyone; staff who may view resources also see the others."""
    if user is not None and user.is_active and user.is_staff and user.has_perm("hub.view_resource"):
        return Resource.objects.alive()
    return Resource.objects.published()


def resource_for_display(*, identifier: str, user=None) -> Resource | None:
    return (
        resources_visible_to(user=user)
        .select_related("publisher")
        .prefetch_related("themes", "regions", "country_links", "language_links")
        .filter(identifier=identifier)
        .first()
    )


def resource_link_codes(resource_ids) -> dict[int, dict[str, list[str]]]:
    """Each resource's document languages, countries, ILO regions and themes as sorted codes.

    One query per relation whatever the number of resources, and no model instance per link (the
    API shows only the codes; prefetching would build and cache a queryset per resource).
    """
    ids = list(resource_ids)
    codes = {pk: {name: [] for name in LINK_CODES} for pk in ids}
    if not ids:
        return codes
    rows = {
        "document_languages": ResourceLanguage.objects.values_list("resource_id", "language"),
        "countries": ResourceCountry.objects.values_list("resource_id", "country"),
        "regions": Resource.regions.through.objects.values_list("resource_id", "region__code"),
        "themes": Resource.themes.through.objects.values_list("resource_id", "theme__slug"),
    }
    for name, links in rows.items():
        for resource_id, code in links.filter(resource_id__in=ids):
            codes[resource_id][name].append(code)
    for entry in codes.values():
        for values in entry.values():
            values.sort()
    return codes


LINK_CODES = ("document_languages", "countries", "regions", "themes")


def resource_was_public(*, identifier: str) -> bool:
    """A resource that exists but is no longer public (archived or deleted): 410, not 404."""
    return (
        Resource.objects.filter(identifier=identifier, published_at__isnull=False)
        .exclude(status=Resource.Status.PUBLISHED, deleted_at__isnull=True)
        .exists()
    )


def related_resources(*, resource: Resource, limit: int = 4) -> list[Resource]:
    theme_ids = [theme.pk for theme in resource.themes.all()]
    return list(
        Resource.objects.published()
        .exclude(pk=resource.pk)
        .filter(themes__in=theme_ids)
        .annotate(shared=Count("themes", filter=Q(themes__in=theme_ids)))
        .select_related("publisher")
        .order_by("-shared", "-publication_year")[:limit]
    )


# --- the faceted list ------------------------------------------------------------------------

FACETS = ("type", "theme", "region", "country", "language", "year")
_FACET_FIELDS = {
    "type": "resource_type",
    "theme": "themes__slug",
    "region": "regions__code",
    "country": "country_links__country",
    "language": "language_links__language",
    "year": "publication_year",
}
SORTS = ("relevance", "newest", "title")


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
            values = [v for v in values if v.isdigit() and len(v) == 4]
        if values:
            filters[facet] = sorted(set(values))
    sort = params.get("sort") or ("relevance" if q else "newest")
    if sort not in SORTS or (sort == "relevance" and not q):
        sort = "relevance" if q else "newest"
    return HubQuery(q=q, filters=filters, sort=sort)


def _apply_filters(queryset, filters: dict[str, list[str]], *, skip: str | None = None):
    # Values within one facet combine with OR (`__in`), facets with AND (successive filters).
    for facet, values in filters.items():
        if facet == skip:
            continue
        queryset = queryset.filter(
            pk__in=Resource.objects.filter(**{f"{_FACET_FIELDS[facet]}__in": values}).values("pk")
        )
    return queryset


def _labels(facet: str, values) -> dict[str, str]:
    if facet == "type":
        return {k: str(v) for k, v in Resource.Type.choices}
    if facet == "theme":
        return {t.slug: t.name for t in Theme.objects.filter(slug__in=values)}
    if facet == "region":
        return {r.code: r.name for r in Region.objects.filter(code__in=values)}
    if facet == "country":
        return {code: str(all_countries.name(code)) for code in values}
    if facet == "language":
        return {k: str(v) for k, v in DOCUMENT_LANGUAGES}
    return {str(v): str(v) for v in values}


def facet_counts(base, hub_query: HubQuery) -> dict[str, list[FacetValue]]:
    """Counts per facet value, each facet counted under every *other* facet's filter.

    One query per facet (plus labels for themes and regions), whatever the number of results.
    """
    result = {}
    for facet in FACETS:
        scoped = _apply_filters(base, hub_query.filters, skip=facet)
        field_name = _FACET_FIELDS[facet]
        rows = (
            Resource.objects.filter(pk__in=scoped.values("pk"))
            .exclude(**{f"{field_name}__isnull": True})
            .values(field_name)
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        counts = {str(row[field_name]): row["n"] for row in rows}
        selected = set(hub_query.filters.get(facet, []))
        labels = _labels(facet, set(counts) | selected)
        values = [
            FacetValue(v, labels.get(v, v), counts.get(v, 0), v in selected)
            for v in set(counts) | selected
        ]
        if facet == "year":
            values.sort(key=lambda fv: fv.value, reverse=True)
        else:
            values.sort(key=lambda fv: (-fv.count, fv.label))
        result[facet] = values
    return result


def _search_base(hub_query: HubQuery, language: str):
    base = resources_visible_to(user=None)  # the public list shows published resources only
    if hub_query.q:
        base = search_resources(queryset=base, query=hub_query.q, language=language)
    return base


def hub_matches(*, hub_query: HubQuery) -> QuerySet[Resource]:
    """The ordered, filtered resources of the public list (without facet counts)."""
    language = translation.get_language() or "en"
    return _ordered(_search_base(hub_query, language), hub_query, language)


def hub_results(*, hub_query: HubQuery, user=None):
    """(ordered queryset of matching resources, facet counts)."""
    language = translation.get_language() or "en"
    base = _search_base(hub_query, language)
    return _ordered(base, hub_query, language), facet_counts(base, hub_query)


def _ordered(base, hub_query: HubQuery, language: str):
    filtered = _apply_filters(base, hub_query.filters)
    if hub_query.sort == "relevance":
        ordered = filtered.order_by("-rank", "-publication_year", "pk")
    elif hub_query.sort == "title":
        ordered = filtered.order_by(f"title_{language}", "pk")
    else:
        ordered = filtered.order_by("-publication_year", "-published_at", "pk")
    ordered = ordered.select_related("publisher").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("order"))
    )
    return ordered
