"""The public list's summary from memory: PostgreSQL matches words, numpy does the rest.

`postgres_list_summary` answers in one statement, but a broad query ("care" matches 86,000 of
90,000 documents) makes PostgreSQL read, rank and count every match: half a second. Here:

- a **document table** holds, for every published document, one bit set of documents per facet
  value and each document's position in every sort order (titles sorted by PostgreSQL, so its
  collation decides). Read once per *search version* (migration hub/0004: it changes when a
  transaction that changed documents commits) and shared between processes through the cache;
- **postings**: for each word of a query, the documents containing it and their `ts_rank` for
  that word alone, read from PostgreSQL (GIN) once per version and word, then shared likewise;
- a query is then set operations over postings, the facet counts population counts, the page a
  partial sort: a few milliseconds, whatever the number of matches.

Ranks are PostgreSQL's own: `ts_rank` of a query whose top operator is not AND is the mean, over
the query's distinct words, of a per-word contribution (tsrank.c, `calc_rank_or`). PostgreSQL adds
those contributions in double precision and rounds to float4 after each; the per-word float4 rank
it gives us is that contribution rounded, from which the exact contribution is recovered (it is a
float4 numerator divided by a constant). Queries of other shapes (phrases, prefixes, weights, a
top-level AND) are left to `postgres_list_summary`; so is a transaction that changed documents and
has not committed (its reads must see its own changes). Agreement with the SQL engine is tested on
totals, ordered ids and every facet count (tests/hub/test_search_memory.py).
"""

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from s4c.caching import get_or_compute
from s4c.text import search_tokens

from .search import DOCUMENT_FACETS, ListSummary, canonical_query

# tsrank.c: the contribution of one word is a float4 numerator divided by this double.
_RANK_DIVISOR = 1.64493406685
_FACETS = tuple(DOCUMENT_FACETS)
# The orders a document table knows each document's position in. Relevance sorts by rank, then
# by its "relevance" position (year, newest first, then id), as `hub.search._ORDER` does.
_ORDERS = ("newest", "relevance", "title_en", "title_ar")
_POSTING = np.dtype([("id", ">i8"), ("rank", ">f4")])


# Part of the cache keys: a process never reads a table or postings another release laid out.
_LAYOUT = 2


class Unsupported(Exception):
    """A query this engine does not evaluate; the SQL engine answers it."""


# --- the query: PostgreSQL parses and stems it, we read its tree ------------------------------

_QUERY_TOKEN = re.compile(
    r"\s*(?:(\()|(\))|(!)|(&)|(\|)|(<(?:-|\d+)>)|'((?:[^'\\]|''|\\.)*)'(:\S*)?)"
)


def parse_tsquery(text: str):
    """The tree of a tsquery's text form: ("word", lexeme) | ("not", x) | ("and"|"or", x, y).

    Raises Unsupported for phrases, prefixes and weight restrictions.
    """
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _QUERY_TOKEN.match(text, position)
        if not match:
            raise Unsupported(text)
        position = match.end()
        opening, closing, negation, conjunction, disjunction, phrase, word, suffix = match.groups()
        if phrase or suffix:
            raise Unsupported(text)  # positions or weights matter: PostgreSQL evaluates those
        if word is not None:
            tokens.append(("word", re.sub(r"''|\\(.)", lambda m: m.group(1) or "'", word)))
        else:
            tokens.append(
                (next(t for t in (opening, closing, negation, conjunction, disjunction) if t),)
            )
    if not tokens:
        return None
    tree, rest = _parse_or(tokens)
    if rest:
        raise Unsupported(text)
    return tree


def _parse_or(tokens):
    left, tokens = _parse_and(tokens)
    while tokens and tokens[0] == ("|",):
        right, tokens = _parse_and(tokens[1:])
        left = ("or", left, right)
    return left, tokens


def _parse_and(tokens):
    left, tokens = _parse_not(tokens)
    while tokens and tokens[0] == ("&",):
        right, tokens = _parse_not(tokens[1:])
        left = ("and", left, right)
    return left, tokens


