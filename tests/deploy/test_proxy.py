"""The front server as shipped: nginx with deploy/nginx/s4c.conf.template, rendered by the same
deploy/nginx/render.sh the proxy image runs, in front of the portal under gunicorn (one sync
worker, so a worker held by a slow client would show at once).

Needs Debian's nginx (.ci/run installs it): skipped without it, a failure under
S4C_REQUIRE_SERVICES=1.
"""

import gzip
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.database import fresh_database

ROOT = Path(__file__).resolve().parents[2]
# One worker runs the module (make test's --dist loadgroup): the stack (migrated portal, gunicorn,
# nginx) is module-scoped, and a second one built at once on another worker only competes with it.
pytestmark = pytest.mark.xdist_group("nginx_stack")
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
UPLOAD_MAX_BYTES = 3 * 1024 * 1024
HASHED_CSS = "s4c/css/site.0123456789ab.css"
SEED_MEDIA = """
from hub.models import Resource
for status, name in (("published", "report"), ("draft", "draft")):
    Resource.objects.create(
        title_en=name, resource_type="publication", publication_year=2025, status=status,
        file=f"resources/2025/{name}.pdf",
    )
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


class Stack:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.http_port, self.https_port, self.app_port = (_free_port() for _ in range(3))
        self.access_log = tmp / "gunicorn-access.log"
        self.nginx_access_log = tmp / "nginx-access.log"

    def request(self, method, path, *, body=None, headers=None, tls=True, port=None, timeout=10):
        if port is not None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        elif tls:
            context = ssl._create_unverified_context()  # the test's self-signed certificate
            conn = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, timeout=timeout, context=context
            )
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=timeout)
        conn.request(method, path, body=body, headers={"Host": "localhost", **(headers or {})})
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response, data

    def reached_django(self, fragment: str, *, wait: float = 10) -> bool:
        """Whether gunicorn logged a request for `fragment`."""
        return _logged(self.access_log, fragment, wait=wait)

    def nginx_logged(self, fragment: str, *, wait: float = 10) -> bool:
        return _logged(self.nginx_access_log, fragment, wait=wait)


def _logged(log: Path, fragment: str, *, wait: float) -> bool:
    """Both servers write a request's access line once the answer is sent, so a line can come a
    moment after the client has read the answer."""
    deadline = time.monotonic() + wait
    while fragment not in (log.read_text() if log.exists() else ""):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if NGINX is None:
        if os.environ.get("S4C_REQUIRE_SERVICES") == "1":
            pytest.fail("CI requires nginx (apt-get install nginx-light)", pytrace=False)
        pytest.skip("needs nginx: apt-get install nginx-light")
    tmp = tmp_path_factory.mktemp("proxy")
    stack = Stack(tmp)
    static, media = tmp / "static", tmp / "media"
    (static / "s4c" / "css").mkdir(parents=True)
    css = b"body { margin: 0 }\n" * 200
    (static / HASHED_CSS).write_bytes(css)
    (static / (HASHED_CSS + ".gz")).write_bytes(gzip.compress(css))
    (static / "robots.txt").write_text("User-agent: *\n")
    (static / "s4c" / "errors").mkdir()
    shutil.copy(ROOT / "core/static/s4c/errors/413.html", static / "s4c/errors/413.html")
    (media / "resources" / "2025").mkdir(parents=True)
    (media / "resources" / "2025" / "report.pdf").write_bytes(b"%PDF-1.4\n<html>not run</html>\n")
    (media / "resources" / "2025" / "draft.pdf").write_bytes(b"%PDF-1.4\n")
    (media / "stray").mkdir()
    (media / "stray" / "notes.pdf").write_bytes(b"%PDF-1.4\n")

    database_url, drop_database = fresh_database(f"s4c_proxy_{os.getpid()}", tmp)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "DJANGO_"))
    }
    env.update(
        DEBUG="false",
        S4C_TESTING="1",  # plain static storage: this test's static files come from nginx
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="localhost",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        MEDIA_ACCEL_REDIRECT="/_media/",
        TRUSTED_PROXY_COUNT="1",  # as in docker-compose.yml: nginx is the one hop in front
        LOG_FORMAT="plain",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="s4c.settings",
    )

    def manage(*args: str) -> None:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            check=False,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-2000:]

    manage("migrate", "--noinput")
    # One published resource with a document, one draft with another (the view asks the hub).
    manage("shell", "-c", SEED_MEDIA)
    # The child keeps its own copy of the log's descriptor; ours closes once it is started.
    with open(tmp / "gunicorn.log", "w") as gunicorn_log:
        gunicorn = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tests.deploy.probe_wsgi:application",
                "--bind",
                f"127.0.0.1:{stack.app_port}",
                "--workers",
                "1",
                "--timeout",
                "30",
                "--access-logfile",
                str(stack.access_log),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=gunicorn_log,
        )

    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(tmp / "key.pem"),
            "-out",
            str(tmp / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    render_env = {
        **os.environ,
        "S4C_UPSTREAM": f"127.0.0.1:{stack.app_port}",
        "S4C_LISTEN": f"127.0.0.1:{stack.http_port}",
        "S4C_TLS_LISTEN": f"127.0.0.1:{stack.https_port}",
        "S4C_TLS_CERTIFICATE": str(tmp / "cert.pem"),
        "S4C_TLS_CERTIFICATE_KEY": str(tmp / "key.pem"),
        "S4C_STATIC_ROOT": str(static),
        "S4C_MEDIA_ROOT": str(media),
        "UPLOAD_MAX_BYTES": str(UPLOAD_MAX_BYTES),
        "S4C_ACCESS_LOG": str(tmp / "nginx-access.log"),
    }
    subprocess.run(
        [
            "sh",
            str(ROOT / "deploy/nginx/render.sh"),
            str(ROOT / "deploy/nginx/s4c.conf.template"),
            str(tmp / "s4c.conf"),
        ],
        env=render_env,
        check=True,
    )
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / name).mkdir()
    # What the official image's nginx.conf gives the include (the parts that matter here).
    (tmp / "nginx.conf").write_text(f"""
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp}/nginx-access.log;
    sendfile on;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/s4c.conf;
}}
""")
    with open(tmp / "nginx-stderr.log", "w") as nginx_log:
        nginx = subprocess.Popen(
            [NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=nginx_log,
        )
    try:
        _wait_for(stack.app_port)
        _wait_for(stack.https_port, 10)
        yield stack
    finally:
        for process in (nginx, gunicorn):
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        drop_database()


def test_an_oversized_body_to_a_public_form_is_refused_before_django(stack):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    small, _ = stack.request("POST", "/en/learning/a-cohort/apply/", body=b"a=1", headers=form)
    big, _ = stack.request(
        "POST", "/en/learning/other-cohort/apply/", body=b"a=" + b"x" * 70_000, headers=form
    )
    sign_in, page = stack.request(
        "POST", "/ar/learning/sign-in/", body=b"email=" + b"x" * 70_000, headers=form
    )

    assert small.status != 413
    assert stack.reached_django("/en/learning/a-cohort/apply/")
    assert (big.status, sign_in.status) == (413, 413)
    assert "البيانات المرسلة كثيرة جداً" in page.decode()  # a message in both languages
    assert not stack.reached_django("/other-cohort/apply/", wait=1)
    assert not stack.reached_django("/ar/learning/sign-in/", wait=1)


def test_body_limits_per_path(stack):
    two_mib = b"x" * (2 * 1024 * 1024)
    elsewhere, _ = stack.request("POST", "/en/hub/", body=two_mib)
    admin, _ = stack.request("POST", "/ar/admin/login/", body=two_mib)
    over_upload, _ = stack.request("POST", "/en/admin/login/", body=two_mib * 3)

    assert elsewhere.status == 413
    # The admin takes uploads up to the limit: Django answers (whatever it makes of the body).
    assert admin.status == 403  # CSRF
    assert stack.reached_django("POST /ar/admin/login/")
    assert over_upload.status == 413


def _slow_post(port: int, stop: threading.Event) -> None:
    """A client that sends a form's body a few bytes at a time (as a slow-loris attack does)."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            b"POST /en/learning/sign-in/ HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-Proto: https\r\n"
            # A CSRF cookie and a good origin, so Django goes on to read the form's token.
            b"Cookie: csrftoken=" + b"a" * 32 + b"\r\nOrigin: https://localhost\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 1000\r\n\r\n"
        )
        while not stop.wait(0.3):
            try:
                sock.sendall(b"e")
            except OSError:
                return


