"""Absolute links (core/links.py): from SITE_URL in production, whatever the Host header says;
from the request in debug mode unless SITE_URL is set explicitly (issue 14 item 7, 15 item 8)."""

import re

import pytest
from django.core import mail
from django.test import Client

from core import links
from core.permissions import SYSTEM
from hub.models import Resource
from learning.models import Cohort
from tests.learning.conftest import make_application

SITE = "https://south4care.example.org"
FOREIGN = "south4care.example.org:6666"


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SITE_URL, settings.SITE_URL_EXPLICIT = SITE, True
    settings.ALLOWED_HOSTS = ["south4care.example.org"]
    settings.PAGE_CACHE_SECONDS = 60


def _publish():
    from django.db import transaction

    from hub import services

    with transaction.atomic():
        resource = Resource(
            title_en="Care leave", resource_type="publication", publication_year=2025
        )
        services.resource_save(resource=resource, actor=SYSTEM, languages=["en"])
        services.resource_publish(resource=resource, actor=SYSTEM)
    return resource


def _cohort():
    import datetime as dt

    from learning.models import Phase, Session

    cohort = Cohort.objects.create(
        slug="lh-2027", name_en="Learning Hub 2027", year=2027, status=Cohort.Status.OPEN
    )
    # A dated session: only a programme with an event has a calendar to link to.
    phase = Phase.objects.create(
        cohort=cohort,
        name_en="Doha",
        mode="in_person",
        start_date=dt.date(2027, 9, 15),
        end_date=dt.date(2027, 9, 18),
        time_zone="Asia/Qatar",
    )
    Session.objects.create(
        cohort=cohort,
        phase=phase,
        slug="plenary",
        title_en="Plenary",
        kind="plenary",
        date=dt.date(2027, 9, 16),
    )
    return cohort


def _origins(text: str) -> set[str]:
    return set(re.findall(r"(?:https?|webcal)://[^/\s\"'<]+", text))


@pytest.mark.django_db
def test_a_foreign_port_in_the_host_header_never_reaches_a_cached_page(production):
    _cohort()
    attacker = Client(HTTP_HOST=FOREIGN, secure=True)
    poisoned = attacker.get("/en/learning/lh-2027/").content.decode()
    assert "webcal://south4care.example.org/en/learning/lh-2027/calendar.ics" in poisoned
    visitor = Client(HTTP_HOST="south4care.example.org", secure=True)
    response = visitor.get("/en/learning/lh-2027/")
    assert response.headers.get("X-Cache") == "hit"  # the attacker's copy, served to everyone
    assert "6666" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/en/hub/feed/rss/",
        "/ar/hub/feed/atom/",
        "/sitemap.xml",
        "/api/v1/resources/?page_size=1",
        "/api/v1/",  # the root's links to the collections, the feed, the schema and the docs
    ],
)
def test_feeds_sitemaps_and_the_api_link_to_the_configured_site(production, path):
    _publish()
    _publish()
    response = Client(HTTP_HOST=FOREIGN, secure=True).get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "6666" not in body
    assert SITE in body
    assert _origins(body) <= {SITE, "http://www.w3.org", "http://www.sitemaps.org"}
    if path == "/api/v1/":
        assert response.json()["changes"] == f"{SITE}/api/v1/changes/"
        assert response.json()["resources"] == f"{SITE}/api/v1/resources/"


def test_in_debug_mode_the_api_root_follows_the_request_as_every_link_does(settings):
    settings.DEBUG, settings.SITE_URL_EXPLICIT = True, False
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    root = Client(HTTP_HOST="127.0.0.1:8123").get("/api/v1/").json()
    assert root["resources"] == "http://127.0.0.1:8123/api/v1/resources/"
    assert root["schema"] == "http://127.0.0.1:8123/api/v1/schema/"


@pytest.mark.django_db(transaction=True)
def test_in_debug_mode_sign_in_links_follow_the_port_the_portal_runs_on(settings, eager_tasks):
    settings.DEBUG, settings.SITE_URL_EXPLICIT = True, False
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    make_application(_cohort(), "amina@example.org", language="en")
    Client(HTTP_HOST="127.0.0.1:8123").post("/en/learning/sign-in/", {"email": "amina@example.org"})
    [message] = mail.outbox
    assert "http://127.0.0.1:8123/en/learning/sign-in/" in message.body
    assert "localhost:8000" not in message.body


def test_the_origin_follows_the_request_only_in_debug_mode_without_an_explicit_site_url(
    settings, rf
):
    request = rf.get("/", HTTP_HOST="127.0.0.1:8123")
    settings.SITE_URL = "http://localhost:8000"
    settings.DEBUG, settings.SITE_URL_EXPLICIT = True, False
    assert links.absolute_url("/en/", request=request) == "http://127.0.0.1:8123/en/"
    assert links.absolute_url("/en/") == "http://localhost:8000/en/"  # outside any request
    settings.SITE_URL_EXPLICIT = True
    assert links.absolute_url("/en/", request=request) == "http://localhost:8000/en/"
    settings.DEBUG, settings.SITE_URL_EXPLICIT = False, False
    assert links.absolute_url("/en/", request=request) == "http://localhost:8000/en/"


@pytest.mark.django_db
def test_the_change_feed_records_the_same_representation_whatever_port_computed_it(settings, rf):
    # Debug mode: pages follow the request's port, the feed's digests never do (a no-op save
    # outside any request would otherwise emit an upsert for what a request recorded).
    from django.http import HttpResponse

    from hub import services
    from partners.models import ChangeEvent

    settings.DEBUG, settings.SITE_URL_EXPLICIT = True, False
    resource = Resource.objects.create(
        title_en="Care law", title_ar="قانون", resource_type="publication", publication_year=2025
    )
    services.resource_publish(resource=resource, actor=SYSTEM)

    def edit_in_a_request(request):
        resource.title_en = "Care law, revised"
        services.resource_save(resource=resource, actor=SYSTEM)
        return HttpResponse()

    links.RequestOriginMiddleware(edit_in_a_request)(rf.post("/", HTTP_HOST="127.0.0.1:8123"))
    before = ChangeEvent.objects.count()
    services.resource_save(resource=Resource.objects.get(pk=resource.pk), actor=SYSTEM)
    assert ChangeEvent.objects.count() == before
