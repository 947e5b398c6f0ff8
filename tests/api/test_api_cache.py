"""Public API answers are cached per content version, after authentication and throttling."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.permissions import SYSTEM
from hub import services
from hub.models import Resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_api(load_content, settings):
    settings.API_CACHE_SECONDS = 60
    load_content()


def test_a_repeated_answer_comes_from_the_cache_and_a_change_shows_at_once(
    client, cached_api, django_capture_on_commit_callbacks
):
    first = client.get("/api/v1/resources/", {"page_size": 5, "lang": "ar"})
    assert first.status_code == 200
    assert "X-Cache" not in first
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/resources/", {"page_size": 5, "lang": "ar"})
    assert again["X-Cache"] == "hit"
    assert len(queries) == 0
    assert again.content == first.content
    for header in ("ETag", "Content-Language", "Content-Type"):
        assert again[header] == first[header], header

    # Conditional requests work on cached answers too.
    assert (
        client.get(
            "/api/v1/resources/",
            {"page_size": 5, "lang": "ar"},
            headers={"if-none-match": first["ETag"]},
        ).status_code
        == 304
    )

    resource = Resource.objects.published().get(identifier=first.json()["results"][0]["id"])
    resource.title_ar = "عنوان منقح"
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_save(resource=resource, actor=SYSTEM)
    fresh = client.get("/api/v1/resources/", {"page_size": 5, "lang": "ar"})
    assert "X-Cache" not in fresh
    assert fresh.json()["results"][0]["title"] == "عنوان منقح"


def test_a_wrong_key_is_refused_even_when_the_answer_is_cached(client, cached_api):
    assert client.get("/api/v1/themes/").status_code == 200
    assert client.get("/api/v1/themes/")["X-Cache"] == "hit"
    refused = client.get("/api/v1/themes/", headers={"x-api-key": "s4c_not-a-key"})
    assert refused.status_code == 401


def test_errors_are_not_cached(client, cached_api):
    for _ in range(2):
        response = client.get("/api/v1/resources/", {"lang": "fr"})
        assert response.status_code == 400
        assert "X-Cache" not in response


def test_a_cached_list_keeps_its_date_and_answers_304(client, cached_api):
    from core.caching import content_version

    # The version the cache holds since the content's loading (a cache that lost it starts a new
    # one, dated now: no date is sent in that second), and that second over.
    content_version()
    time.sleep(1.1)
    first = client.get("/api/v1/themes/")
    again = client.get("/api/v1/themes/")
    assert again["X-Cache"] == "hit"
    assert again["Last-Modified"] == first["Last-Modified"]
    conditional = client.get(
        "/api/v1/themes/", headers={"if-modified-since": first["Last-Modified"]}
    )
    assert conditional.status_code == 304