def _get_seconds_while_a_client_is_slow(stack, *, slow_port: int, get_port: int | None) -> float:
    stop = threading.Event()
    slow = threading.Thread(target=_slow_post, args=(slow_port, stop), daemon=True)
    slow.start()
    time.sleep(1.0)  # the slow body has started
    started = time.monotonic()
    try:
        stack.request("GET", "/healthz", port=get_port, timeout=3)
    except (TimeoutError, OSError):
        pass  # no answer within the timeout
    finally:
        elapsed = time.monotonic() - started
        stop.set()
        slow.join(5)
    return elapsed


def test_a_slow_client_does_not_hold_the_app(stack):
    # Without the proxy, one slow client holds the only worker: the next request waits.
    direct = _get_seconds_while_a_client_is_slow(
        stack, slow_port=stack.app_port, get_port=stack.app_port
    )
    time.sleep(1)
    behind_nginx = _get_seconds_while_a_client_is_slow(
        stack, slow_port=stack.http_port, get_port=None
    )

    assert direct >= 2.9
    assert behind_nginx < 1.0


def test_uploaded_documents_are_downloads_never_rendered(stack):
    response, data = stack.request("GET", "/media/resources/2025/report.pdf")

    assert response.status == 200
    assert data.startswith(b"%PDF")
    assert response.getheader("Content-Disposition") == 'attachment; filename="report.pdf"'
    assert response.getheader("Content-Type") == "application/pdf"  # nginx's, by the extension
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert "sandbox" in response.getheader("Content-Security-Policy")
    assert response.getheader("Cache-Control") == "public, max-age=3600"
    assert response.getheader("X-Accel-Redirect") is None
    assert stack.reached_django("/media/resources/2025/report.pdf")
    put, _ = stack.request("POST", "/media/resources/2025/report.pdf", body=b"x")
    assert put.status == 403


