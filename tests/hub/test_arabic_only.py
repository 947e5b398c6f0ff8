"""A resource with an Arabic title only (an Arabic curator's draft, published): every page,
list, feed and harvest that names a resource names it by its Arabic title, never by an empty
English one."""

import json
import re

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

TITLE = "سياسات الرعاية في الدول العربية"


@pytest.fixture
def arabic_only(make_resource):
    return make_resource(title_en="", title_ar=TITLE, summary_en="", complete=True)


def test_public_pages_lists_and_search_name_it_by_its_arabic_title(client, arabic_only):
    for lang in ("en", "ar"):
        detail = client.get(f"/{lang}/hub/{arabic_only.identifier}/")
        assert detail.status_code == 200
        html = detail.content.decode()
        assert TITLE in re.search(r"<h1.*?</h1>", html, re.S)[0]
        for query in ("", "?sort=title", "?q=الرعاية"):
            listing = client.get(f"/{lang}/hub/{query}").content.decode()
            assert TITLE in listing, (lang, query)
        # JSON-LD: the work's name is tagged Arabic, with no empty English name.
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        data = json.loads(block[1])
        assert TITLE in json.dumps(data, ensure_ascii=False)
        assert '"@value": ""' not in json.dumps(data)


def test_the_api_oai_sitemap_and_feeds_give_its_arabic_title_only(client, arabic_only):
    api = client.get(f"/api/v1/resources/{arabic_only.identifier}/").json()
    assert api["title"] == {"en": None, "ar": TITLE}
    assert client.get(f"/api/v1/resources/{arabic_only.identifier}/?lang=en").json()["title"] == (
        TITLE
    )
    oai = client.get("/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).content.decode()
    assert f'<dc:title xml:lang="ar">{TITLE}</dc:title>' in oai
    assert '<dc:title xml:lang="en">' not in oai
    sitemap = client.get("/sitemap-resources.xml").content.decode()
    assert f"/ar/hub/{arabic_only.identifier}/" in sitemap
    assert f"/en/hub/{arabic_only.identifier}/</loc>" not in sitemap
    for lang in ("en", "ar"):
        for kind in ("rss", "atom"):
            feed = client.get(f"/{lang}/hub/feed/{kind}/").content.decode()
            assert f"<title>{TITLE}</title>" in feed, (lang, kind)


def test_an_organisation_or_a_speaker_named_in_arabic_only_is_ordered_by_that_name(client):
    from django.contrib.auth.models import User

    from hub.models import Organisation
    from learning.models import Speaker

    for slug, name_en, name_ar in [("b", "Beta", "بيتا"), ("x", "", "ألف"), ("a", "Alpha", "")]:
        Organisation.objects.create(slug=slug, name_en=name_en, name_ar=name_ar, kind="media")
        Speaker.objects.create(slug=slug, name_en=name_en, name_ar=name_ar)
    # Not first by an empty English name: by the name it has.
    expected = ["Alpha", "Beta", "ألف"]
    with translation.override("en"):
        assert [str(o) for o in Organisation.objects.all()] == expected
        assert [str(s) for s in Speaker.objects.all()] == expected
    client.force_login(User.objects.create_superuser("root", "root@example.org", None))
    listing = client.get("/en/admin/hub/organisation/").content.decode()
    assert listing.index(">Alpha<") < listing.index(">Beta<") < listing.index(">ألف<")
    speakers = client.get("/en/learning/speakers/").content.decode()
    assert speakers.index("Alpha") < speakers.index("Beta") < speakers.index("ألف")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_sorted_by_title_a_resource_sorts_by_the_title_the_page_shows(make_resource, language):
    """An Arabic-only resource on /en/ (and an English-only one on /ar/) sorts by the title it
    shows, not first by an empty one; the engine and the fallback agree."""
    from hub.search_backends import PostgresBackend, SQLiteFallback

    english = make_resource(title_en="Zambia care report", title_ar="", complete=True)
    arabic = make_resource(title_en="", title_ar="تقرير الرعاية", complete=True)
    both = make_resource(title_en="Afghanistan care", title_ar="رعاية أفغانستان", complete=True)
    expected = {
        "en": [both.pk, english.pk, arabic.pk],  # A…, Z…, then Arabic letters
        "ar": [english.pk, arabic.pk, both.pk],  # Latin letters, then تقرير before رعاية
    }[language]
    for backend in (PostgresBackend(), SQLiteFallback()):
        summary = backend.summary(
            query="", filters={}, sort="title", language=language, offset=0, limit=10
        )
        assert summary.ids == expected, backend
