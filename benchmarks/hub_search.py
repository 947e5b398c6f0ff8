"""Knowledge Hub search latency on PostgreSQL: the list's engine cold, and whole pages.

Prepare a database once:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/s4c_hubbench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py load_south4care
    .venv/bin/python manage.py generate_hub_data --count 100000

then run `.venv/bin/python benchmarks/hub_search.py [--rounds 5] [--pages] [--replay 2000]` with the
same DATABASE_URL (and REDIS_URL for the Redis cache, as in production).

Figures:
- "table": reading the in-memory engine's document table (after each content change; the warm-up
  task does it before visitors come);
- "sql-cold": the list's summary (ranked page of 20 ids, total, six facet counts) by the SQL
  statement engine (`postgres_list_summary`, the fallback), no cache at all;
- "words-cold": the same summary by the in-memory engine the first time its words are searched in
  this content version (each word's postings read from PostgreSQL);
- "warm": the in-memory engine once its words are known, for three sorts;
- "page": the whole `/en|ar/hub/?q=…` request through Django (summary, resources, facet labels,
  snippets, template) with the result and page caches bypassed (first round: cold words);
- "replay": whole page requests replaying a search log — a Zipf-distributed mix of many distinct
  queries, filters and pages in both languages — as after a deployment: result cache on, page
  cache bypassed (a unique parameter), document table warmed, every word read the first time a
  search uses it;
- "after-edit": then a resource is edited (a new version), the warm-up task's work is done (the
  table and the recently searched words), and another log of the same popularity is replayed;
- "page-cache": a third log with the page cache on as well, as anonymous visitors are served.
"""

import argparse
import logging
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "s4c.settings")

import django  # noqa: E402

django.setup()
# Request and slow-query log lines would interleave with the figures (and cost time).
logging.disable(logging.WARNING)

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from hub import search_memory  # noqa: E402
from hub.models import Resource  # noqa: E402
from hub.search import postgres_list_summary  # noqa: E402

QUERIES = [
    # (language, query, filters)
    ("en", "care", {}),
    ("en", "domestic workers", {}),
    ("en", "cooperatives", {"language": ["ar"]}),
    ("en", "social protection floors", {}),
    ("en", "maternity", {"type": ["policy", "publication"]}),
    ("en", "childcare Brazil", {}),
    ("en", "statistics labour force survey", {}),
    ("en", "2019", {}),
    ("ar", "الرعاية", {}),
    ("ar", "الرعايه", {}),
    ("ar", "الرِّعَايَة", {}),
    ("ar", "والرعاية", {}),
    ("ar", "التعاونيات النسائية", {}),
    ("ar", "حماية الأمومة", {"theme": ["care-economy"]}),
    ("ar", "٢٠١٩", {}),
    ("ar", "المسنين", {"language": ["ar"]}),
    ("ar", "قطر", {}),
    ("ar", "الاقتصاد الاجتماعي والتضامني", {}),
]
# Words people combine into searches, for the replayed log (both languages).
WORDS = {
    "en": "care economy domestic workers childcare cooperatives maternity protection social "
    "floors financing informal statistics survey elderly disability migrant skills paternity "
    "leave gender equality dialogue procurement health policy guide Brazil Qatar Morocco Kenya "
    "India Mexico Jordan Honduras Moldova 2019 2021 2024".split(),
    "ar": "الرعاية الرعايه اقتصاد العمال المنزليين التعاونيات الأمومة حماية الاجتماعية "
    "والتضامني تمويل المسنين الإعاقة المهاجرون مهارات الأبوة المساواة الحوار قطر المغرب "
    "البرازيل الأردن كينيا الهند ٢٠١٩ ٢٠٢١ ٢٠٢٤ سياسات دليل".split(),
}
FILTERS = [{}, {}, {}, {"language": ["ar"]}, {"type": ["policy"]}, {"theme": ["care-economy"]}]


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def report(name: str, samples: list[float]) -> None:
    ms = [s * 1000 for s in samples]
    print(
        f"{name:10} n={len(ms):5}  p50={percentile(ms, 50):7.1f} ms  p95={percentile(ms, 95):7.1f} ms"
        f"  max={max(ms):7.1f} ms  mean={statistics.mean(ms):7.1f} ms"
    )


def time_cold(language: str, query: str, filters: dict) -> float:
    """The SQL statement engine (the fallback), no cache."""
    started = time.perf_counter()
    summary = postgres_list_summary(
        query=query, filters=filters, sort="relevance", language=language, offset=0, limit=20
    )
    elapsed = time.perf_counter() - started
    assert summary.total >= len(summary.ids)
    return elapsed


def forget_words() -> None:
    """This process and the shared cache forget every word's postings (the table stays)."""
    search_memory._postings.clear()
    cache.delete_pattern("*hub-postings*") if hasattr(cache, "delete_pattern") else cache.clear()


def time_memory(language: str, query: str, filters: dict, sort: str = "relevance") -> float:
    started = time.perf_counter()
    summary = search_memory.memory_list_summary(
        query=query, filters=filters, sort=sort, language=language, offset=0, limit=20
    )
    elapsed = time.perf_counter() - started
    assert summary is not None, query  # answered from memory, not by the fallback
    return elapsed


def time_table() -> float:
    search_memory._tables.clear()
    cache.clear()
    started = time.perf_counter()
    assert search_memory.warm() is not None
    return time.perf_counter() - started


def time_page(client: Client, language: str, params: dict, nonce: int | None) -> float:
    """One whole request; a unique `nonce` parameter keeps the page cache from answering it."""
    if nonce is not None:
        params = {**params, "nocache": str(nonce)}
    started = time.perf_counter()
    response = client.get(f"/{language}/hub/", params)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return elapsed


