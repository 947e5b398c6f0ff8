import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.permissions import SYSTEM
from hub import services
from hub.models import Resource

pytestmark = pytest.mark.django_db


def _identifiers(html):
    return re.findall(r'href="/(?:en|ar)/hub/([a-z0-9-]+)/"', html)


@pytest.fixture
def catalogue(make_resource, make_theme, region):
    care, sse = (
        make_theme("care-economy"),
        make_theme("sse", "Social and solidarity economy", "الاقتصاد الاجتماعي والتضامني"),
    )
    return {
        "a": make_resource(
            "Care policy A",
            "سياسة الرعاية أ",
            resource_type="policy",
            themes=[care],
            countries=["QA"],
            languages=["ar", "en"],
            regions=[region],
            publication_year=2025,
        ),
        "b": make_resource(
            "Care law B",
            "قانون الرعاية ب",
            resource_type="legislation",
            themes=[care, sse],
            countries=["BR"],
            languages=["en"],
            publication_year=2024,
        ),
        "c": make_resource(
            "SSE tool C",
            "أداة ج",
            resource_type="tool",
            themes=[sse],
            countries=["QA", "BR"],
            languages=["fr"],
            publication_year=2024,
        ),
    }


def _facet(response, name):
    return {
        fv.value: (fv.count, fv.selected)
        for group in response.context["facet_groups"]
        if group["name"] == name
        for fv in group["values"]
    }


def test_values_within_a_facet_combine_with_or(client, catalogue):
    response = client.get("/en/hub/", {"type": ["policy", "tool"]})
    assert {
        r.resource.identifier
        for r in [type("x", (), {"resource": i["resource"]}) for i in response.context["items"]]
    } == {catalogue["a"].identifier, catalogue["c"].identifier}


def test_facets_combine_with_and_and_count_under_the_other_filters(client, catalogue):
    response = client.get("/en/hub/", {"theme": "care-economy", "country": "BR"})
    items = [i["resource"].identifier for i in response.context["items"]]
    assert items == [catalogue["b"].identifier]
    # The theme facet is counted under the country filter only (OR within the facet itself).
    assert _facet(response, "theme") == {"care-economy": (1, True), "sse": (2, False)}
    assert _facet(response, "country") == {"BR": (1, True), "QA": (1, False)}
    assert _facet(response, "year") == {"2024": (1, False)}


def test_facet_counts_are_identical_in_both_languages(client, catalogue):
    english = client.get("/en/hub/", {"q": "care"})
    arabic = client.get("/ar/hub/", {"q": "care"})
    for name in ("type", "theme", "region", "country", "language", "year"):
        assert _facet(english, name) == _facet(arabic, name), name


def test_available_in_arabic_is_a_filter(client, catalogue):
    response = client.get("/ar/hub/", {"language": "ar"})
    assert [i["resource"].identifier for i in response.context["items"]] == [
        catalogue["a"].identifier
    ]


def test_search_from_the_page_in_arabic(client, catalogue):
    html = client.get("/ar/hub/", {"q": "الرعايه"}).content.decode()
    assert set(_identifiers(html)) >= {catalogue["a"].identifier, catalogue["b"].identifier}
    assert catalogue["c"].identifier not in _identifiers(html)
    assert "<mark>" in html or "الرعاية" in html


def test_sorting_by_title_and_newest(client, catalogue):
    by_title = [
        i["resource"].title_en for i in client.get("/en/hub/", {"sort": "title"}).context["items"]
    ]
    assert by_title == sorted(by_title)
    newest = [i["resource"].publication_year for i in client.get("/en/hub/").context["items"]]
    assert newest == sorted(newest, reverse=True)


def test_unknown_parameters_are_harmless(client, catalogue):
    response = client.get(
        "/en/hub/", {"sort": "bogus", "year": "20x5", "page": "999", "type": "nope"}
    )
    assert response.status_code == 200
    assert response.context["items"] == []
    assert "No resource matches these filters." in response.content.decode()


def test_empty_state_is_helpful_in_arabic(client, catalogue):
    html = client.get("/ar/hub/", {"q": "غيرموجودإطلاقا"}).content.decode()
    assert "تحقق من الإملاء" in html