def _parse_not(tokens):
    if not tokens:
        raise Unsupported("")
    if tokens[0] == ("!",):
        operand, tokens = _parse_not(tokens[1:])
        return ("not", operand), tokens
    if tokens[0] == ("(",):
        inner, tokens = _parse_or(tokens[1:])
        if not tokens or tokens[0] != (")",):
            raise Unsupported("")
        return inner, tokens[1:]
    if tokens[0][0] == "word":
        return tokens[0], tokens[1:]
    raise Unsupported("")


def _words(tree) -> set[str]:
    if tree[0] == "word":
        return {tree[1]}
    return set().union(*(_words(child) for child in tree[1:]))


# --- the document table -------------------------------------------------------------------------


@dataclass
class DocumentTable:
    """Every published document at one search version, as arrays indexed by position."""

    version: int
    ids: np.ndarray  # int64, ascending
    order: dict[str, np.ndarray]  # sort name → each document's position in that order
    values: dict[str, list[str]]  # facet → its values, by code
    # facet → one bit set of documents per value (rows: values by code; bits: documents); a count
    # is then a population count of (row AND the scope's bits): ~0.5 ms for all six facets.
    members: dict[str, np.ndarray]

    @property
    def size(self) -> int:
        return len(self.ids)


# One packed record per document (as PostgreSQL's int8send/int2send write them).
_RECORD = np.dtype(
    [("id", ">i8"), ("year", ">i2"), ("published", ">i8"), ("sizes", ">i2", (len(_FACETS),))]
)


def _read_table(cursor) -> DocumentTable:
    """The document table, read in one statement (one snapshot: its version and its rows agree).

    PostgreSQL sends fixed-width columns as one packed value and every facet value as one text,
    both in resource order (two sorts, not one per column); numpy derives the orders by year and
    date, PostgreSQL sorts the titles (its collation decides).
    """
    sizes, texts = [], []
    for column, is_array in DOCUMENT_FACETS.values():
        sizes.append(f"int2send({f'cardinality({column})' if is_array else '1'}::int2)")
        texts.append(
            f"nullif(array_to_string({column}, E'\\n'), '')" if is_array else f"{column}::text"
        )
    titles = ", ".join(
        f"(SELECT string_agg(int8send(resource_id), '' ORDER BY title_{language}, resource_id)"
        " FROM hub_search_document)"
        for language in ("en", "ar")
    )
    cursor.execute(
        f"""
        SELECT (SELECT version FROM hub_search_version), {titles},
               string_agg(
                   int8send(resource_id) || int2send(publication_year)
                   -- microseconds; no date sorts first among the newest, as NULLs do in DESC order
                   || int8send(coalesce((extract(epoch FROM published_at) * 1000000)::int8,
                                        9223372036854775807))
                   || {" || ".join(sizes)},
                   '' ORDER BY resource_id),
               string_agg(concat_ws(E'\\n', {", ".join(texts)}), E'\\n' ORDER BY resource_id)
        FROM hub_search_document
        """
    )
    version, title_en, title_ar, packed, text = cursor.fetchone()
    records = np.frombuffer(bytes(packed or b""), dtype=_RECORD)
    ids = records["id"].astype(np.int64)
    years = records["year"].astype(np.int64)
    order = {
        "newest": _positions(np.lexsort((ids, -records["published"].astype(np.int64), -years))),
        "relevance": _positions(np.lexsort((ids, -years))),
    }
    for language, blob in (("en", title_en), ("ar", title_ar)):
        order[f"title_{language}"] = _positions(np.searchsorted(ids, _array(blob, ">i8", np.int64)))
    # Every value, document after document and facet after facet within a document.
    words = text.split("\n") if text else []
    vocabulary = sorted(set(words))
    number = {word: code for code, word in enumerate(vocabulary)}
    word_codes = np.fromiter((number[w] for w in words), dtype=np.int32, count=len(words))
    counts = records["sizes"].astype(np.int64)  # document × facet
    facet_of = np.repeat(np.tile(np.arange(len(_FACETS)), len(ids)), counts.ravel())
    doc_of = np.repeat(np.arange(len(ids), dtype=np.int32), counts.sum(axis=1))
    values, members = {}, {}
    width = _bits(len(ids))
    for index, facet in enumerate(_FACETS):
        mine = facet_of == index
        used = np.unique(word_codes[mine])
        values[facet] = [vocabulary[code] for code in used.tolist()]
        bits = np.zeros((len(used), width), dtype=bool)
        bits[np.searchsorted(used, word_codes[mine]), doc_of[mine]] = True
        members[facet] = _pack(bits)
    return DocumentTable(
        version=version,
        ids=ids,
        order=order,
        values=values,
        members=members,
    )


