"""PostgreSQL for the tests: a second connection to the test database, beside Django's (to lock a
table, or to end Django's session as a restart would), and the migrated database every test
database of a run starts from.

Migrating an empty database takes seconds of CPU (Django renders the models' states over and over:
docs/performance.md), and a run needs one per xdist worker plus the production-like portal's. The
first process to need it migrates a template database, named after the migrations it holds; the
test databases and the production-like portals' (`fresh_database`) are copies of it (`CREATE DATABASE … TEMPLATE`), and Django's
`migrate` on them then has nothing to apply. CI drops the templates before it starts (.ci/run), so
its run builds one itself.
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlunsplit

import psycopg
from django.conf import settings
from django.db import connection

TEMPLATE_PREFIX = "s4c_test_template_"
_LOCK = 0x5_4C_7E_57  # pg_advisory_lock key: one process builds the template at a time


def second_connection(**options) -> psycopg.Connection:
    params = connection.settings_dict
    return psycopg.connect(**{**_server(params), "dbname": params["NAME"]}, **options)


def _server(params) -> dict:
    """Where PostgreSQL is, connecting to its maintenance database."""
    return {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
    }


def database_url(params, name: str) -> str:
    server = _server(params)
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return urlunsplit(("postgres", f"{auth}@{server['host']}:{server['port']}", f"/{name}", "", ""))


def _migrations_fingerprint() -> str:
    """The migrations' files, every app's (the project's and the libraries')."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256()
    for key in sorted(loader.disk_migrations):
        digest.update(repr(key).encode())
        module = sys.modules[type(loader.disk_migrations[key]).__module__]
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def migrated_template() -> str:
    """The name of a database holding what the migrations make, made if no process has yet."""
    params = settings.DATABASES["default"]
    name = TEMPLATE_PREFIX + _migrations_fingerprint()
    with psycopg.connect(**_server(params), autocommit=True) as server:
        server.execute("SELECT pg_advisory_lock(%s)", [_LOCK])
        try:
            if server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return name
            building = f"{name}_building"  # renamed once complete: never a half-migrated template
            server.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
            server.execute(f'CREATE DATABASE "{building}"')
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                cwd=settings.BASE_DIR,
                env={**os.environ, "DATABASE_URL": database_url(params, building)},
                check=True,
            )
            server.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
            return name
        finally:
            server.execute("SELECT pg_advisory_unlock(%s)", [_LOCK])


def fresh_database(name: str, workdir: Path) -> tuple[str, callable]:
    """A database for a production-like portal in another process, and how to drop it: on
    PostgreSQL a copy of the migrated template (its `migrate` then has nothing to do), else an
    SQLite file in `workdir` that its `migrate` makes."""
    if connection.vendor != "postgresql":
        return f"sqlite:///{workdir / f'{name}.sqlite3'}", lambda: None
    params = connection.settings_dict
    template = migrated_template()

    def run(sql):
        with psycopg.connect(**_server(params), autocommit=True) as server:
            server.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return database_url(params, name), lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
