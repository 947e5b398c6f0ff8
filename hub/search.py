"""Knowledge Hub search: PostgreSQL full text in both languages, a SQLite fallback, same folding.

Documents and queries go through `s4c.text` identically. On PostgreSQL each resource keeps a
weighted tsvector (title A, summary B, body and themes C) built from its English fields with the
`english` configuration and its normalised Arabic fields with the `arabic` configuration; a query is
matched against both, so a query in either language finds matches in either language's fields.
On SQLite, the same normalised tokens are stored as text and matched word by word.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import F, Q, Value
from django.utils.html import escape
from django.utils.safestring import mark_safe

from s4c.text import normalize_arabic, search_tokens

from .models import Resource

_TAG = re.compile(r"<[^>]*>")


def _uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def _html_to_text(html: str) -> str:
    # Tags become spaces (not nothing: "</p><p>" separates words), entities become characters.
    return unescape(_TAG.sub(" ", html))


def _theme_names(themes, language: str) -> str:
    return " ".join(filter(None, (getattr(t, f"name_{language}") for t in themes)))


def document_parts(resource: Resource, *, themes=None) -> dict[str, dict[str, str]]:
    """The indexed text by weight and language (Arabic normalised).

    `themes` may be given for a resource not saved yet (bulk loading); otherwise they are read.
    """
    if themes is None:
        themes = list(resource.themes.all())
    parts = {}
    for weight, fields in (("A", ("title",)), ("B", ("summary",)), ("C", ("body",))):
        for language in ("en", "ar"):
            text = " ".join(filter(None, (getattr(resource, f"{f}_{language}") for f in fields)))
            if weight == "C":
                text = f"{_html_to_text(text)} {_theme_names(themes, language)} {resource.authors}"
            # Arabic goes in as normalised, article-stripped tokens: PostgreSQL's stemmer treats
            # "الرعايه" and "رعايه" differently, so both sides must reach it in the same form.
            parts.setdefault(weight, {})[language] = (
                " ".join(search_tokens(text)) if language == "ar" else text
            )
    return parts


def search_text_from_parts(parts: dict[str, dict[str, str]]) -> str:
    """The SQLite fallback's normalised tokens."""
    return " ".join(search_tokens(" ".join(parts[w][lang] for w in parts for lang in ("en", "ar"))))


# The same vector as `update_search_index` builds with SearchVector(...), as plain SQL for bulk
# loading: parameters are the texts in the order of VECTOR_PARAMETER_ORDER.
VECTOR_PARAMETER_ORDER = [(w, lang) for w in ("A", "B", "C") for lang in ("en", "ar")]
VECTOR_SQL = " || ".join(
    f"setweight(to_tsvector('{'english' if lang == 'en' else 'arabic'}'::regconfig, %s), '{w}')"
    for w, lang in VECTOR_PARAMETER_ORDER
)


def update_search_index(resource: Resource) -> None:
    """Refresh one resource's search data (called by the services after every write)."""
    parts = document_parts(resource)
    updates = {"search_text": search_text_from_parts(parts)}
    if _uses_postgres():
        vector = None
        for weight, by_language in parts.items():
            for language, config in (("en", "english"), ("ar", "arabic")):
                piece = SearchVector(Value(by_language[language]), config=config, weight=weight)
                vector = piece if vector is None else vector + piece
        updates["search_vector"] = vector
    Resource.objects.filter(pk=resource.pk).update(**updates)


def canonical_query(query: str) -> str:
    """The query as every engine reads it: Arabic spelling folded, lower case, single spaces.

    Spelling variants of one query are the same query (and share a cached result).
    """
    return " ".join(normalize_arabic(query).lower().split())


def _postgres_query(query: str) -> SearchQuery:
    query = canonical_query(query)
    english = SearchQuery(query, config="english", search_type="websearch")
    arabic = SearchQuery(" ".join(search_tokens(query)), config="arabic", search_type="plain")
    return english | arabic


def search_resources(*, queryset, query: str, language: str = "en"):
    """Filter `queryset` to resources matching `query`, annotated with `rank` (higher is better)."""
    tokens = search_tokens(query)
    if not tokens:
        return queryset.annotate(rank=Value(0.0))
    if _uses_postgres():
        ts_query = _postgres_query(query)
        return queryset.filter(search_vector=ts_query).annotate(
            rank=SearchRank(F("search_vector"), ts_query)
        )
    condition = Q()
    for token in tokens:
        condition &= Q(search_text__contains=token)
    # A crude rank for the fallback: more recent first among matches.
    return queryset.filter(condition).annotate(rank=F("publication_year") * 0.0001)


@lru_cache(maxsize=20_000)
def _piece_tokens(piece: str) -> frozenset[str]:
    # Summaries share most of their words: folding each distinct word once is most of the cost.
    return frozenset(search_tokens(piece))