def _bits(size: int) -> int:
    return -(-size // 64) * 64  # whole 64-bit words


def _pack(mask: np.ndarray) -> np.ndarray:
    """Boolean rows (or one row) of documents as 64-bit words, padded with zeros."""
    mask = np.atleast_2d(mask)
    padded = np.zeros((mask.shape[0], _bits(mask.shape[1])), dtype=bool)
    padded[:, : mask.shape[1]] = mask
    return np.packbits(padded, axis=1).view(np.uint64)


def _unpack(words: np.ndarray, size: int) -> np.ndarray:
    """64-bit words (rows, or one row) back to booleans, one per document."""
    return np.unpackbits(words.view(np.uint8), axis=-1)[..., :size]


def _positions(permutation: np.ndarray) -> np.ndarray:
    """Each document's position in an order given as the documents in that order."""
    positions = np.empty(len(permutation), dtype=np.int32)
    positions[permutation] = np.arange(len(permutation), dtype=np.int32)
    return positions


def _array(blob, wire_type: str, native) -> np.ndarray:
    return np.frombuffer(bytes(blob or b""), dtype=wire_type).astype(native)


# --- per-process state ----------------------------------------------------------------------------

_lock = threading.Lock()
_tables: dict[str, DocumentTable] = {}
# (database, version) → word → postings, least recently added first.
_postings: dict[tuple[str, int], OrderedDict] = {}


def _database_key() -> str:
    return f"{connection.settings_dict['HOST']}:{connection.settings_dict['NAME']}"


def _table_key(database: str, version: int) -> str:
    return f"s4c:hub-documents:{_LAYOUT}:{database}:{version}"


def _table(version: int) -> DocumentTable | None:
    """The document table at `version`: this process's, the cache's, or read now.

    Reading it takes a second or two at 100,000 documents: one request does it (or the periodic
    warm-up task, `hub.tasks.warm_search_memory`, before any request needs it) while the others
    are answered by the SQL engine rather than made to wait.
    """
    key = _database_key()
    table = _tables.get(key)
    if table is not None and table.version == version:
        return table
    cache_key = _table_key(key, version)
    table = cache.get(cache_key)
    if table is None:
        if cache.add(f"{cache_key}:lock", 1, 60) is False:
            return None  # another process is reading it
        try:
            with connection.cursor() as cursor:
                table = _read_table(cursor)
            cache.set(_table_key(key, table.version), table, settings.HUB_LIST_CACHE_SECONDS)
        finally:
            cache.delete(f"{cache_key}:lock")
    if table.version != version:  # documents changed meanwhile: the next request catches up
        return None
    with _lock:
        _tables[key] = table
        for stale in [k for k in _postings if k[0] == key and k[1] != version]:
            del _postings[stale]
    return table


_RECENT_WORDS_KEY = "s4c:hub-recent-words"


def _remember(word: str) -> None:
    # Best effort (a lost update loses a word): read once per word and version, so rarely written.
    words = cache.get(_RECENT_WORDS_KEY) or []
    cache.set(
        _RECENT_WORDS_KEY, [word, *(w for w in words if w != word)][: settings.HUB_WARM_WORDS], None
    )


def warm() -> int | None:
    """Read the current document table and the recently searched words' postings ahead of requests.

    Run periodically (`hub.warm_search_memory`): after a content change, the first visitors find
    the new version ready instead of paying for it. Returns the version warmed, if any.
    """
    if connection.vendor != "postgresql" or settings.HUB_SEARCH_ENGINE != "memory":
        return None
    table = _current_table()
    if table is None:
        return None
    for word in cache.get(_RECENT_WORDS_KEY) or []:
        if _word_postings(table, word, searched=False) is None:
            return None
    return table.version


def _word_postings(
    table: DocumentTable, word: str, *, searched: bool = True
) -> tuple[np.ndarray, np.ndarray] | None:
    """The positions of the documents containing `word` and its exact contribution to their rank.

    `searched`: a visitor's search asks (the word joins the recent ones the warm-up reads).
    """
    key = _database_key()
    cached = _postings.get((key, table.version), {}).get(word)
    if cached is not None:
        return cached

    def read():
        if searched:
            _remember(word)
        literal = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT (SELECT version FROM hub_search_version),
                       string_agg(int8send(resource_id) || float4send(ts_rank(vector, q)), '')
                FROM hub_search_document, (SELECT %s::tsquery AS q) AS query WHERE vector @@ q
                """,
                [literal],
            )
            return cursor.fetchone()

    digest = hashlib.sha256(word.encode()).hexdigest()[:32]
    version, blob = get_or_compute(
        f"s4c:hub-postings:{_LAYOUT}:{key}:{table.version}:{digest}",
        read,
        timeout=settings.HUB_LIST_CACHE_SECONDS,
    )
    if version != table.version:
        return None
    rows = np.frombuffer(bytes(blob or b""), dtype=_POSTING)
    positions = np.searchsorted(table.ids, rows["id"].astype(np.int64)).astype(np.int32)
    postings = (positions, _contributions(rows["rank"].astype(np.float32)))
    with _lock:
        store = _postings.setdefault((key, table.version), OrderedDict())
        store[word] = postings
        total = sum(len(p[0]) for p in store.values())
        while total > settings.HUB_MEMORY_POSTINGS and len(store) > 1:
            _, dropped = store.popitem(last=False)
            total -= len(dropped[0])
    return postings


def _contributions(ranks: np.ndarray) -> np.ndarray:
    """The double each float4 rank was rounded from: numerator / divisor, numerator a float4.

    The numerator nearest rank × divisor, or a neighbour, is the one whose quotient rounds back.
    """
    guess = (ranks.astype(np.float64) * _RANK_DIVISOR).astype(np.float32)
    best = guess.astype(np.float64) / _RANK_DIVISOR
    for neighbour in (
        np.nextafter(guess, np.float32(-np.inf)),
        np.nextafter(guess, np.float32(np.inf)),
    ):
        quotient = neighbour.astype(np.float64) / _RANK_DIVISOR
        fits = (quotient.astype(np.float32) == ranks) & (best.astype(np.float32) != ranks)
        best = np.where(fits, quotient, best)
    return best


# --- the summary --------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _query_text(canonical: str, tokens: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (websearch_to_tsquery('english', %s) || plainto_tsquery('arabic', %s))::text",
            [canonical, tokens],
        )
        return cursor.fetchone()[0]


def _state() -> tuple[int, bool]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT version FROM hub_search_version),"
            " coalesce(current_setting('s4c.hub_search_dirty', true), '') = 'on'"
        )
        return cursor.fetchone()


def _current_table() -> DocumentTable | None:
    """The table at the committed search version; None in a transaction with its own changes."""
    version, dirty = _state()
    return None if dirty else _table(version)


def memory_list_summary(
    *, query: str, filters: dict[str, list[str]], sort: str, language: str, offset: int, limit: int
) -> ListSummary | None:
    """The list's summary as `postgres_list_summary` gives it, or None where that must answer."""
    version, dirty = _state()
    if dirty:
        return None
    canonical = canonical_query(query)
    tokens = search_tokens(canonical)
    tree = None
    if tokens:
        try:
            tree = parse_tsquery(_query_text(canonical, " ".join(tokens)))
        except Unsupported:
            return None
        if tree is not None and tree[0] == "and":
            return None  # ranked by calc_rank_and (word proximity): PostgreSQL's to do
    table = _table(version)
    if table is None:
        return None
    size = table.size
    rank = None
    if tokens:
        if tree is None:  # only stop words: PostgreSQL's `@@` matches nothing
            matched = np.zeros(size, dtype=bool)
        else:
            postings = {}
            for word in _words(tree):
                found = _word_postings(table, word)
                if found is None:
                    return None
                postings[word] = found
            matched = _evaluate(tree, postings, size)
            if sort == "relevance":
                rank = _rank(postings, size)
    else:
        matched = np.ones(size, dtype=bool)

    passes = {
        facet: _passing(table, facet, filters[facet]) for facet in _FACETS if filters.get(facet)
    }
    every = matched.copy()
    for mask in passes.values():
        every &= mask
    counts = {}
    for facet in _FACETS:
        scope = matched.copy()
        for other, mask in passes.items():
            if other != facet:
                scope &= mask
        tally = np.bitwise_count(table.members[facet] & _pack(scope)).sum(axis=1)
        counts[facet] = {
            table.values[facet][code]: int(n) for code, n in enumerate(tally.tolist()) if n
        }
    language = language if language in ("en", "ar") else "en"
    order_name = f"title_{language}" if sort == "title" else sort
    if order_name not in _ORDERS:
        order_name = "newest"
    ids = _page(table, np.flatnonzero(every), order_name, rank, offset, limit)
    return ListSummary(total=int(every.sum()), offset=offset, ids=ids, counts=counts)


def _evaluate(tree, postings, size: int) -> np.ndarray:
    kind = tree[0]
    if kind == "word":
        mask = np.zeros(size, dtype=bool)
        mask[postings[tree[1]][0]] = True
        return mask
    if kind == "not":
        return ~_evaluate(tree[1], postings, size)
    left, right = _evaluate(tree[1], postings, size), _evaluate(tree[2], postings, size)
    return left & right if kind == "and" else left | right


def _rank(postings, size: int) -> np.ndarray:
    # calc_rank_or: words in byte order, each contribution added in double, rounded to float4.
    rank = np.zeros(size, dtype=np.float32)
    for word in sorted(postings, key=lambda w: w.encode()):
        positions, contribution = postings[word]
        rank[positions] = (rank[positions].astype(np.float64) + contribution).astype(np.float32)
    return rank / np.float32(len(postings))


def _passing(table: DocumentTable, facet: str, selected: list[str]) -> np.ndarray:
    if facet == "year":  # compared as numbers by PostgreSQL: "0999" is 999
        selected = [str(int(v)) for v in selected]
    codes = [code for code, value in enumerate(table.values[facet]) if value in set(selected)]
    if not codes:
        return np.zeros(table.size, dtype=bool)
    either = np.bitwise_or.reduce(table.members[facet][codes], axis=0)
    return _unpack(either, table.size).astype(bool)


def _page(
    table, candidates: np.ndarray, order_name: str, rank, offset: int, limit: int
) -> list[int]:
    wanted = offset + limit
    if wanted <= 0 or not len(candidates):
        return []
    position = table.order[order_name][candidates]
    if rank is None:
        if wanted < len(candidates):
            keep = np.argpartition(position, wanted - 1)[:wanted]
            candidates, position = candidates[keep], position[keep]
        chosen = candidates[np.argsort(position, kind="stable")]
    else:
        score = rank[candidates]
        if wanted < len(candidates):
            # Every candidate ranked at least as high as the wanted-th (ties included).
            threshold = np.partition(score, len(score) - wanted)[len(score) - wanted]
            keep = score >= threshold
            candidates, position, score = candidates[keep], position[keep], score[keep]
        chosen = candidates[np.lexsort((position, -score))]
    return table.ids[chosen[offset:wanted]].tolist()


# --- related resources ----------------------------------------------------------------------------


def related_ids(*, resource_id: int, theme_slugs: list[str], limit: int) -> list[int] | None:
    """The published documents sharing most themes with a resource, as `related_resources` orders
    them (most shared themes, then newest); None where the database must answer."""
    table = _current_table()
    if table is None:
        return None
    vocabulary = table.values["theme"]
    codes = [vocabulary.index(slug) for slug in theme_slugs if slug in vocabulary]
    if not codes:
        return []
    shared = _unpack(table.members["theme"][codes], table.size).sum(axis=0, dtype=np.int32)
    itself = np.searchsorted(table.ids, resource_id)
    if itself < table.size and table.ids[itself] == resource_id:
        shared[itself] = 0
    candidates = np.flatnonzero(shared)
    order = np.lexsort((table.order["newest"][candidates], -shared[candidates]))
    return table.ids[candidates[order[:limit]]].tolist()
