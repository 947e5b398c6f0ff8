"""The image's static build, outside Docker: pages render with DEBUG off from what it collected.

The Dockerfile runs deploy/build-static.sh; so does this test, into a temporary STATIC_ROOT, and
then renders real pages in a fresh process with production settings (DEBUG off, whitenoise's
manifest storage), as gunicorn in the container would.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.database import fresh_database

ROOT = Path(__file__).resolve().parents[2]

RENDER = """
import sys
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
for path in ("/en/", "/ar/hub/"):
    try:
        response = client.get(path, secure=True)
    except ValueError as exc:  # the error page itself could not be rendered: gunicorn's 500
        print(path, 500, False)
        print(exc, file=sys.stderr)
        continue
    print(path, response.status_code, "/static/" in response.content.decode())
"""


def _production_env(database: tuple[Path, str], static_root: Path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "REDIS_", "DJANGO_", "S4C_TESTING"))
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database[1],
        STATIC_ROOT=str(static_root),
        PYTHON=sys.executable,
        LOG_FORMAT="plain",
        AXES_ENABLED="false",
        DJANGO_SETTINGS_MODULE="s4c.settings",
    )
    return env


def _run(args, env, **kwargs):
    return subprocess.run(
        args, check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, **kwargs
    )


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A work directory and a database the deployment's `migrate` has run on."""
    tmp = tmp_path_factory.mktemp("static-build")
    url, drop = fresh_database(f"s4c_static_{os.getpid()}", tmp)
    env = _production_env((tmp, url), tmp / "unused")
    migrated = _run([sys.executable, "manage.py", "migrate", "--noinput"], env)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    yield tmp, url
    drop()


def test_without_the_manifest_every_templated_page_fails(database):
    """What the image shipped: collectstatic with DEBUG on writes no manifest (here: none)."""
    empty = database[0] / "no-manifest"
    empty.mkdir()
    rendered = _run([sys.executable, "-c", RENDER], _production_env(database, empty))
    assert rendered.stdout.split("\n")[:2] == ["/en/ 500 False", "/ar/hub/ 500 False"]
    assert "Missing staticfiles manifest entry" in rendered.stderr


def test_the_image_build_collects_a_manifest_that_production_pages_render_with(database):
    static_root = database[0] / "staticfiles"
    env = _production_env(database, static_root)
    built = _run(["sh", "deploy/build-static.sh"], env)
    assert built.returncode == 0, built.stderr[-2000:]
    assert (static_root / "staticfiles.json").is_file()
    assert list(static_root.glob("s4c/*.css.gz")) or list(static_root.rglob("*.css.gz"))

    rendered = _run([sys.executable, "-c", RENDER], env)

    assert rendered.stdout.split("\n")[:2] == ["/en/ 200 True", "/ar/hub/ 200 True"], (
        rendered.stderr[-2000:]
    )


def test_the_dockerfile_builds_static_files_with_the_same_step():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "deploy/build-static.sh" in dockerfile
    assert "DEBUG=true" not in dockerfile
