"""Forms behind the public page cache, as fresh visitors meet them in production.

The page cache is on (as in production) and every client enforces CSRF like a browser: each
visitor must get a page with its own token and a cookie to match, whichever visitor came first.
"""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60


def _fresh_visitor() -> Client:
    return Client(enforce_csrf_checks=True)


APPLICATION = {
    "name": "Amina Haddad",
    "country": "JO",
    "organisation": "Ministry of Labour",
    "constituency": "government",
    "working_languages": "Arabic, English",
    "motivation": "I want to bring care policy practices back to my ministry and region.",
}


@pytest.mark.parametrize(
    ("path", "data", "accepted"),
    [
        ("/en/learning/sign-in/", {}, 200),
        ("/ar/learning/sign-in/", {}, 200),
        ("/en/learning/lh-test/apply/", APPLICATION, 302),
        ("/ar/learning/lh-test/apply/", APPLICATION, 302),
    ],
)
def test_every_fresh_visitor_gets_a_form_that_posts(path, data, accepted, cohort, page_cache):
    for visitor in range(4):
        client = _fresh_visitor()
        page = client.get(path)
        assert page.status_code == 200, visitor
        assert "X-Cache" not in page.headers, "a page carrying a form was served from the cache"
        assert "private" in page.headers["Cache-Control"]
        assert "csrftoken" in page.cookies, f"visitor {visitor} got no CSRF cookie"
        token = TOKEN.search(page.content.decode()).group(1)
        email = f"visitor{visitor}@example.org"
        posted = client.post(path, {**data, "email": email, "csrfmiddlewaretoken": token})
        assert posted.status_code == accepted, (visitor, posted.status_code)


def test_pages_without_forms_are_still_cached(cohort, page_cache):
    first = _fresh_visitor().get("/en/learning/")
    second = _fresh_visitor().get("/en/learning/")
    assert "X-Cache" not in first.headers
    assert second.headers["X-Cache"] == "hit"
    assert not second.cookies


def test_a_view_that_forgets_to_say_so_is_still_not_cached(rf, page_cache):
    """The rule lives in the middleware: reading the token is enough, whatever the view says."""
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from core.caching import PublicPageCacheMiddleware

    def view(request):
        return HttpResponse(f"<form method=post><input value={get_token(request)}></form>")

    middleware = PublicPageCacheMiddleware(view)
    for _ in range(2):
        request = rf.get("/en/some-form/")
        request.COOKIES = {}
        response = middleware(request)
        assert "X-Cache" not in response.headers
