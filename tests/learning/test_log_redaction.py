"""Sign-in tokens never reach a log: not the request log, not django.request's warnings, not
gunicorn's access log (a real gunicorn with the repository's gunicorn.conf.py)."""

import io
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from core.observability import RedactSecretsFilter
from core.permissions import MAILER
from learning import services

from .conftest import make_application

pytestmark = pytest.mark.django_db
TOKEN = "tok3n-Th4t-Must-N0t-Leak_abcdefghijklmnopqrstuv"


@pytest.fixture
def console_output():
    """What the configured console handler (with its filters and formatter) writes."""
    [handler] = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactSecretsFilter) for f in h.filters)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_tokens_are_redacted_from_the_request_log_and_django_request(
    client, cohort, console_output
):
    application = make_application(cohort, "amina@example.org")
    good = services.sign_in_link_issue(application=application, actor=MAILER)
    opened = client.get(f"/en/learning/sign-in/{good}/")
    assert opened["Referrer-Policy"] == "no-referrer"  # the button's POST carries no token
    assert client.post(f"/en/learning/sign-in/{TOKEN}/").status_code == 400  # django.request
    assert client.post(f"/ar/learning/sign-in/{good}/").status_code == 302
    output = console_output.getvalue()
    assert "/en/learning/sign-in/[redacted]/" in output
    assert "Bad Request" in output
    assert TOKEN not in output
    assert good not in output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_access_log_redacts_tokens(tmp_path):
    root = Path(django_settings.BASE_DIR)
    port = _free_port()
    log = tmp_path / "access.log"
    env = {
        **os.environ,
        "S4C_TESTING": "1",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "s4c.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(log),
        ],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/en/learning/sign-in/{TOKEN}/"
        for _ in range(100):
            try:
                request = urllib.request.Request(url, headers={"Referer": url})
                urllib.request.urlopen(request, timeout=5).read()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=20)
    written = log.read_text()
    assert "GET /en/learning/sign-in/[redacted]/" in written
    assert TOKEN not in written


def test_error_reports_carry_no_token():
    from core.observability import scrub_event

    url = f"https://south4care.example.org/en/learning/sign-in/{TOKEN}/"
    event = {
        "request": {"url": url, "headers": {"Referer": url, "Accept": "text/html"}},
        "transaction": f"/en/learning/sign-in/{TOKEN}/",
    }
    assert TOKEN not in repr(scrub_event(event))
    assert event["request"]["headers"]["Accept"] == "text/html"
