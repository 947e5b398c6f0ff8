"""What search engines and feed readers read, checked with the clients they use, against the
portal under gunicorn with DEBUG off (tests/live_portal.py): ultimate-sitemap-parser finds every
public page once through robots.txt and the sitemap index, the pages' <head> says what the sitemap
says, feedparser reads both languages' feeds (dates, ids, 304), and pyld expands every kind of
JSON-LD the portal emits without relative-IRI garbage, one @id per work.
"""

import json
import random
import re
import time
import urllib.robotparser
from html.parser import HTMLParser
from urllib.parse import urlsplit

import feedparser
import pytest
import requests
from pyld import jsonld
from usp.tree import sitemap_tree_for_homepage

from hub.sitemaps import ResourceSitemap
from tests.live_portal import live_portal  # noqa: F401 - the fixture

pytestmark = pytest.mark.timeout(900)

# The public pages, from the portal's own data (not from the sitemap code): every page of every
# published object in each language its title exists in, and the lists.
EXPECTED_PAGES = """
import json
from django.urls import reverse
from django.utils import translation
from actionplan.models import Plan
from hub.models import Organisation, Resource
from learning.models import Cohort, Session

pages = {}
def add(name, kwargs, languages):
    page = {}
    for code in languages:
        with translation.override(code):
            page[code] = reverse(name, kwargs=kwargs)
    for code, path in page.items():
        pages[path] = page
both = ["en", "ar"]
def has(obj, field):
    return [code for code in both if getattr(obj, f"{field}_{code}")]
for name in ["home", "hub:index", "learning:index", "learning:speakers", "learning:commitments"]:
    add(name, None, both)
for r in Resource.objects.published():
    add("hub:detail", {"identifier": r.identifier}, has(r, "title"))
for o in Organisation.objects.all():
    add("hub:organisation", {"slug": o.slug}, has(o, "name"))
for c in Cohort.objects.all():
    add("learning:cohort", {"slug": c.slug}, has(c, "name"))
for s in Session.objects.select_related("cohort"):
    add("learning:session", {"slug": s.cohort.slug, "session": s.slug}, has(s, "title"))
plans = list(Plan.objects.all())
for p in plans:
    add("actionplan:plan", {"slug": p.slug}, has(p, "title"))
    add("actionplan:deliverables", {"slug": p.slug}, has(p, "title"))
if len(plans) != 1:
    add("actionplan:index", None, both)
print(json.dumps(pages))
"""

# An excerpt of schema.org's JSON-LD context (https://schema.org/docs/jsonldcontext.jsonld) for
# the terms the portal uses: the vocabulary, and the properties whose range includes URL, which
# that context types "@id" (so a plain string there is an IRI, resolved against the page). No
# network: pyld gets it from the loader below.
SCHEMA_ORG_CONTEXT = {
    "@context": {
        "@vocab": "https://schema.org/",
        "schema": "https://schema.org/",
        **{
            term: {"@id": f"schema:{term}", "@type": "@id"}
            for term in (
                "url",
                "sameAs",
                "license",
                "identifier",
                "propertyID",
                "image",
                "additionalType",
                "mainEntityOfPage",
                "contentUrl",
                "embedUrl",
            )
        },
    }
}