def test_a_drafts_file_and_files_no_app_claims_are_not_found(stack):
    draft, draft_body = stack.request("GET", "/media/resources/2025/draft.pdf")
    stray, _ = stack.request("GET", "/media/stray/notes.pdf")
    internal, _ = stack.request("GET", "/_media/resources/2025/draft.pdf")
    escape, _ = stack.request("GET", "/media/resources/../stray/notes.pdf")

    assert (draft.status, stray.status, internal.status, escape.status) == (404, 404, 404, 404)
    assert not draft_body.startswith(b"%PDF")


def test_static_files_are_cached_long_when_their_name_is_hashed(stack):
    hashed, data = stack.request(
        "GET", f"/static/{HASHED_CSS}", headers={"Accept-Encoding": "gzip"}
    )
    plain, _ = stack.request("GET", "/static/robots.txt")

    assert hashed.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert hashed.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(data).startswith(b"body {")
    assert plain.getheader("Cache-Control") == "public, max-age=3600"
    assert not stack.reached_django("/static/", wait=1)


def test_the_client_address_is_the_real_one_for_exactly_one_hop(stack):
    _response, data = stack.request(
        "GET",
        "/__probe__/headers",
        headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.1", "X-Real-IP": "203.0.113.9"},
    )
    passed_on = json.loads(data)

    assert passed_on["HTTP_X_FORWARDED_FOR"] == "127.0.0.1"
    assert passed_on["HTTP_X_FORWARDED_PROTO"] == "https"
    assert not passed_on["HTTP_X_REAL_IP"]


