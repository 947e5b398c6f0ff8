"""Knowledge Hub search: PostgreSQL full text in both languages, a SQLite fallback, same folding.

Documents and queries go through `core.text` identically. On PostgreSQL each resource keeps a
weighted tsvector (title A, summary B, body and themes C) built from its English fields with the
`english` configuration and its normalised Arabic fields with the `arabic` configuration; a query is
matched against both, so a query in either language finds matches in either language's fields.
On SQLite, the same normalised tokens are stored as text and matched word by word.
"""

import re
from functools import lru_cache
from html import unescape

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, FloatField, Q, Value
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.text import normalize_arabic, search_tokens

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


# A hyphen or dash between two letters or digits (U+2010–U+2014 too: pasted text).
_JOINED_BY_HYPHEN = re.compile(r"(?<=\w)[-\u2010-\u2014](?=\w)")


# The ILO's shorthand for its instruments: C189 (Convention No. 189), R193 (Recommendation), P029
# (Protocol), also written "C-189" or "C 189". Documents name them "(No. 193)".
_INSTRUMENT = re.compile(r"\b[crp][ -]?0*(\d{1,3})\b", re.ASCII)


def canonical_query(query: str) -> str:
    """The query as the search backends read it: Arabic spelling folded, lower case, single spaces,
    an instrument's shorthand read as its number, and words joined by a hyphen written apart.

    Spelling variants of one query are the same query (and share a cached result). PostgreSQL
    reads "informal-economy" as the compound itself besides its parts, and a document that says
    "informal economy" holds no compound: written apart, the query finds it (a hyphen before a
    word, "-care", still excludes it). "R193" is in no document, "Recommendation (No. 193)" is:
    the number finds it.
    """
    folded = _INSTRUMENT.sub(r"\1", normalize_arabic(query).lower())
    return " ".join(_JOINED_BY_HYPHEN.sub(" ", folded).split())


def _postgres_query(query: str) -> SearchQuery:
    query = canonical_query(query)
    english = SearchQuery(query, config="english", search_type="websearch")
    arabic = SearchQuery(" ".join(search_tokens(query)), config="arabic", search_type="plain")
    return english | arabic


def search_resources(*, queryset, query: str, language: str = "en"):
    """Filter `queryset` to resources matching `query`, annotated with `rank` (higher is better)."""
    query = canonical_query(query)
    tokens = search_tokens(query)
    if not tokens:
        return queryset.annotate(rank=Value(0.0))
    if _uses_postgres():
        ts_query = _postgres_query(query)
        # In double precision: ts_rank's float4 would reach Python rounded to its shortest decimal,
        # which no longer equals the database's value (the API's cursor compares ranks).
        return queryset.filter(search_vector=ts_query).annotate(
            rank=Cast(SearchRank(F("search_vector"), ts_query), output_field=FloatField())
        )
    condition = Q()
    for token in tokens:
        condition &= Q(search_text__contains=token)
    # The SQLite fallback's crude rank: more recent first among matches.
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
    wanted = set(search_tokens(canonical_query(query)))
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


# The published resources' search documents (migration 0003, kept in step by triggers), which the
# PostgreSQL backend reads (hub.search_backends).
SEARCH_DOCUMENT_TABLE = "hub_search_document"
