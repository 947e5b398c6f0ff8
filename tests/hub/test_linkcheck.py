import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.permissions import SYSTEM
from hub import services
from hub.linkcheck import check_url
from hub.models import Resource


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self, with_body):
        if self.path == "/ok":
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/no-head":
            self.send_response(405 if self.command == "HEAD" else 200)
        elif self.path == "/slow":
            threading.Event().wait(2)
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.parametrize(
    ("path", "ok", "status"),
    [("/ok", True, 200), ("/moved", True, 200), ("/no-head", True, 200), ("/missing", False, 404)],
)
def test_check_url_follows_redirects_and_falls_back_to_get(server, path, ok, status):
    result = check_url(server + path, timeout=5)
    assert (result.ok, result.status) == (ok, status)


def test_timeouts_and_refused_connections_are_broken_links(server):
    assert check_url(server + "/slow", timeout=0.3).ok is False
    refused = check_url("http://127.0.0.1:1/", timeout=1)
    assert refused.ok is False
    assert refused.error
    assert check_url("ftp://example.org/file").ok is False


@pytest.mark.django_db
def test_broken_links_are_flagged_for_curators(server, make_resource, client, reviewer):
    good = make_resource("Good link", "رابط سليم", external_url=server + "/moved")
    bad = make_resource("Bad link", "رابط معطل", external_url=server + "/missing")
    counts = services.check_links(actor=SYSTEM, concurrency=2, timeout=5)
    assert counts == {"ok": 1, "broken": 1}
    assert Resource.objects.get(pk=good.pk).link_status == "ok"
    flagged = Resource.objects.get(pk=bad.pk)
    assert (flagged.link_status, flagged.link_error) == ("broken", "HTTP 404")
    client.force_login(reviewer)
    html = client.get("/en/admin/hub/resource/", {"link": "broken"}).content.decode()
    assert "Bad link" in html
    assert "Good link" not in html