def _local_loader(url, options=None):
    if urlsplit(url).netloc != "schema.org":
        raise AssertionError(f"JSON-LD expansion tried to load {url}")
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_ORG_CONTEXT}


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.canonical, self.alternates, self.json_ld, self._in_json = None, {}, [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        elif tag == "link" and attrs.get("rel") == "alternate" and attrs.get("hreflang"):
            self.alternates[attrs["hreflang"]] = attrs["href"]
        self._in_json = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_json:
            self.json_ld.append(data)

    def handle_endtag(self, tag):
        self._in_json = False


def _head(url) -> _Head:
    response = requests.get(url, allow_redirects=False, timeout=30)
    assert response.status_code == 200, (url, response.status_code)
    parser = _Head()
    parser.feed(response.text)
    return parser


@pytest.fixture(scope="module")
def expected_pages(live_portal):  # noqa: F811 - the fixture imported above
    return {
        live_portal.url + path: page for path, page in live_portal.python(EXPECTED_PAGES).items()
    }


@pytest.fixture(scope="module")
def sitemap_tree(live_portal):  # noqa: F811 - the fixture imported above
    # As a crawler finds it: robots.txt names the index, which names every section's pages.
    return sitemap_tree_for_homepage(live_portal.url + "/", use_known_paths=False)


def test_robots_txt_opens_the_site_names_the_index_and_closes_the_admin(live_portal):  # noqa: F811 - the fixture imported above
    robots = urllib.robotparser.RobotFileParser(live_portal.url + "/robots.txt")
    robots.read()
    assert robots.site_maps() == [live_portal.url + "/sitemap.xml"]
    for path in ("/en/", "/ar/hub/", "/en/learning/", "/api/v1/resources/", "/oai/"):
        assert robots.can_fetch("Googlebot", live_portal.url + path), path
    for path in ("/en/admin/", "/ar/admin/hub/resource/", "/en/learning/sign-in/abc/"):
        assert not robots.can_fetch("Googlebot", live_portal.url + path), path


def test_ultimate_sitemap_parser_finds_every_public_page_once(
    live_portal,  # noqa: F811 - the fixture imported above
    sitemap_tree,
    expected_pages,
):
    found = [page.url for page in sitemap_tree.all_pages()]
    assert len(found) == len(set(found)), "a page is listed twice"
    assert set(found) == set(expected_pages)
    # At this size one sitemap is not enough: the resources take two pages of the index.
    sitemaps = {sitemap.url for sitemap in sitemap_tree.all_sitemaps()}
    assert f"{live_portal.url}/sitemap-resources.xml?p=2" in sitemaps
    resources = [url for url in found if "/hub/" in url and not url.endswith("/hub/")]
    assert len(resources) > ResourceSitemap.limit
    # Nothing listed redirects: the action-plan list, which sends to its only plan, is left out.
    assert f"{live_portal.url}/en/action-plan/" not in found


def test_every_page_lists_its_alternates_and_only_existing_languages(
    live_portal,  # noqa: F811 - the fixture imported above
    sitemap_tree,
    expected_pages,
):
    english_only = 0
    for page in sitemap_tree.all_pages():
        languages = expected_pages[page.url]
        default = languages.get("en") or languages["ar"]
        assert dict(page.alternates) == {
            **{code: live_portal.url + path for code, path in languages.items()},
            "x-default": live_portal.url + default,
        }, page.url
        english_only += list(languages) == ["en"]
    assert english_only > 100  # the generator leaves about 3 in 10 resources without Arabic


def test_the_pages_head_says_what_the_sitemap_says(live_portal, sitemap_tree):  # noqa: F811 - the fixture imported above
    pages = list(sitemap_tree.all_pages())
    not_resources = [p for p in pages if "/hub/" not in p.url or p.url.endswith("/hub/")]
    sample = not_resources + random.Random(13).sample(
        [p for p in pages if p not in not_resources], 60
    )
    for page in sample:
        head = _head(page.url)
        assert head.canonical == page.url
        assert head.alternates == dict(page.alternates), page.url


def test_an_english_only_resource_points_its_arabic_interface_to_the_english_page(
    live_portal,  # noqa: F811 - the fixture imported above
    expected_pages,
):
    english_only = next(
        url for url, page in expected_pages.items() if list(page) == ["en"] and "/hub/gen-" in url
    )
    arabic_interface = english_only.replace("/en/hub/", "/ar/hub/")
    head = _head(arabic_interface)
    assert head.canonical == english_only
    assert head.alternates == {"en": english_only, "x-default": english_only}


def _expanded_iris(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("@id", "@type"):
                found.extend(value if isinstance(value, list) else [value])
            else:
                _expanded_iris(value, found)
    elif isinstance(node, list):
        for item in node:
            _expanded_iris(item, found)
    return found


def _expand(url):
    head = _head(url)
    assert len(head.json_ld) == 1, url
    document = json.loads(head.json_ld[0])
    expanded = jsonld.expand(document, {"base": url, "documentLoader": _local_loader})
    return document, expanded


def test_pyld_expands_every_kind_of_json_ld_without_relative_iri_garbage(
    live_portal,  # noqa: F811 - the fixture imported above
    expected_pages,
):
    base = live_portal.url
    pages = {
        "a seeded resource with a copyright notice": "/hub/south-4-care-launch-2025/",
        "a generated resource": "/hub/gen-0000140/",
        "a cohort": "/learning/learning-hub-2025/",
        "a session": "/learning/learning-hub-2025/online-plenary-sstc-care-economy/",
        "a plan of action": "/action-plan/sse-2023-2029/",
    }
    licences = {}
    for kind, path in pages.items():
        ids = set()
        for code in ("en", "ar"):
            url = f"{base}/{code}{path}"
            _document, expanded = _expand(url)
            assert len(expanded) == 1, kind
            for iri in _expanded_iris(expanded, []):
                parts = urlsplit(iri)
                assert parts.scheme in ("http", "https"), (kind, iri)
                assert parts.netloc, (kind, iri)
                # A text value read as a relative IRI lands under the page.
                assert not iri.startswith(url) or iri == url, (kind, iri)
            ids.add(expanded[0]["@id"])
            licences[(kind, code)] = expanded[0].get("https://schema.org/license")
        # One work, one @id: the same from its English and its Arabic page, in no language.
        assert ids == {base + path}, kind
    assert licences[("a generated resource", "en")] == [
        {"@id": "https://creativecommons.org/licenses/by-nc-sa/3.0/igo/"}
    ]
    assert licences[("a seeded resource with a copyright notice", "ar")] is None


def test_json_ld_countries_and_identifier_are_structured(live_portal):  # noqa: F811 - the fixture imported above
    document, expanded = _expand(f"{live_portal.url}/ar/hub/south-4-care-launch-2025/")
    schema = "https://schema.org/"
    identifier = expanded[0][schema + "identifier"][0]
    assert identifier[schema + "value"] == [{"@value": "south-4-care-launch-2025"}]
    assert document["copyrightNotice"] == "©Jeel Media/ILO (image); © ILO"
    qatar = next(c for c in document["spatialCoverage"] if c["address"]["addressCountry"] == "QA")
    assert qatar["@type"] == "Country"
    assert {"@value": "قطر", "@language": "ar"} in qatar["name"]


# Publication dates of the feeds' resources, from the portal's data.
PUBLICATION_DATES = """
import json
from hub.models import Resource
print(json.dumps({r.identifier: [r.publication_year, r.publication_month or 1, r.publication_day or 1]
                  for r in Resource.objects.published()}))
"""


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feedparser_reads_ids_dates_and_languages(live_portal, kind, language):  # noqa: F811 - the fixture imported above
    dates = live_portal.python(PUBLICATION_DATES)
    feed = feedparser.parse(f"{live_portal.url}/{language}/hub/feed/{kind}/")
    assert feed.bozo == 0
    assert feed.status == 200
    if kind == "rss":
        assert feed.feed.language == language
    assert len(feed.entries) == 30
    for entry in feed.entries:
        # An IRI: the absolute address of the resource's page, never a bare identifier.
        match = re.fullmatch(rf"{re.escape(live_portal.url)}/(en|ar)/hub/([\w-]+)/", entry.id)
        assert match, entry.id
        assert entry.link == entry.id
        # Dated by the resource's publication, not by when the content was loaded.
        assert list(entry.published_parsed[:3]) == dates[match[2]]
    assert len({e.published_parsed for e in feed.entries}) > 10


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feedparser_gets_304_until_the_feed_changes(live_portal, kind):  # noqa: F811 - the fixture imported above
    url = f"{live_portal.url}/en/hub/feed/{kind}/"
    first = feedparser.parse(url)
    assert first.etag
    assert first.modified
    assert feedparser.parse(url, etag=first.etag).status == 304
    assert feedparser.parse(url, modified=first.modified).status == 304
    newest = first.entries[0].id.rstrip("/").rsplit("/", 1)[1]
    live_portal.manage(
        "shell",
        "-c",
        "from core.permissions import SYSTEM; from hub import services; from hub.models import Resource; "
        f"r = Resource.objects.get(identifier={newest!r}); r.title_en = 'Renamed ' + r.title_en; "
        "services.resource_save(resource=r, actor=SYSTEM)",
    )
    # Straight after the change, in the same second as it: a changed ETag, and no date to
    # validate against (a second change in that second would make it stale).
    changed = feedparser.parse(url, etag=first.etag)
    assert changed.status == 200
    assert changed.entries[0].title.startswith("Renamed ")
    assert feedparser.parse(url, modified=first.modified).status == 200
    time.sleep(1.1)
    later = feedparser.parse(url)
    assert later.modified
    assert later.modified != first.modified
    assert feedparser.parse(url, modified=later.modified).status == 304