@pytest.mark.parametrize("count", [1, 25])
def test_list_page_uses_a_constant_number_of_queries(
    client, make_resource, make_theme, django_assert_num_queries, count
):
    theme = make_theme("care-economy")
    for i in range(count):
        make_resource(
            f"Care report {i}",
            f"تقرير الرعاية {i}",
            themes=[theme],
            countries=["QA"],
            languages=["ar"],
        )
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/hub/", {"q": "care"})
    assert response.status_code == 200
    assert len(response.context["items"]) == min(count, 20)
    # SQLite: count + page ids + 6 facets + resources + themes prefetch + theme and region labels.
    # PostgreSQL, in this test's uncommitted transaction: the search version check (dirty: the
    # in-memory engine steps aside), the one summary statement (in a savepoint, with its
    # work_mem) + resources + themes prefetch + theme and region labels. Whatever the page holds.
    # (The in-memory engine's own count: tests/hub/test_list_engine.py.)
    expected = 9 if connection.vendor == "postgresql" else 12
    assert len(queries) == expected, [q["sql"][:120] for q in queries.captured_queries]


def test_detail_page_marks_a_missing_translation(client, make_resource):
    resource = make_resource("Only in English", "")
    html = client.get(f"/ar/hub/{resource.identifier}/").content.decode()
    assert "معروض بالإنكليزية: لم يُترجم بعد" in html
    assert 'hreflang="en"' in html


def test_detail_page_has_json_ld_with_the_real_kind_and_language_tags(
    client, make_resource, organisation
):
    resource = make_resource(
        "Care law",
        "قانون الرعاية",
        resource_type="legislation",
        publisher=organisation,
        languages=["ar", "en"],
    )
    html = client.get(f"/en/hub/{resource.identifier}/").content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["@type"] == "Legislation"
    assert data["inLanguage"] == ["ar", "en"]
    assert {"@value": "قانون الرعاية", "@language": "ar"} in data["name"]
    assert (
        "International Labour Organization (2024). Care law. International Labour Organization."
        in html
    )


def test_json_ld_cannot_be_broken_out_of(client, make_resource):
    resource = make_resource("</script><script>alert(1)</script>", "x")
    html = client.get(f"/en/hub/{resource.identifier}/").content.decode()
    assert "<script>alert(1)" not in html


def test_unpublished_and_deleted_resources_answer_410_unknown_404(client, make_resource, reviewer):
    archived = make_resource("Old", "قديم", status=Resource.Status.ARCHIVED)
    deleted = make_resource("Gone", "محذوف")
    services.resource_delete(resource=deleted, actor=reviewer)
    never = make_resource("Never public", "مسودة", status=Resource.Status.DRAFT)
    assert client.get(f"/en/hub/{archived.identifier}/").status_code == 410
    assert client.get(f"/ar/hub/{deleted.identifier}/").status_code == 410
    assert client.get(f"/en/hub/{never.identifier}/").status_code == 404
    assert client.get("/en/hub/no-such-thing/").status_code == 404


def test_rss_and_atom_feeds_per_language(client, catalogue):
    rss = feedparser.parse(client.get("/ar/hub/feed/rss/").content)
    atom = feedparser.parse(client.get("/en/hub/feed/atom/").content)
    assert rss.bozo == 0
    assert atom.bozo == 0
    assert rss.feed.language == "ar"
    assert {e.title for e in rss.entries} == {"سياسة الرعاية أ", "قانون الرعاية ب", "أداة ج"}
    assert len(atom.entries) == 3
    assert b'xml:lang="en"' in client.get("/en/hub/feed/atom/").content


def test_sitemap_lists_existing_translations_with_x_default(client, make_resource):
    both = make_resource("Both languages", "باللغتين")
    english_only = make_resource("English only", "")
    root = ET.fromstring(client.get("/sitemap-resources.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locations = {
        u.find("s:loc", ns).text: [
            (link.get("hreflang"), link.get("href")) for link in u.findall("x:link", ns)
        ]
        for u in root.findall("s:url", ns)
    }
    both_en = next(v for k, v in locations.items() if k.endswith(f"/en/hub/{both.identifier}/"))
    assert {lang for lang, _ in both_en} == {"en", "ar", "x-default"}
    assert not any(k.endswith(f"/ar/hub/{english_only.identifier}/") for k in locations)


def test_every_organisation_page_is_in_the_sitemap_as_its_head_says(client, organisation):
    from hub.models import Organisation

    english_only = Organisation.objects.create(slug="acme", name_en="Acme Care", kind="media")
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-organisations.xml</loc>" in index
    root = ET.fromstring(client.get("/sitemap-organisations.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    listed = {
        u.find("s:loc", ns).text: {
            link.get("hreflang"): link.get("href") for link in u.findall("x:link", ns)
        }
        for u in root.findall("s:url", ns)
    }
    site = next(iter(listed)).split("/en/", 1)[0].split("/ar/", 1)[0]
    both = {code: f"{site}/{code}/hub/organisations/ilo/" for code in ("en", "ar")}
    english = f"{site}/en/hub/organisations/acme/"
    assert listed == {
        both["en"]: {**both, "x-default": both["en"]},
        both["ar"]: {**both, "x-default": both["en"]},
        english: {"en": english, "x-default": english},
    }
    # The page's head says the same: its alternates are the sitemap's.
    for url, alternates in listed.items():
        html = client.get(url.removeprefix(site)).content.decode()
        head = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html))
        assert head == alternates, url
    assert english_only.slug == "acme"


