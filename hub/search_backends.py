"""The Knowledge Hub's search engine, behind one seam (in the manner of Wagtail's search backends).

Whatever searches or counts the hub's published resources asks `search_backend()`:

- `summary(...)`: the public list's page — ranked ids from an offset, the total and the six facet
  counts (each facet counted under the other facets' filters);
- `related(...)`: the resources sharing most themes with one resource (its detail page);
- `search(queryset, query)`: a queryset filtered to the matches and annotated with `rank` (the API's
  `?q=`, which can order by it);
- `index(resource)`: recompute one resource's search data (the services call it after each write).

`PostgresBackend` is the engine: the search documents (`hub_search_document`, kept in step with the
resources by the triggers of migration `hub/0003`) answer a summary in one SQL statement.
`SQLiteFallback` is a functional fallback for development and tests without PostgreSQL: the same
answers from the ORM over the folded tokens, with a crude rank (newest first among matches), and
no attention to speed. `list_summary` in `hub.selectors` caches summaries per content version.
"""

from dataclasses import dataclass, field
from functools import cache

from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from .models import Resource
from .search import (
    SEARCH_DOCUMENT_TABLE,
    canonical_query,
    search_resources,
    search_tokens,
    update_search_index,
)


@dataclass
class ListSummary:
    """What a page of the public list needs, whatever backend computed it."""

    total: int
    offset: int
    ids: list[int]  # the resources from `offset` on, in order
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # facet → value → count


FACETS = ("type", "theme", "region", "country", "language", "year")
SORTS = ("relevance", "newest", "title")


class SearchBackend:
    """The seam: what the portal asks of a search engine (see the module's docstring)."""

    def summary(
        self,
        *,
        query: str,
        filters: dict[str, list[str]],
        sort: str,
        language: str,
        offset: int,
        limit: int,
    ) -> ListSummary:
        raise NotImplementedError

    def related(self, *, resource: Resource, limit: int) -> list[int]:
        """Ids of published resources sharing most themes with `resource`, then the newest."""
        raise NotImplementedError

    def search(self, queryset: QuerySet[Resource], query: str) -> QuerySet[Resource]:
        """`queryset` filtered to the matches of `query`, annotated with `rank` (higher first)."""
        return search_resources(queryset=queryset, query=query)

    def index(self, resource: Resource) -> None:
        update_search_index(resource)


# --- PostgreSQL: the engine ----------------------------------------------------------------------
#
# hub_search_document holds published resources only, with their vector and facet values as arrays.
# One statement reads the matching documents once into a narrow materialised set and returns the
# ranked slice of ids, the total and every facet's counts from it.

# Facet → (column of hub_search_document, its key column if the column is an array). The key is
# the array's values joined by spaces (a generated column, hub migration 0008): the counts group
# documents by it, as a text, which hashes faster than the array it spells (docs/performance.md;
# slugs and codes hold no space: SlugField and ISO codes).
DOCUMENT_FACETS = {
    "type": ("resource_type", None),
    "theme": ("theme_slugs", "theme_key"),
    "region": ("region_codes", "region_key"),
    "country": ("countries", "country_key"),
    "language": ("languages", "language_key"),
    "year": ("publication_year", None),
}
_ORDER = {
    "relevance": "rank DESC, publication_year DESC, id",
    "newest": "publication_year DESC, published_at DESC, id",
    "title": "title_key, id",
}
# The query as SQL: English words stemmed by `english`, the folded tokens by `arabic` (as
# `hub.search.search_resources` builds it with Django's SearchQuery).
TS_QUERY = "(websearch_to_tsquery('english', %(q_en)s) || plainto_tsquery('arabic', %(q_ar)s))"


def _facet_predicate(facet: str) -> str:
    column, key = DOCUMENT_FACETS[facet]
    cast = "int[]" if facet == "year" else "text[]"
    if key:
        return f"({column} && %(f_{facet})s::{cast}) AS ok_{facet}"
    return f"({column} = ANY(%(f_{facet})s::{cast})) AS ok_{facet}"


