"""The Knowledge Hub as crawlers and feed readers see it, through the test client: head links,
JSON-LD and the feeds' validators (the real clients run in tests/s4c/test_crawlers.py)."""

import calendar
import datetime as dt
import json
import re
from types import SimpleNamespace

import feedparser
import pytest
from django.utils import timezone
from django.utils.http import http_date

from core.permissions import SYSTEM
from hub import feeds
from hub import services as hub_services
from hub.models import Organisation, Resource
from hub.presentation import licence_url
from partners.models import PublicState

SITE = "http://localhost:8000"


def _json_ld(html: str) -> dict:
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )


def _head_links(html: str) -> tuple[str, dict]:
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    return (canonical.group(1) if canonical else None), alternates


def test_an_english_only_resource_advertises_no_arabic_page(client, settings, make_resource):
    settings.SITE_URL = SITE
    resource = make_resource("Only in English", "")
    english = f"{SITE}/en/hub/{resource.identifier}/"
    for language in ("en", "ar"):
        html = client.get(f"/{language}/hub/{resource.identifier}/").content.decode()
        assert _head_links(html) == (english, {"en": english, "x-default": english})


def test_a_bilingual_resource_is_canonical_in_each_language(client, settings, make_resource):
    settings.SITE_URL = SITE
    resource = make_resource("Care law", "قانون الرعاية")
    pages = {code: f"{SITE}/{code}/hub/{resource.identifier}/" for code in ("en", "ar")}
    html = client.get(f"/ar/hub/{resource.identifier}/?utm_source=x").content.decode()
    assert _head_links(html) == (pages["ar"], {**pages, "x-default": pages["en"]})


def test_an_arabic_only_resource_defaults_to_its_arabic_page(client, settings, make_resource):
    settings.SITE_URL = SITE
    resource = make_resource("", "قانون الرعاية")
    arabic = f"{SITE}/ar/hub/{resource.identifier}/"
    html = client.get(f"/en/hub/{resource.identifier}/").content.decode()
    assert _head_links(html) == (arabic, {"ar": arabic, "x-default": arabic})


def test_error_pages_have_no_canonical_link(client, make_resource):
    gone = make_resource("Old", "قديم", status=Resource.Status.ARCHIVED)
    for url in ("/en/hub/no-such-thing/", f"/ar/hub/{gone.identifier}/"):
        assert _head_links(client.get(url).content.decode()) == (None, {})


def test_one_json_ld_id_per_work_whatever_the_page_language(client, settings, make_resource):
    settings.SITE_URL = SITE
    resource = make_resource("Care law", "قانون الرعاية", licence="CC BY 4.0", countries=["QA"])
    english, arabic = (
        _json_ld(client.get(f"/{code}/hub/{resource.identifier}/").content.decode())
        for code in ("en", "ar")
    )
    assert english["@id"] == arabic["@id"] == f"{SITE}/hub/{resource.identifier}/"
    assert english["url"] == f"{SITE}/en/hub/{resource.identifier}/"
    assert arabic["url"] == f"{SITE}/ar/hub/{resource.identifier}/"
    assert english["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert english["identifier"] == {
        "@type": "PropertyValue",
        "name": "South-4-Care Knowledge Hub",
        "value": resource.identifier,
    }
    assert english["spatialCoverage"] == [
        {
            "@type": "Country",
            "name": [{"@value": "Qatar", "@language": "en"}, {"@value": "قطر", "@language": "ar"}],
            "address": {"@type": "PostalAddress", "addressCountry": "QA"},
        }
    ]
    assert {k: v for k, v in english.items() if k != "url"} == {
        k: v for k, v in arabic.items() if k != "url"
    }


def test_a_copyright_notice_is_no_licence_iri(client, make_resource):
    resource = make_resource("Care law", "قانون الرعاية", licence="© ILO")
    data = _json_ld(client.get(f"/en/hub/{resource.identifier}/").content.decode())
    assert "license" not in data
    assert data["copyrightNotice"] == "© ILO"


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
        ("CC BY-NC-SA 3.0 IGO", "https://creativecommons.org/licenses/by-nc-sa/3.0/igo/"),
        ("Creative Commons BY-ND 4.0", "https://creativecommons.org/licenses/by-nd/4.0/"),
        ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
        ("https://www.ilo.org/copyright", "https://www.ilo.org/copyright"),
        ("All rights reserved", ""),
        ("©Jeel Media/ILO (image); © ILO", ""),
        ("CC BY 4.0 and more", ""),
    ],
)
def test_licence_url_names_only_what_the_text_says(text, url):
    assert licence_url(text) == url


def test_feed_items_are_dated_by_publication_and_identified_by_their_page(
    client, settings, make_resource
):
    settings.SITE_URL = SITE
    day = make_resource("Day", "يوم", publication_year=2019, publication_month=5, publication_day=7)
    year = make_resource("Year", "سنة", publication_year=2015)
    atom = client.get("/ar/hub/feed/atom/").content.decode()
    rss = client.get("/en/hub/feed/rss/").content.decode()
    assert f"<id>{SITE}/ar/hub/{day.identifier}/</id>" in atom
    assert "<published>2019-05-07T00:00:00+00:00</published>" in atom
    assert "<published>2015-01-01T00:00:00+00:00</published>" in atom
    assert f"<guid>{SITE}/en/hub/{year.identifier}/</guid>" in rss
    assert "<pubDate>Tue, 07 May 2019 00:00:00 +0000</pubDate>" in rss