def test_a_long_facet_folds_its_less_frequent_values(client, make_resource):
    codes = ["BR", "QA", "MA", "JO", "EG", "KE", "SN", "IN", "ID", "AR", "MX", "LB", "HN", "MD"]
    for number, code in enumerate(codes):
        make_resource(f"Care report {number}", f"تقرير الرعاية {number}", countries=[code])
    html = client.get("/ar/hub/", {"country": "MD"}).content.decode()
    facet = html[
        html.index('name="country"') - 200 : html.index("</fieldset>", html.index('name="country"'))
    ]
    shown, _, folded = facet.partition("<details>")
    # Ten shown plus the selected one (Moldova) kept in sight; the other three folded.
    assert shown.count('name="country"') == 11
    assert 'value="MD" checked' in shown
    assert folded.count('name="country"') == 3
    assert "<summary>٣ قيم أخرى</summary>" in folded  # in the Arabic digit convention


def test_an_edited_result_shows_at_once_in_both_languages(
    client, make_resource, django_capture_on_commit_callbacks
):
    from hub import services

    resource = make_resource("Care in Doha", "الرعاية في الدوحة")
    assert "Care in Doha" in client.get("/en/hub/").content.decode()
    assert "الرعاية في الدوحة" in client.get("/ar/hub/").content.decode()  # both cards cached
    resource.title_en, resource.title_ar = "Care in Qatar", "الرعاية في قطر"
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_save(resource=resource, actor=SYSTEM)
    english, arabic = (
        client.get("/en/hub/").content.decode(),
        client.get("/ar/hub/").content.decode(),
    )
    assert "Care in Qatar" in english
    assert "Care in Doha" not in english
    assert "الرعاية في قطر" in arabic
    assert "الدوحة" not in arabic


def test_feeds_date_items_by_their_publication_not_by_the_content_load(load_content, client):
    load_content()
    entries = feedparser.parse(client.get("/en/hub/feed/rss/").content).entries
    by_link = {e.link.rsplit("/hub/", 1)[1].strip("/"): e.published_parsed[:3] for e in entries}
    assert by_link["south-4-care-launch-2025"] == (2025, 9, 1)
    assert by_link["r193-promotion-of-cooperatives"] == (2002, 6, 1)
    assert entries[0].link.endswith("/south-4-care-launch-2025/")  # the newest publication first


def test_the_organisation_page_dates_its_resources_in_the_page_language(client, make_resource):
    """The publication date as the portal writes it (Resource.publication_date_display):
    Arabic-Indic digits on /ar/, never the bare Latin year."""
    resource = make_resource(
        "Care policies", "سياسات الرعاية", complete=True, publication_year=2024
    )
    slug = resource.publisher.slug
    arabic = client.get(f"/ar/hub/organisations/{slug}/").content.decode()
    assert '(<span class="date">٢٠٢٤</span>)' in arabic
    assert "2024" not in arabic.split("<main", 1)[1].split("</main>")[0]
    english = client.get(f"/en/hub/organisations/{slug}/").content.decode()
    assert '(<span class="date">2024</span>)' in english


def test_a_document_linked_once_is_not_said_to_have_no_copy(client, make_resource):
    # One link for the document (its language unknown to the link): the languages it exists in
    # are listed without "no online copy" under an "Open the document" button.
    several = make_resource(external_url="https://www.ilo.org/doc.pdf", languages=("en", "fr"))
    page = client.get(f"/en/hub/{several.identifier}/").content.decode()
    assert "Open the document (PDF)" in page
    assert "no online copy linked here" not in page
    # In one language only, the button says which.
    single = make_resource(external_url="https://www.ilo.org/one.pdf", languages=("en",))
    page = client.get(f"/en/hub/{single.identifier}/").content.decode()
    assert "Open in English (PDF)" in page
    arabic = client.get(f"/ar/hub/{single.identifier}/").content.decode()
    assert "فتح النسخة الإنكليزية (PDF)" in arabic
