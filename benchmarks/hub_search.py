"""Knowledge Hub search latency on PostgreSQL: p50/p95 of the search and of the whole page.

Prepare a database once:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/s4c_hubbench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py load_south4care
    .venv/bin/python manage.py generate_hub_data --count 100000

then run `.venv/bin/python benchmarks/hub_search.py [--rounds 20]` with the same DATABASE_URL.

Two figures per query mix:
- "search": what the API and the list share — the ranked search with filters, the total count and
  the first page of 20 rows (`hub_results` + count + page slice), without facets;
- "page": the whole `/en/hub/?q=…` (or `/ar/hub/`) request through Django, with facet counts,
  snippets and template rendering. Every request carries a unique dummy parameter so the public
  page cache never answers it (cache misses only: the worst case).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "s4c.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import translation  # noqa: E402

from hub.models import Resource  # noqa: E402
from hub.selectors import HubQuery, hub_matches  # noqa: E402

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


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def time_search(language: str, query: str, filters: dict) -> float:
    with translation.override(language):
        started = time.perf_counter()
        results = hub_matches(hub_query=HubQuery(q=query, filters=filters, sort="relevance"))
        total = results.count()
        rows = list(results[:20])
        elapsed = time.perf_counter() - started
    assert total >= len(rows)
    return elapsed


def time_page(client: Client, language: str, query: str, filters: dict, nonce: int) -> float:
    params = {"q": query, "nocache": str(nonce), **filters}
    started = time.perf_counter()
    response = client.get(f"/{language}/hub/", params)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return elapsed


def report(name: str, samples: list[float]) -> None:
    ms = [s * 1000 for s in samples]
    print(
        f"{name:7} n={len(ms):5}  p50={percentile(ms, 50):7.1f} ms  p95={percentile(ms, 95):7.1f} ms"
        f"  max={max(ms):7.1f} ms  mean={statistics.mean(ms):7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--pages", action="store_true", help="Also time whole page requests.")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    published = Resource.objects.published().count()
    print(f"PostgreSQL {connection.pg_version}, {published} published resources")
    for language, query, filters in QUERIES:  # warm up caches and plans
        time_search(language, query, filters)
    samples = {"search": [], "page": []}
    per_query = {}
    client = Client(HTTP_HOST="localhost")
    nonce = 0
    for _round in range(args.rounds):
        for language, query, filters in QUERIES:
            elapsed = time_search(language, query, filters)
            samples["search"].append(elapsed)
            per_query.setdefault((language, query, str(filters)), []).append(elapsed)
            if args.pages:
                nonce += 1
                samples["page"].append(time_page(client, language, query, filters, nonce))
    for (language, query, filters), values in per_query.items():
        ms = sorted(v * 1000 for v in values)
        print(f"  {language} {query!r:40} {filters:40} p50={percentile(ms, 50):6.1f} ms")
    report("search", samples["search"])
    if args.pages:
        report("page", samples["page"])


if __name__ == "__main__":
    main()
