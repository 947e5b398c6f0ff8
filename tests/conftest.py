"""Project-wide test fixtures: real services when configured, clear skips when not.

- `@pytest.mark.postgres`: the test needs PostgreSQL (DATABASE_URL pointing at it).
- `@pytest.mark.redis`: the test needs Redis (REDIS_URL).
- `@pytest.mark.browser`: the test drives Debian's Chromium through Playwright.
With S4C_REQUIRE_SERVICES=1 (set by CI) a missing service fails the run instead of skipping,
so CI can never pass without having exercised PostgreSQL, Redis and the browser.
"""

import contextlib
import os
import shutil

import pytest
from django.conf import settings
from django.db import connection

from tests import flush

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

flush.install()  # a transactional test's flush empties what the test filled (tests/flush.py)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REQUIRE_SERVICES = os.environ.get("S4C_REQUIRE_SERVICES") == "1"


def _missing(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"CI requires this service: {reason}", pytrace=False)
    pytest.skip(reason)


def _browser_available() -> bool:
    if not os.path.exists(CHROMIUM) and not shutil.which("chromium"):
        return False
    try:
        import playwright  # noqa: F401 - only whether it imports
    except ImportError:
        return False
    return True


@pytest.fixture(autouse=True)
def _service_markers(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _missing("needs PostgreSQL: set DATABASE_URL=postgres://…")
    if request.node.get_closest_marker("redis") and not settings.REDIS_URL:
        _missing("needs Redis: set REDIS_URL=redis://…")
    if request.node.get_closest_marker("browser") and not _browser_available():
        _missing(f"needs Chromium at {CHROMIUM} and the playwright package")


@pytest.fixture
def no_direct_form_choices(monkeypatch):
    """Django's `form.save_m2m()` fails: an admin must set a form's many-to-many choices through
    the owning app's services (core.admin_tools.ServiceWritesMixin)."""
    from django.forms.models import BaseModelForm

    def refuse(form):
        raise AssertionError("the admin set a form's choices itself, not through the services")

    monkeypatch.setattr(BaseModelForm, "_save_m2m", refuse)


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Each test starts in English: a request's language must not leak into the next test."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _closed_breakers():
    """Each test starts with no outage remembered: a breaker an earlier test opened (a broker at a
    closed port) would make this one's first call skip the broker altogether."""
    from core import outage

    outage._breakers.clear()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # `playwright install` cannot download here: drive Debian's Chromium.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def celery_worker_app():
    from s4c.celery import app

    return app


def reset_celery_pools(app) -> None:
    """Forget pooled broker connections (after a broker switch, or one closed by a stopped worker)."""
    # A pool that is already closed is what we want.
    with contextlib.suppress(Exception):
        app.pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    # kombu keeps producer pools in a global registry keyed by connection: a closed one stays there.
    from kombu import pools

    pools.reset()


@pytest.fixture
def eager_tasks(celery_worker_app):
    """Run Celery tasks in-process: for tests about what a task does, not how it travels."""
    previous = celery_worker_app.conf.task_always_eager
    celery_worker_app.conf.task_always_eager = True
    yield
    celery_worker_app.conf.task_always_eager = previous


@pytest.fixture
def celery_worker(celery_worker_app, settings):
    """A real Celery worker (solo pool, in a thread) consuming from the real Redis broker.

    Tests using it need `@pytest.mark.django_db(transaction=True)` so the worker sees their rows.
    """
    if not settings.REDIS_URL:
        _missing("needs Redis: set REDIS_URL=redis://…")
    from celery.contrib.testing.worker import start_worker

    app = celery_worker_app
    app.conf.task_always_eager = False
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10
        ) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        reset_celery_pools(app)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL the test database is a copy of the migrated template (tests/database.py)."""
    if connection.vendor == "postgresql":
        from tests.database import migrated_template

        settings.DATABASES["default"].setdefault("TEST", {})["TEMPLATE"] = migrated_template()


@pytest.fixture(scope="session")
def _role_groups(django_db_setup, django_db_blocker):
    """The four roles as the migrations made them (groups and their permissions)."""
    from django.contrib.auth.models import Group

    with django_db_blocker.unblock():
        return {
            group.name: list(group.permissions.values_list("content_type__app_label", "codename"))
            for group in Group.objects.all()
        }


@pytest.fixture(autouse=True)
def _roles_after_a_flush(request):
    """A transactional test that changed the tables the migrations filled ends with a flush that
    empties them (tests/flush.py): the role groups come back before the next test that uses the
    database, which is then as the migrations left it."""
    marker = request.node.get_closest_marker("django_db")
    uses = [name for name in ("db", "transactional_db") if name in request.fixturenames]
    if marker is None and not uses:
        return
    if "transactional_db" in uses:
        request.getfixturevalue("transactional_db")
    elif uses:
        request.getfixturevalue("db")
    else:  # marked: ask for the database the marker gives
        transactional = marker.kwargs.get("transaction", bool(marker.args and marker.args[0]))
        request.getfixturevalue("transactional_db" if transactional else "db")
    roles = request.getfixturevalue("_role_groups")
    from django.contrib.auth.models import Group, Permission

    if roles and not Group.objects.exists():
        for name, permissions in roles.items():
            group = Group.objects.create(name=name)
            group.permissions.set(
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in permissions
            )
    flush.remember_migrated_state()


# The portal under gunicorn on the test database, for the third-party clients' tests.
from tests.live_portal import gunicorn_server  # noqa: E402, F401 - a fixture

# The shipped content, loaded once per test process (tests/seed.py).
from tests.seed import _content_snapshot, load_content  # noqa: E402, F401 - fixtures
