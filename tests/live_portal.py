"""The portal as production runs it, for third-party clients: gunicorn on a free port, DEBUG off,
static files collected into the manifest, its own database (PostgreSQL when the suite runs on it,
else an SQLite file) holding the real content and generated resources. It runs without Redis: the
cache's keys have a fixed prefix, so sharing the suite's Redis database would mix two data sets.

`live_portal` is session-scoped: building the data set takes about a minute. Tests read it and
may change it through `LivePortal.manage()` (a management command in the portal's environment),
never through the test's own database connection, which is a different database.
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
from urllib.parse import urlunsplit

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
VENV_BIN = Path(sys.executable).parent
# Enough bilingual resources that the sitemap needs several pages of its index.
GENERATED_RESOURCES = int(os.environ.get("S4C_LIVE_RESOURCES", "2600"))


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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(name: str, workdir: Path) -> tuple[str, callable]:
    """A fresh database for the portal, and how to drop it."""
    if connection.vendor != "postgresql":
        return f"sqlite:///{workdir / 'portal.sqlite3'}", lambda: None
    import psycopg

    params = connection.settings_dict
    server = dict(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname="postgres",
    )

    def run(sql):
        with psycopg.connect(**server, autocommit=True) as conn:
            conn.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}"')
    run(f'CREATE DATABASE "{name}"')
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    url = urlunsplit(("postgres", f"{auth}@{server['host']}:{server['port']}", f"/{name}", "", ""))
    return url, lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
    port = _free_port()
    database_url, drop_database = _database_url(f"s4c_live_{os.getpid()}", workdir)
    site = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("S4C_TEST", "PYTEST"))}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS=site,
        SITE_URL=site,
        DATABASE_URL=database_url,
        # Plain HTTP on the loopback: TLS and its redirect are the front server's in production.
        SECURE_SSL_REDIRECT="false",
        # The clients read much more than a visitor would.
        API_ANON_RATE="100000/minute",
        LOG_LEVEL="WARNING",
        REQUEST_LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    # Only this environment: not the developer's .env (debug mode, their Redis).
    (workdir / "empty.env").write_text("")
    env["S4C_ENV_FILE"] = str(workdir / "empty.env")
    portal = LivePortal(url=site, env=env)
    process = None
    try:
        portal.manage("migrate", "--noinput", "-v0")
        portal.manage("load_south4care")
        portal.manage("generate_hub_data", "--count", str(GENERATED_RESOURCES))
        portal.manage("collectstatic", "--noinput", "-v0")
        process = subprocess.Popen(
            [
                str(gunicorn),
                "s4c.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--access-logfile",
                "-",
            ],
            env=env,
            cwd=BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=open(workdir / "gunicorn.log", "w"),  # noqa: SIM115 - closed with the process
        )
        _wait_until_up(site, process)
        yield portal
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        drop_database()
