import threading

import pytest
from django.core.cache import cache
from django.test import Client

from core.caching import PublicPageCacheMiddleware
from core.models import SiteText

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60


def test_anonymous_public_pages_are_served_from_the_cache(client, page_cache):
    SiteText.objects.create(key="platform", title_en="South-4-Care platform")
    first = client.get("/en/")
    second = client.get("/en/")
    assert "X-Cache" not in first.headers
    assert second.headers["X-Cache"] == "hit"
    assert second.content == first.content
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


def test_a_published_edit_shows_at_once(client, page_cache, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        text = SiteText.objects.create(key="platform", title_en="Old title")
    assert "Old title" in client.get("/en/").content.decode()
    text.title_en = "New title"
    with django_capture_on_commit_callbacks(execute=True):
        text.save()  # the cache follows the commit (before it, other requests see the old text)
    response = client.get("/en/")
    assert "X-Cache" not in response.headers
    assert "New title" in response.content.decode()


def test_signed_in_users_and_admin_pages_are_never_cached(admin_client, page_cache):
    admin_client.get("/en/")
    assert "X-Cache" not in admin_client.get("/en/").headers
    Client().get("/en/admin/login/")
    assert "X-Cache" not in Client().get("/en/admin/login/").headers


def test_not_found_pages_are_not_cached(client, page_cache):
    client.get("/en/nothing-here/")
    assert "X-Cache" not in client.get("/en/nothing-here/").headers


def test_concurrent_misses_compute_the_page_once(page_cache, rf):
    """Ten visitors arrive together on an expired page: one renders it, nine get its result."""
    renders = []
    gate = threading.Barrier(10)

    def slow_view(request):
        from django.http import HttpResponse

        renders.append(1)
        threading.Event().wait(0.3)
        return HttpResponse("programme")

    middleware = PublicPageCacheMiddleware(slow_view)
    results = []

    def visit():
        request = rf.get("/en/learning/")
        request.user = type("Anon", (), {"is_authenticated": False})()
        gate.wait()
        results.append(middleware(request).content)

    threads = [threading.Thread(target=visit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [b"programme"] * 10
    assert len(renders) == 1
    cache.clear()


def test_pages_keep_answering_when_redis_is_down_and_health_names_it(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens: Redis is down
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    SiteText.objects.create(key="platform", title_en="South-4-Care platform")
    for _ in range(2):
        response = client.get("/en/")
        assert response.status_code == 200
        assert "South-4-Care platform" in response.content.decode()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["down"] == ["cache"]


def test_a_deployment_migrate_starts_a_new_content_version(db):
    from django.core.management import call_command

    from core.caching import content_version

    before = content_version()
    call_command("migrate", verbosity=0)  # nothing to apply: only the deployment's signal
    assert content_version() != before