def highlight(text: str, query: str, *, words: int = 40) -> str:
    """An escaped snippet of `text` around the first match, with matching words in <mark>.

    Matching compares normalised tokens, so `الرعايه` highlights `الرِّعَايَة` in the original text.
    """
    if not text:
        return ""
    wanted = set(search_tokens(query))
    pieces = text.split()
    hits = [i for i, piece in enumerate(pieces) if _piece_tokens(piece) & wanted]
    start = max(0, (hits[0] - words // 3) if hits else 0)
    window = pieces[start : start + words]
    out = []
    for offset, piece in enumerate(window):
        escaped = escape(piece)
        out.append(f"<mark>{escaped}</mark>" if start + offset in hits else escaped)
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + words < len(pieces) else ""
    return mark_safe(prefix + " ".join(out) + suffix)  # noqa: S308 - every piece is escaped


# --- the public list's summary on PostgreSQL -----------------------------------------------------
#
# hub_search_document (migration 0003, kept in step by triggers) holds published resources only,
# with their vector and facet values. One statement reads the matching documents once and returns
# the ranked slice of ids, the total and every facet's counts (each facet counted under the other
# facets' filters), instead of one pass per count over the wide resource table.

SEARCH_DOCUMENT_TABLE = "hub_search_document"
# Facet → (column of hub_search_document, is it an array).
DOCUMENT_FACETS = {
    "type": ("resource_type", False),
    "theme": ("theme_slugs", True),
    "region": ("region_codes", True),
    "country": ("countries", True),
    "language": ("languages", True),
    "year": ("publication_year", False),
}
_ORDER = {
    "relevance": "rank DESC, publication_year DESC, id",
    "newest": "publication_year DESC, published_at DESC, id",
    "title_en": "title_en, id",
    "title_ar": "title_ar, id",
}


@dataclass
class ListSummary:
    """What a page of the public list needs, whatever engine computed it."""

    total: int
    offset: int
    ids: list[int]  # the resources from `offset` on, in order
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # facet → value → count


def _facet_predicate(facet: str) -> str:
    column, is_array = DOCUMENT_FACETS[facet]
    cast = "int[]" if facet == "year" else "text[]"
    operator = (
        f"{column} && %(f_{facet})s::{cast}"
        if is_array
        else f"{column} = ANY(%(f_{facet})s::{cast})"
    )
    return f"({operator}) AS ok_{facet}"


def postgres_list_summary(
    *, query: str, filters: dict[str, list[str]], sort: str, language: str, offset: int, limit: int
) -> ListSummary:
    """The list's summary in one statement (see above); `sort` is relevance, newest or title."""
    query = canonical_query(query)
    params: dict[str, object] = {"limit": limit, "offset": offset}
    columns = ["resource_id AS id", "publication_year", "published_at"]
    columns += [DOCUMENT_FACETS[f][0] for f in ("type", "theme", "region", "country", "language")]
    where = "TRUE"
    tokens = search_tokens(query)
    if tokens:
        # `_postgres_query` as SQL (the engines' agreement test holds the two together).
        params["q_en"], params["q_ar"] = query, " ".join(tokens)
        ts_query = (
            "(websearch_to_tsquery('english', %(q_en)s) || plainto_tsquery('arabic', %(q_ar)s))"
        )
        where = f"vector @@ {ts_query}"
        if sort == "relevance":
            columns.append(f"ts_rank(vector, {ts_query}) AS rank")
    if sort == "relevance" and "q_en" not in params:
        columns.append("0.0 AS rank")
    language = language if language in ("en", "ar") else "en"  # a column name below
    order_key = f"title_{language}" if sort == "title" else sort
    if sort == "title":
        columns.append(f"title_{language}")
    active = [facet for facet in DOCUMENT_FACETS if filters.get(facet)]
    for facet in active:
        values = filters[facet]
        params[f"f_{facet}"] = [int(v) for v in values] if facet == "year" else list(values)
        columns.append(_facet_predicate(facet))

    def passing(skip: str | None = None) -> str:
        return " AND ".join(f"ok_{f}" for f in active if f != skip) or "TRUE"

    facet_parts = []
    for facet, (column, is_array) in DOCUMENT_FACETS.items():
        # unnest() in the select list (a ProjectSet) is about twice as fast as a lateral join.
        value = f"unnest({column})" if is_array else column
        facet_parts.append(
            f"'{facet}', (SELECT coalesce(json_object_agg(v, n), '{{}}') FROM "
            f"(SELECT v::text AS v, count(*) AS n FROM "
            f"(SELECT {value} AS v FROM m WHERE {passing(facet)}) AS values GROUP BY 1) AS c)"
        )
    sql = f"""
        WITH m AS MATERIALIZED (SELECT {", ".join(columns)} FROM {SEARCH_DOCUMENT_TABLE} WHERE {where})
        SELECT json_build_object(
            'total', (SELECT count(*) FROM m WHERE {passing()}),
            'ids', (SELECT coalesce(json_agg(id), '[]') FROM (
                SELECT id FROM m WHERE {passing()} ORDER BY {_ORDER[order_key]}
                LIMIT %(limit)s OFFSET %(offset)s) page),
            {", ".join(facet_parts)})
    """
    with transaction.atomic(), connection.cursor() as cursor:
        # The matching documents are kept in memory for the seven aggregates: give them room
        # (for this transaction only) rather than spilling a broad query's rows to disk.
        cursor.execute("SET LOCAL work_mem = '32MB'")
        cursor.execute(sql, params)
        (data,) = cursor.fetchone()
    return ListSummary(
        total=data["total"],
        offset=offset,
        ids=data["ids"],
        counts={facet: data[facet] for facet in DOCUMENT_FACETS},
    )