@pytest.mark.parametrize(("path", "field"), [("atom", "updated"), ("rss", "lastBuildDate")])
def test_the_feeds_date_is_its_last_change_never_a_future_publication(
    client, make_resource, django_capture_on_commit_callbacks, path, field
):
    # A document dated ahead (announced for later this month, or next year) heads the feed.
    future = timezone.now().year + 1
    make_resource(
        "Announced", "معلن", publication_year=future, publication_month=12, publication_day=22
    )
    older = make_resource("Care law", "قانون الرعاية", publication_year=2019)

    def feed():
        response = client.get(f"/en/hub/feed/{path}/")
        assert f"<{field}>" in response.content.decode()
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0
        return parsed

    def ledger_latest():
        return PublicState.objects.filter(kind="resource").latest("updated_at").updated_at

    first = feed()
    assert first.entries[0].published_parsed.tm_year == future  # the order is unchanged
    updated = calendar.timegm(first.feed.updated_parsed)
    assert updated <= timezone.now().timestamp()  # not the future publication date
    assert updated == int(ledger_latest().timestamp())

    older.summary_en = "An edited summary."
    with django_capture_on_commit_callbacks(execute=True):
        hub_services.resource_save(resource=older, actor=SYSTEM)
    second = feed()
    edited = PublicState.objects.get(kind="resource", object_id=older.identifier).updated_at
    assert calendar.timegm(second.feed.updated_parsed) == int(edited.timestamp()) > updated - 1
    assert second.feed.updated_parsed >= first.feed.updated_parsed
    if path == "atom":  # an entry's own <updated> is its last public change
        (entry,) = [e for e in second.entries if e.id.endswith(f"/{older.identifier}/")]
        assert calendar.timegm(entry.updated_parsed) == int(edited.timestamp())


@pytest.fixture
def frozen_feed_clock(monkeypatch):
    """The feeds' clock, set by the test (the change times are set with it)."""
    clock = {"now": None}
    monkeypatch.setattr(feeds, "timezone", SimpleNamespace(now=lambda: clock["now"]))
    return clock


def _changed_at(moment):
    Resource.objects.update(updated_at=moment)
    Organisation.objects.update(updated_at=moment)


def test_if_modified_since_is_never_answered_with_a_stale_304(
    client, make_resource, organisation, frozen_feed_clock
):
    make_resource("Care law", "قانون الرعاية", publisher=organisation)
    first_edit = dt.datetime(2026, 12, 2, 10, 0, 0, 300_000, tzinfo=dt.UTC)
    _changed_at(first_edit)
    # Read in the second of the change: another change may follow in that second, so no date.
    frozen_feed_clock["now"] = first_edit + dt.timedelta(milliseconds=200)
    assert "Last-Modified" not in client.get("/en/hub/feed/atom/")
    second_edit = first_edit + dt.timedelta(milliseconds=500)
    _changed_at(second_edit)
    frozen_feed_clock["now"] = second_edit + dt.timedelta(seconds=1)
    response = client.get("/en/hub/feed/atom/")
    assert response["Last-Modified"] == http_date(first_edit.replace(microsecond=0).timestamp())
    since = response["Last-Modified"]
    assert client.get("/en/hub/feed/atom/", headers={"If-Modified-Since": since}).status_code == 304
    # A change in a later second is seen at once.
    _changed_at(second_edit + dt.timedelta(seconds=1))
    frozen_feed_clock["now"] = second_edit + dt.timedelta(seconds=3)
    assert client.get("/en/hub/feed/atom/", headers={"If-Modified-Since": since}).status_code == 200


def test_if_none_match_weak_strong_and_star(client, make_resource):
    make_resource("Care law", "قانون الرعاية")
    etag = client.get("/en/hub/feed/rss/")["ETag"]
    for value in (etag, f"W/{etag}", '"other", ' + etag, "*"):
        response = client.get("/en/hub/feed/rss/", headers={"If-None-Match": value})
        assert response.status_code == 304, value
        assert response["ETag"] == etag
    assert client.get("/en/hub/feed/rss/", headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get("/ar/hub/feed/rss/", headers={"If-None-Match": etag}).status_code == 200


def test_the_cached_sitemap_shows_a_new_resource_at_once(client, settings, make_resource):
    settings.SITE_URL = SITE
    make_resource("First", "الأول")
    assert client.get("/sitemap-resources.xml").status_code == 200
    assert client.get("/sitemap-resources.xml").headers.get("X-Robots-Tag")  # served again
    second = make_resource("Second", "")
    body = client.get("/sitemap-resources.xml").content.decode()
    assert f"<loc>{SITE}/en/hub/{second.identifier}/</loc>" in body
    assert f"<loc>{SITE}/ar/hub/{second.identifier}/</loc>" not in body
    index = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{SITE}/sitemap-resources.xml</loc>" in index
    assert "?p=2" not in index  # two resources fit on one page


def test_json_ld_names_only_the_languages_the_api_has(client, make_resource):
    # A title of spaces is no title, for JSON-LD as for the API (core.bilingual's one rule).
    resource = make_resource("Care law", "   ")
    data = _json_ld(client.get(f"/en/hub/{resource.identifier}/").content.decode())
    assert data["name"] == {"@value": "Care law", "@language": "en"}
    assert client.get(f"/api/v1/resources/{resource.identifier}/").json()["title"]["ar"] is None