def search_log(size: int, seed: int = 7) -> list[tuple[str, dict]]:
    """A log of `size` searches: distinct searches drawn with Zipf-like popularity (s = 1)."""
    rng = random.Random(seed)
    distinct = []
    for language, query, filters in QUERIES:
        distinct.append((language, {"q": query, **filters}))
    while len(distinct) < max(200, size // 10):
        language = rng.choice(["en", "ar"])
        words = rng.sample(WORDS[language], rng.choice([1, 1, 2, 2, 3]))
        params = {"q": " ".join(words), **rng.choice(FILTERS)}
        if rng.random() < 0.1:
            params["page"] = str(rng.randint(2, 5))
        distinct.append((language, params))
    weights = [1 / rank for rank in range(1, len(distinct) + 1)]
    return rng.choices(distinct, weights=weights, k=size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pages", action="store_true", help="Also time whole cold pages.")
    parser.add_argument("--replay", type=int, default=0, help="Replay a log of N searches.")
    parser.add_argument(
        "--check", action="store_true", help="First check both engines agree on this database."
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    cache.clear()  # nothing from an earlier run answers
    published = Resource.objects.published().count()
    print(f"PostgreSQL {connection.pg_version}, {published} published resources, cache {cache}")
    for language, query, filters in QUERIES:  # warm up buffers and plans
        time_cold(language, query, filters)
    if args.check:
        check_engines_agree()
    tables = [time_table() for _ in range(3)]
    report("table", tables)
    cold, words_cold, warm, pages, per_query = [], [], [], [], {}
    client = Client(HTTP_HOST="localhost")
    nonce = 0
    settings.HUB_LIST_CACHE_SECONDS = 0  # no result cache: every summary is computed
    for _round in range(args.rounds):
        forget_words()
        for language, query, filters in QUERIES:
            elapsed = time_cold(language, query, filters)
            cold.append(elapsed)
            words_cold.append(time_memory(language, query, filters))  # first sight of its words
            warm.append(time_memory(language, query, filters))
            for sort in ("newest", "title"):
                warm.append(time_memory(language, query, filters, sort))
            per_query.setdefault((language, query, str(filters)), []).append(
                (elapsed, words_cold[-1], warm[-3])
            )
            if args.pages:
                nonce += 1
                pages.append(time_page(client, language, {"q": query, **filters}, nonce))
    print("  query                                            filters        sql  words-cold  warm")
    for (language, query, filters), values in per_query.items():
        p50 = [percentile([v[i] * 1000 for v in values], 50) for i in range(3)]
        print(
            f"  {language} {query!r:40} {filters:20} {p50[0]:6.1f} {p50[1]:8.1f} {p50[2]:8.1f} ms"
        )
    report("sql-cold", cold)
    report("words-cold", words_cold)
    report("warm", warm)
    if pages:
        report("page", pages)
    if args.replay:
        # After a deployment: nothing in memory or in the cache but the document table (the
        # warm-up task reads it); every word is read the first time a search uses it.
        settings.HUB_LIST_CACHE_SECONDS = 3600
        cache.clear()
        search_memory._tables.clear()
        search_memory._postings.clear()
        search_memory.warm()
        log = search_log(args.replay)
        replay = [
            time_page(client, language, params, nonce + i)
            for i, (language, params) in enumerate(log)
        ]
        nonce += len(log)
        print(f"replay: {len(log)} searches, {len(set(map(str, log)))} distinct")
        report("replay", replay)

        # Then a curator edits a resource: a new version, results and postings start afresh; the
        # warm-up reads the table and the recently searched words, as the beat task would; then
        # another day's searches (another draw from the same popularity).
        edit_one_resource()
        search_memory._tables.clear()  # this process serves the next requests as a web one would
        search_memory._postings.clear()
        started = time.perf_counter()
        search_memory.warm()
        print(f"warm-up after the edit: {time.perf_counter() - started:.1f} s")
        log = search_log(args.replay, seed=8)
        after = [
            time_page(client, language, params, nonce + i)
            for i, (language, params) in enumerate(log)
        ]
        report("after-edit", after)

        # The same, as anonymous visitors are served in production: the page cache on too.
        settings.PAGE_CACHE_SECONDS = 60
        log = search_log(args.replay, seed=9)
        cached = [time_page(client, language, params, None) for language, params in log]
        report("page-cache", cached)
        settings.PAGE_CACHE_SECONDS = 0
        edit_one_resource(undo=True)


def check_engines_agree() -> None:
    """The in-memory engine's summaries equal the SQL statement's for the query mix."""
    cases = 0
    for language, query, filters in QUERIES:
        for sort in ("relevance", "newest", "title"):
            for offset in (0, 40):
                arguments = {
                    "query": query,
                    "filters": filters,
                    "sort": sort,
                    "language": language,
                    "offset": offset,
                    "limit": 20,
                }
                memory = search_memory.memory_list_summary(**arguments)
                if memory != postgres_list_summary(**arguments):
                    sys.exit(f"the engines disagree: {arguments}")
                cases += 1
    print(f"check: both engines agree on {cases} summaries")


def edit_one_resource(undo: bool = False) -> None:
    from hub import services

    resource = Resource.objects.published().order_by("pk").first()
    mark = " (revised)"
    title = resource.title_en.removesuffix(mark) if undo else resource.title_en + mark
    Resource.objects.filter(pk=resource.pk).update(title_en=title)
    resource.refresh_from_db()
    services.refresh_search(resource=resource)


if __name__ == "__main__":
    main()