def _facet_counts_sql(facet: str, where: str) -> str:
    column, key = DOCUMENT_FACETS[facet]
    if not key:
        counted = f"SELECT {column} AS v, count(*) AS n FROM m WHERE {where} GROUP BY 1"  # noqa: S608 - names from this module's constants; values are parameters
    else:
        # Grouped by the whole set first (a few hundred distinct theme sets among tens of
        # thousands of documents), by its key, then each distinct set unnested once: cheaper than
        # unnesting every document's array.
        counted = (
            f"SELECT v, sum(n) AS n FROM (SELECT {key} AS k, count(*) AS n FROM m "  # noqa: S608 - names from this module's constants; values are parameters
            f"WHERE {where} GROUP BY 1) AS sets, unnest(string_to_array(sets.k, ' ')) AS v "
            "GROUP BY 1"
        )
    return f"'{facet}', (SELECT coalesce(json_object_agg(v, n), '{{}}') FROM ({counted}) AS c)"  # noqa: S608 - names from this module's constants; values are parameters


class PostgresBackend(SearchBackend):
    def summary(self, *, query, filters, sort, language, offset, limit) -> ListSummary:
        query = canonical_query(query)
        params: dict[str, object] = {"limit": limit, "offset": offset}
        # What the counts read of each document: the facet's key, or its value (the year is a
        # column already).
        columns = ["resource_id AS id", "publication_year", "published_at"]
        columns += [key or column for f, (column, key) in DOCUMENT_FACETS.items() if f != "year"]
        where = "TRUE"
        tokens = search_tokens(query)
        if tokens:
            params["q_en"], params["q_ar"] = query, " ".join(tokens)
            where = f"vector @@ {TS_QUERY}"
            if sort == "relevance":
                columns.append(f"ts_rank(vector, {TS_QUERY}) AS rank")
        if sort == "relevance" and not tokens:
            columns.append("0.0 AS rank")
        language = language if language in ("en", "ar") else "en"  # a column name below
        if sort == "title":
            # By the title the page shows: its own language's, else the other's (a resource with
            # an Arabic title only sorts by it on /en/, not first by its empty English one).
            other = "ar" if language == "en" else "en"
            columns.append(f"COALESCE(NULLIF(title_{language}, ''), title_{other}) AS title_key")
        active = [facet for facet in FACETS if filters.get(facet)]
        for facet in active:
            values = filters[facet]
            params[f"f_{facet}"] = [int(v) for v in values] if facet == "year" else list(values)
            columns.append(_facet_predicate(facet))

        def passing(skip: str | None = None) -> str:
            return " AND ".join(f"ok_{f}" for f in active if f != skip) or "TRUE"

        sql = f"""
            WITH m AS MATERIALIZED (
                SELECT {", ".join(columns)} FROM {SEARCH_DOCUMENT_TABLE} WHERE {where})
            SELECT json_build_object(
                'total', (SELECT count(*) FROM m WHERE {passing()}),
                'ids', (SELECT coalesce(json_agg(id), '[]') FROM (
                    SELECT id FROM m WHERE {passing()} ORDER BY {_ORDER[sort]}
                    LIMIT %(limit)s OFFSET %(offset)s) AS page),
                {", ".join(_facet_counts_sql(f, passing(f)) for f in FACETS)})
        """  # noqa: S608 - names from this module's constants; values are parameters
        with transaction.atomic(), connection.cursor() as cursor:
            # For this statement only: room to keep a broad query's matches in memory for the
            # aggregates (rather than spilling them to disk), and no JIT compilation, which the
            # planner's cost estimate triggers for a broad query and which costs more than the
            # statement saves by it.
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(sql, params)
            (data,) = cursor.fetchone()
        return ListSummary(
            total=data["total"],
            offset=offset,
            ids=data["ids"],
            counts={facet: data[facet] for facet in FACETS},
        )

    def related(self, *, resource, limit) -> list[int]:
        slugs = sorted(resource.themes.values_list("slug", flat=True))
        if not slugs:
            return []
        order = "publication_year DESC, published_at DESC NULLS FIRST, resource_id"
        params = {"slugs": slugs, "id": resource.pk, "limit": limit}
        with connection.cursor() as cursor:
            # Those sharing every theme come first: when there are enough of them, the answer is
            # theirs, without counting the shared themes of every document sharing one.
            cursor.execute(
                f"SELECT resource_id FROM {SEARCH_DOCUMENT_TABLE} WHERE theme_slugs @> "  # noqa: S608 - names from this module's constants; values are parameters
                f"%(slugs)s::text[] AND resource_id <> %(id)s ORDER BY {order} LIMIT %(limit)s",
                params,
            )
            ids = [row[0] for row in cursor.fetchall()]
            if len(ids) == limit:
                return ids
            shared = "(SELECT count(*) FROM unnest(theme_slugs) AS s WHERE s = ANY(%(slugs)s))"
            cursor.execute(
                f"SELECT resource_id FROM {SEARCH_DOCUMENT_TABLE} WHERE theme_slugs && "  # noqa: S608 - names from this module's constants; values are parameters
                f"%(slugs)s::text[] AND resource_id <> %(id)s ORDER BY {shared} DESC, {order} "
                "LIMIT %(limit)s",
                params,
            )
            return [row[0] for row in cursor.fetchall()]