def test_the_request_id_is_nginxs_never_the_clients(stack):
    _response, data = stack.request(
        "GET", "/__probe__/headers", headers={"X-Request-ID": "spoofed-id-0001"}
    )
    passed_on = json.loads(data)["HTTP_X_REQUEST_ID"]
    assert passed_on != "spoofed-id-0001"
    assert len(passed_on) == 32
    assert stack.nginx_logged(f" {passed_on}\n")
    # The portal answers (and logs) with the same id.
    response, _ = stack.request("GET", "/healthz", headers={"X-Request-ID": "spoofed-id-0001"})
    echoed = response.getheader("X-Request-ID")
    assert echoed != "spoofed-id-0001"
    assert stack.nginx_logged(f" {echoed}\n")


def test_the_front_server_hides_gunicorn_and_sets_a_permissions_policy(stack):
    direct, _ = stack.request("GET", "/healthz", port=stack.app_port)
    response, _ = stack.request("GET", "/healthz")

    assert "gunicorn" in direct.getheader("Server")  # what the proxy hides
    assert response.getheader("Server") == "nginx"
    assert "camera=()" in response.getheader("Permissions-Policy")


def test_html_and_json_arrive_compressed(stack):
    page, html = stack.request("GET", "/en/", headers={"Accept-Encoding": "gzip, br"})
    api, body = stack.request("GET", "/api/v1/", headers={"Accept-Encoding": "gzip"})

    assert page.status == 200
    assert page.getheader("Content-Encoding") == "gzip"
    assert b"<html" in gzip.decompress(html)
    assert api.getheader("Content-Encoding") == "gzip"
    assert json.loads(gzip.decompress(body))


def test_sign_in_tokens_never_reach_the_access_log(stack):
    token = "Zq9-secret-one-time-token_0123456789"
    stack.request("GET", f"/en/learning/sign-in/{token}/?next=1")
    stack.request(
        "GET", "/en/", headers={"Referer": f"https://localhost/ar/learning/sign-in/{token}/"}
    )
    assert stack.nginx_logged("/en/learning/sign-in/[token]/?next=1")
    assert stack.nginx_logged("/ar/learning/sign-in/[token]/")
    assert token not in stack.nginx_access_log.read_text()


def test_password_reset_tokens_never_reach_the_access_logs(stack):
    token = "cz9x1k-0123456789abcdef0123456789abcdef"
    stack.request("GET", f"/en/admin/reset/MQ/{token}/")
    stack.request("GET", f"/ar/admin/reset/MQ/{token}/?next=1")
    stack.request("GET", "/ar/admin/reset/MQ/set-password/")
    stack.request(
        "GET", "/en/", headers={"Referer": f"https://localhost/en/admin/reset/MQ/{token}/"}
    )
    # A link that Django sent to the sign-in page: the token is in ?next=, its slashes encoded.
    stack.request("GET", f"/en/admin/login/?next=%2Fen%2Fadmin%2Freset%2FMQ%2F{token}%2F")
    stack.request("GET", f"/en/admin/login/?next=/ar/learning/sign-in/{token}/")
    assert stack.nginx_logged("/en/admin/reset/MQ/[token]/ ")
    assert stack.nginx_logged("/ar/admin/reset/MQ/[token]/?next=1")
    assert stack.nginx_logged("/ar/admin/reset/MQ/set-password/")  # holds no secret
    assert stack.nginx_logged('"https://localhost/en/admin/reset/MQ/[token]/"')
    assert stack.nginx_logged("/en/admin/login/?next=%2Fen%2Fadmin%2Freset%2FMQ%2F[token]%2F")
    assert stack.nginx_logged("/en/admin/login/?next=/ar/learning/sign-in/[token]/")
    assert stack.reached_django("/ar/admin/reset/MQ/set-password/")
    assert token not in stack.nginx_access_log.read_text()
    assert token not in stack.access_log.read_text()  # gunicorn's, behind nginx
