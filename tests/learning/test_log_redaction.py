"""Sign-in tokens and the admin's password-reset tokens never reach a log: not the request log,
not django.request's warnings, not gunicorn's access log (a real gunicorn with the repository's
gunicorn.conf.py). nginx's access log: tests/deploy/test_proxy.py."""

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
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.observability import RedactSecretsFilter
from core.permissions import MAILER
from learning import services

from .conftest import make_application

pytestmark = pytest.mark.django_db
TOKEN = "tok3n-Th4t-Must-N0t-Leak_abcdefghijklmnopqrstuv"
RESET_TOKEN = "cz9x1k-0123456789abcdef0123456789abcdef"  # the shape of Django's reset tokens


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


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_password_reset_tokens_are_redacted_from_the_request_log_and_django_request(
    client, console_output, caplog, lang
):
    user = User.objects.create_user(
        "curator", "curator@example.org", "a-long-password-123", is_staff=True
    )
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    good = default_token_generator.make_token(user)
    opened = client.get(f"/{lang}/admin/reset/{uid}/{good}/")
    # Django keeps the token in the session and sends the browser on to a path without it.
    assert opened.status_code == 302
    assert opened["Location"] == f"/{lang}/admin/reset/{uid}/set-password/"
    assert client.get(opened["Location"]).status_code == 200
    assert client.get(f"/{lang}/admin/reset/{uid}/{RESET_TOKEN}/").status_code == 200
    # A refused POST to the token's path: Django logs a warning naming the path.
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/{lang}/admin/reset/{uid}/{RESET_TOKEN}/").status_code == 403
    logged_paths = [r.path for r in caplog.records if r.name == "s4c.request"]
    assert logged_paths == [
        f"/{lang}/admin/reset/{uid}/[redacted]/",
        f"/{lang}/admin/reset/{uid}/set-password/",  # no secret there: kept
        f"/{lang}/admin/reset/{uid}/[redacted]/",
        f"/{lang}/admin/reset/{uid}/[redacted]/",
    ]
    output = console_output.getvalue()
    assert f"/{lang}/admin/reset/{uid}/[redacted]/" in output
    assert "Forbidden (CSRF cookie not set.)" in output
    assert good not in output
    assert RESET_TOKEN not in output


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
        for path in (
            f"/en/learning/sign-in/{TOKEN}/",
            f"/en/admin/reset/MQ/{RESET_TOKEN}/",
            f"/ar/admin/reset/MQ/{RESET_TOKEN}/?next=1",
        ):
            url = f"http://127.0.0.1:{port}{path}"
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
    assert "GET /en/admin/reset/MQ/[redacted]/" in written
    assert "GET /ar/admin/reset/MQ/[redacted]/?next=1" in written
    assert TOKEN not in written
    assert RESET_TOKEN not in written


@pytest.mark.parametrize(
    ("path", "secret"),
    [("/en/learning/sign-in/{}/", TOKEN), ("/ar/admin/reset/MQ/{}/", RESET_TOKEN)],
)
def test_error_reports_carry_no_token(path, secret):
    from core.observability import scrub_event

    url = f"https://south4care.example.org{path.format(secret)}"
    event = {
        "request": {"url": url, "headers": {"Referer": url, "Accept": "text/html"}},
        "transaction": path.format(secret),
    }
    assert secret not in repr(scrub_event(event))
    assert event["request"]["headers"]["Accept"] == "text/html"


@pytest.mark.parametrize(
    ("logged", "secret"),
    [
        ("GET /en/admin/login/?next=%2Fen%2Fadmin%2Freset%2FMQ%2F{}%2F", RESET_TOKEN),
        ("GET /en/admin/login/?next=%2fen%2flearning%2fsign-in%2f{}%2f HTTP/1.1", TOKEN),
        ("GET /en/admin/login/?next=/ar/admin/reset/MQ/{}/&x=1", RESET_TOKEN),
    ],
)
def test_a_token_in_another_urls_query_is_redacted_too(logged, secret):
    """A link Django sent to the sign-in page carries its token in ?next=, slashes encoded."""
    from core.observability import redact

    redacted = redact(logged.format(secret))
    assert secret not in redacted
    assert "[redacted]" in redacted
    assert redact("GET /ar/admin/reset/MQ/set-password/") == "GET /ar/admin/reset/MQ/set-password/"
