"""Knowledge Hub search latency on PostgreSQL: the search backend cold, and whole pages.

Prepare a database once:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/s4c_hubbench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py load_south4care
    .venv/bin/python manage.py generate_hub_data --count 100000

then run `.venv/bin/python benchmarks/hub_search.py [--rounds 5] [--pages] [--replay 2000]` with the
same DATABASE_URL (and REDIS_URL for the Redis cache, as in production). With DEBUG off (as in
production: `DEBUG=false` in the environment or .env), the pages need the collected static files
first (`.venv/bin/python manage.py collectstatic --noinput`), or rendering them fails on the
missing manifest.

Figures:
- "sql-cold": the list's summary (ranked page of 20 ids, total, six facet counts) by the search
  backend's one statement (`PostgresBackend.summary`), no cache at all, for three sorts;
- "page": the whole `/en|ar/hub/?q=…` request through Django (summary, resources, facet labels,
  snippets, template) with the result and page caches bypassed;
- "replay": whole page requests replaying a search log — a Zipf-distributed mix of many distinct
  queries, filters and pages in both languages — as after a deployment: result cache on (empty at
  the start), page cache bypassed (a unique parameter);
- "after-edit": then a resource is edited (a new content version: every cached result is stale),
  and another log of the same popularity is replayed;
- "page-cache": a third log with the page cache on as well, as anonymous visitors are served;
- "related": a detail page's related resources (the backend's `related`) for 15 resources.
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

import django  # noqa: E402 - after the path and the settings module are set

django.setup()
# Request and slow-query log lines would interleave with the figures (and cost time).
logging.disable(logging.WARNING)

from django.conf import settings  # noqa: E402 - after django.setup()
from django.core.cache import cache  # noqa: E402 - after django.setup()
from django.db import connection  # noqa: E402 - after django.setup()
from django.test import Client  # noqa: E402 - after django.setup()

from core.permissions import SYSTEM  # noqa: E402 - after django.setup()
from hub.models import Resource  # noqa: E402 - after django.setup()
from hub.search_backends import PostgresBackend, search_backend  # noqa: E402 - after django.setup()

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


def report(name: str, samples: list[float], cpu: list[float] | None = None) -> None:
    ms = [s * 1000 for s in samples]
    line = (
        f"{name:10} n={len(ms):5}  p50={percentile(ms, 50):7.1f} ms  p95={percentile(ms, 95):7.1f} ms"
        f"  max={max(ms):7.1f} ms  mean={statistics.mean(ms):7.1f} ms"
    )
    if cpu:
        cpu_ms = [s * 1000 for s in cpu]
        line += f"  | cpu p50={percentile(cpu_ms, 50):7.1f} p95={percentile(cpu_ms, 95):7.1f} ms"
    print(line)


# The machine is shared: besides wall time, each sample's time on a CPU — this process's thread and
# its PostgreSQL server process (/proc/<pid>/schedstat, in nanoseconds) — is what the request would
# take on an idle machine, its data being in memory (no time spent waiting for a core).
_server_pid: int | None = None


def cpu_clock() -> float:
    global _server_pid  # noqa: PLW0603 - read once per connection
    if _server_pid is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            _server_pid = cursor.fetchone()[0]
    server = int(Path(f"/proc/{_server_pid}/schedstat").read_text().split()[0]) / 1e9
    return time.thread_time() + server


class Timer:
    """Wall and CPU time of a block: `with Timer() as t: …` then `t.wall`, `t.cpu`."""

    def __enter__(self):
        self._cpu, self._wall = cpu_clock(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._wall
        self.cpu = cpu_clock() - self._cpu


def time_cold(language: str, query: str, filters: dict, sort: str = "relevance") -> Timer:
    """The backend's statement, no cache."""
    with Timer() as timer:
        summary = search_backend().summary(
            query=query, filters=filters, sort=sort, language=language, offset=0, limit=20
        )
    assert summary.total >= len(summary.ids)
    return timer


