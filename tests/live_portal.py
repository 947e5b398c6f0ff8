"""The portal as production runs it, for third-party clients: gunicorn on a free port, DEBUG off,
static files collected into the manifest, its own database (PostgreSQL when the suite runs on it,
else an SQLite file) holding the real content and generated resources. It runs without Redis: the
cache's keys have a fixed prefix, so sharing the suite's Redis database would mix two data sets.

`live_portal` is session-scoped: building the data set takes about a minute. Tests read it and
may change it through `LivePortal.manage()` (a management command in the portal's environment),
never through the test's own database connection, which is a different database.

`gunicorn_server` is the same production-like portal on the *test's* database, for client tests
that make their own data (transactional tests: the server sees what they commit). It shares the
test process's Redis cache (same database and key prefix), so the page and API caches are on as in
production and the content version a test's write moves is the one the server reads: never a stale
page. One server per set of setting overrides, started once in the session (per xdist worker):
`gunicorn_server()` or `gunicorn_server(OAI_PAGE_SIZE="2")`. Each server listens on a socket this
process bound to a free port and handed over, so parallel workers never race for a port.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection

from tests.database import fresh_database

BASE_DIR = Path(settings.BASE_DIR)
VENV_BIN = Path(sys.executable).parent
# Enough resources that their sitemap needs more than one page of its index (hub.sitemaps: 2,000
# URLs a page; about 7 in 10 generated resources have both languages, so about 2,400 URLs).
GENERATED_RESOURCES = int(os.environ.get("S4C_LIVE_RESOURCES", "1400"))


@dataclass
class LivePortal:
    url: str
    env: dict

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, str(BASE_DIR / "manage.py"), *args],
            check=False,
            env=self.env,
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def python(self, code: str):
        """Runs `code` in the portal's environment (Django set up); returns what it prints as JSON."""
        return json.loads(self.manage("shell", "-c", code).strip().splitlines()[-1])


def _listening_socket() -> socket.socket:
    """A socket bound to a free loopback port, for gunicorn to inherit (`fd://`): no other
    process (another xdist worker) can take the port between choosing it and serving on it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _portal_environment(site: str, workdir: Path, **overrides: str) -> dict:
    """Production settings (DEBUG off, page and API caches on), none of the test run's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("S4C_TEST", "PYTEST"))}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS=site,
        SITE_URL=site,
        # Plain HTTP on the loopback: TLS and its redirect are the front server's in production.
        SECURE_SSL_REDIRECT="false",
        # The clients read much more than a visitor would.
        API_ANON_RATE="100000/minute",
        LOG_LEVEL="WARNING",
        REQUEST_LOG_LEVEL="WARNING",
        MEDIA_ROOT=str(workdir / "media"),
    )
    env.pop("REDIS_URL", None)
    env.pop("CACHE_REDIS_URL", None)
    # Only this environment: not the developer's .env (debug mode, their Redis).
    (workdir / "empty.env").write_text("")
    env["S4C_ENV_FILE"] = str(workdir / "empty.env")
    env.update(overrides)
    return env


def _start_gunicorn(env: dict, sock: socket.socket, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "s4c.wsgi:application",
            "--bind",
            f"fd://{sock.fileno()}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
        ],
        env=env,
        cwd=BASE_DIR,
        pass_fds=(sock.fileno(),),
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),  # noqa: SIM115 - closed with the process
    )
    sock.close()  # gunicorn holds it now
    return process


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers (a 503 names what is down: not this fixture's business)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise AssertionError("gunicorn did not answer within a minute")


@pytest.fixture(scope="session")
def live_portal(tmp_path_factory):
    gunicorn = VENV_BIN / "gunicorn"
    if not gunicorn.exists():
        pytest.skip("needs gunicorn (pip install -e '.[dev]')")
    workdir = tmp_path_factory.mktemp("portal")
    sock = _listening_socket()
    site = f"http://127.0.0.1:{sock.getsockname()[1]}"
    database_url, drop_database = fresh_database(f"s4c_live_{os.getpid()}", workdir)
    env = _portal_environment(
        site, workdir, DATABASE_URL=database_url, STATIC_ROOT=str(workdir / "static")
    )
    portal = LivePortal(url=site, env=env)
    process = None
    try:
        # One process for the four commands: each start of Django costs seconds.
        portal.manage(
            "shell",
            "-c",
            "from django.core.management import call_command as run\n"
            "run('migrate', interactive=False, verbosity=0)\n"
            "run('load_south4care')\n"
            f"run('generate_hub_data', count={GENERATED_RESOURCES})\n"
            "run('collectstatic', interactive=False, verbosity=0)",
        )
        process = _start_gunicorn(env, sock, workdir / "gunicorn.log")
        _wait_until_up(site, process)
        yield portal
    finally:
        sock.close()
        if process is not None:
            _stop(process)
        drop_database()


@dataclass
class GunicornServer:
    url: str
    log: Path

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc


def _test_database_url() -> str:
    from tests.database import database_url

    return database_url(connection.settings_dict, connection.settings_dict["NAME"])


@pytest.fixture(scope="session")
def gunicorn_server(django_db_setup, tmp_path_factory):
    """Starts (once per set of overrides) the portal under gunicorn on the test database."""
    from tests.conftest import _missing

    if not (VENV_BIN / "gunicorn").exists():
        _missing("needs gunicorn (pip install -e '.[dev]')")
    if connection.vendor != "postgresql":
        # The test database of SQLite is in this process's memory: no other process can open it.
        _missing("needs PostgreSQL: set DATABASE_URL=postgres://…")
    cache = settings.CACHES["default"]
    if "redis" not in cache["BACKEND"].lower():
        # A cache only this process sees: a test's write could not invalidate the server's pages.
        _missing("needs Redis: set REDIS_URL=redis://…")
    workdir = tmp_path_factory.mktemp("gunicorn")
    static = workdir / "static"
    servers: dict[tuple, GunicornServer] = {}
    processes: list[subprocess.Popen] = []

    def start(**overrides: str) -> GunicornServer:
        key = tuple(sorted(overrides.items()))
        if key in servers:
            return servers[key]
        sock = _listening_socket()
        site = f"http://127.0.0.1:{sock.getsockname()[1]}"
        home = workdir / f"server-{len(servers)}"
        home.mkdir()
        env = _portal_environment(
            site,
            home,
            DATABASE_URL=_test_database_url(),
            CACHE_REDIS_URL=cache["LOCATION"],
            CACHE_KEY_PREFIX=cache.get("KEY_PREFIX", ""),
            STATIC_ROOT=str(static),
            **overrides,
        )
        try:
            if not static.exists():
                LivePortal(url=site, env=env).manage("collectstatic", "--noinput", "-v0")
            process = _start_gunicorn(env, sock, home / "gunicorn.log")
        finally:
            sock.close()
        processes.append(process)
        _wait_until_up(site, process)
        servers[key] = GunicornServer(url=site, log=home / "gunicorn.log")
        return servers[key]

    try:
        yield start
    finally:
        for process in processes:
            _stop(process)