# --- SQLite (and any other database): the functional fallback -------------------------------------

_FACET_FIELDS = {
    "type": "resource_type",
    "theme": "themes__slug",
    "region": "regions__code",
    "country": "country_links__country",
    "language": "language_links__language",
    "year": "publication_year",
}


def apply_filters(queryset, filters: dict[str, list[str]], *, skip: str | None = None):
    # Values within one facet combine with OR (`__in`), facets with AND (successive filters).
    for facet, values in filters.items():
        if facet == skip:
            continue
        queryset = queryset.filter(
            pk__in=Resource.objects.filter(**{f"{_FACET_FIELDS[facet]}__in": values}).values("pk")
        )
    return queryset


class SQLiteFallback(SearchBackend):
    """Functional, not tuned: the same answers as the engine by plain ORM queries (one per facet),
    ranked crudely (newest first among matches). Tests run the two side by side on PostgreSQL."""

    def _base(self, query: str):
        base = Resource.objects.published()
        return self.search(base, query) if query else base

    def summary(self, *, query, filters, sort, language, offset, limit) -> ListSummary:
        base = self._base(query)
        filtered = apply_filters(base, filters)
        if sort == "relevance":
            ordered = filtered.order_by("-rank", "-publication_year", "pk")
        elif sort == "title":
            language = language if language in ("en", "ar") else "en"
            other = "ar" if language == "en" else "en"
            shown = Coalesce(NullIf(f"title_{language}", Value("")), f"title_{other}")
            ordered = filtered.order_by(shown, "pk")
        else:
            ordered = filtered.order_by("-publication_year", "-published_at", "pk")
        return ListSummary(
            total=ordered.count(),
            offset=offset,
            ids=list(ordered.values_list("pk", flat=True)[offset : offset + limit]),
            counts=self._facet_counts(base, filters),
        )

    def _facet_counts(self, base, filters) -> dict[str, dict[str, int]]:
        result = {}
        for facet in FACETS:
            scoped = apply_filters(base, filters, skip=facet)
            field_name = _FACET_FIELDS[facet]
            rows = (
                Resource.objects.filter(pk__in=scoped.values("pk"))
                .exclude(**{f"{field_name}__isnull": True})
                .values(field_name)
                .annotate(n=Count("pk", distinct=True))
                .order_by()
            )
            result[facet] = {str(row[field_name]): row["n"] for row in rows}
        return result

    def related(self, *, resource, limit) -> list[int]:
        theme_ids = list(resource.themes.values_list("pk", flat=True))
        if not theme_ids:
            return []
        return list(
            Resource.objects.published()
            .exclude(pk=resource.pk)
            .filter(themes__in=theme_ids)
            .annotate(shared=Count("themes", filter=Q(themes__in=theme_ids)))
            .order_by(
                "-shared", "-publication_year", F("published_at").desc(nulls_first=True), "pk"
            )
            .values_list("pk", flat=True)[:limit]
        )


@cache
def _backends() -> dict[str, SearchBackend]:
    return {"postgresql": PostgresBackend(), "fallback": SQLiteFallback()}


def search_backend() -> SearchBackend:
    """The engine for the database in use: PostgreSQL's, or the functional fallback."""
    backends = _backends()
    return backends.get(connection.vendor, backends["fallback"])