def time_related(resource: Resource) -> Timer:
    with Timer() as timer:
        search_backend().related(resource=resource, limit=4)
    return timer


def time_page(client: Client, language: str, params: dict, nonce: int | None) -> Timer:
    """One whole request; a unique `nonce` parameter keeps the page cache from answering it."""
    if nonce is not None:
        params = {**params, "nocache": str(nonce)}
    with Timer() as timer:
        response = client.get(f"/{language}/hub/", params, secure=True)  # behind the TLS proxy
    assert response.status_code == 200, response.status_code
    return timer


def report_timers(name: str, timers: list[Timer]) -> None:
    report(name, [t.wall for t in timers], [t.cpu for t in timers])


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
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    assert isinstance(search_backend(), PostgresBackend)
    # One server process for the whole run (its CPU time is read), requests included.
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = None
    cache.clear()  # nothing from an earlier run answers
    published = Resource.objects.published().count()
    print(f"PostgreSQL {connection.pg_version}, {published} published resources, cache {cache}")
    print(f"load average before: {os.getloadavg()}")
    for language, query, filters in QUERIES:  # warm up buffers and plans
        time_cold(language, query, filters)
    cold, other_sorts, pages, per_query = [], [], [], {}
    client = Client(HTTP_HOST="localhost")
    nonce = 0
    settings.HUB_LIST_CACHE_SECONDS = 0  # no result cache: every summary is computed
    for _round in range(args.rounds):
        for language, query, filters in QUERIES:
            elapsed = time_cold(language, query, filters)
            cold.append(elapsed)
            for sort in ("newest", "title"):
                other_sorts.append(time_cold(language, query, filters, sort))
            per_query.setdefault((language, query, str(filters)), []).append(elapsed.wall)
            if args.pages:
                nonce += 1
                pages.append(time_page(client, language, {"q": query, **filters}, nonce))
    print("  query                                            filters        relevance (wall p50)")
    for (language, query, filters), values in per_query.items():
        p50 = percentile([v * 1000 for v in values], 50)
        print(f"  {language} {query!r:40} {filters:20} {p50:6.1f} ms")
    report_timers("sql-cold", cold)
    report_timers("other-sort", other_sorts)
    if pages:
        report_timers("page", pages)
    resources = list(Resource.objects.published().order_by("?")[:15])
    report_timers("related", [time_related(resource) for resource in resources])
    if args.replay:
        # After a deployment: nothing in the cache.
        settings.HUB_LIST_CACHE_SECONDS = 3600
        cache.clear()
        log = search_log(args.replay)
        replay = [
            time_page(client, language, params, nonce + i)
            for i, (language, params) in enumerate(log)
        ]
        nonce += len(log)
        print(f"replay: {len(log)} searches, {len(set(map(str, log)))} distinct")
        report_timers("replay", replay)

        # Then a curator edits a resource: a new version, every cached result is stale; then
        # another day's searches (another draw from the same popularity).
        edit_one_resource()
        log = search_log(args.replay, seed=8)
        after = [
            time_page(client, language, params, nonce + i)
            for i, (language, params) in enumerate(log)
        ]
        report_timers("after-edit", after)

        # The same, as anonymous visitors are served in production: the page cache on too.
        settings.PAGE_CACHE_SECONDS = 60
        log = search_log(args.replay, seed=9)
        cached = [time_page(client, language, params, None) for language, params in log]
        report_timers("page-cache", cached)
        settings.PAGE_CACHE_SECONDS = 0
        edit_one_resource(undo=True)
    print(f"load average after: {os.getloadavg()}")


def edit_one_resource(undo: bool = False) -> None:
    from hub import services

    resource = Resource.objects.published().order_by("pk").first()
    mark = " (revised)"
    title = resource.title_en.removesuffix(mark) if undo else resource.title_en + mark
    Resource.objects.filter(pk=resource.pk).update(title_en=title)
    resource.refresh_from_db()
    services.refresh_search(resource=resource, actor=SYSTEM)


if __name__ == "__main__":
    main()
