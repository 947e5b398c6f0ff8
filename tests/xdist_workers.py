"""Keeps parallel test workers (pytest-xdist, `make test`'s `-n`) out of each other's way.

Loaded with `-p tests.xdist_workers` (pyproject's addopts), so it runs before Django's settings are
read: each worker gets its own Redis database, the configured one plus the worker's index (gw0
keeps REDIS_URL's database, gw1 the next one, ...), for the cache and the Celery broker alike. A
worker's `cache.clear()` or its Celery worker then never empties or steals another's. PostgreSQL
needs nothing here: pytest-django already gives each worker its own test database
(test_<name>_gw0, test_<name>_gw1, ...).

It also keeps tests that share an expensive session resource on one worker (`--dist loadgroup`):
the production-like portal of `live_portal` is built once, not once per worker, and the browser
tests share one Chromium (two at once would mostly fight over the same two cores).
"""

import os
import re

import pytest

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _worker_index() -> int | None:
    match = re.fullmatch(r"gw(\d+)", WORKER)
    return int(match.group(1)) if match else None


def _shift_database(url: str, index: int) -> str:
    """redis://host:port/4 -> redis://host:port/(4 + index); no database in the URL means 0."""
    match = re.fullmatch(r"(redis://[^/?#]*)(?:/(\d*))?([?#].*)?", url)
    if not match:
        raise pytest.UsageError(f"cannot give each xdist worker its own Redis database: {url!r}")
    base, db, rest = match.groups()
    return f"{base}/{int(db or 0) + index}{rest or ''}"


def _own_redis_databases() -> None:
    index = _worker_index()
    if not index:
        return  # not a worker, or gw0: the configured database as it is
    for name in ("REDIS_URL", "CACHE_REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        url = os.environ.get(name, "")
        if url.startswith("redis://"):
            os.environ[name] = _shift_database(url, index)


# At import, i.e. before pytest-django configures Django from the environment.
_own_redis_databases()

# Session fixtures that are costly to build: the tests using one run on one worker.
SHARED_FIXTURES = ("live_portal",)


@pytest.hookimpl(trylast=True)  # after xdist's own hook, which this one completes
def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture in SHARED_FIXTURES:
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(fixture))
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
    if getattr(config.option, "loadgroup", False):  # set on xdist workers under loadgroup
        _group_suffixes(items)


def _group_suffixes(items) -> None:
    """What xdist's `--dist loadgroup` does on a worker: a test's group after an `@` in its node id,
    which the scheduler reads. xdist 3.8 sets `item._nodeid`, which pytest 9.2 no longer reads (the
    id lives in `item._id`): without this every group would be silently ignored."""
    from _pytest.nodeid import coerce_node_id

    for item in items:
        names = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        if names and "@" not in item.nodeid:
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(sorted(names))}")
