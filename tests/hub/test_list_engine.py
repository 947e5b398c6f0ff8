"""The public list's engines: the PostgreSQL summary statement agrees with the portable ORM engine,
its search documents follow every write, and results are cached per content version."""

import io
import itertools

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub import services
from hub.models import Resource
from hub.search import postgres_list_summary
from hub.selectors import HubQuery, _orm_list_summary, hub_results, list_summary

pytestmark = pytest.mark.django_db


def _documents() -> dict[int, tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT resource_id, resource_type, theme_slugs, region_codes, countries, languages"
            " FROM hub_search_document"
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}


@pytest.fixture
def generated(db):
    from hub.content import load

    load()
    call_command("generate_hub_data", "--count", "300", "--batch", "100", stdout=io.StringIO())


CASES = [
    ("", {}, "newest"),
    ("", {}, "title"),
    ("care", {}, "relevance"),
    ("care", {"type": ["policy", "tool"]}, "relevance"),
    ("الرعايه", {"language": ["ar"]}, "relevance"),
    ("والرعاية", {"theme": ["care-economy"], "country": ["BR", "QA"]}, "newest"),
    ("cooperatives", {"region": ["africa"], "year": ["2019", "2020", "2021"]}, "title"),
    ("٢٠١٩", {}, "relevance"),
    ("domestic workers", {"type": ["publication"], "language": ["en"]}, "newest"),
    ("zzzznotfound", {}, "relevance"),
]


@pytest.mark.postgres
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_summary_statement_agrees_with_the_orm_engine(generated, language):
    for q, filters, sort in CASES:
        hub_query = HubQuery(q=q, filters=filters, sort=sort)
        for offset in (0, 40):
            fast = postgres_list_summary(
                query=q, filters=filters, sort=sort, language=language, offset=offset, limit=20
            )
            portable = _orm_list_summary(hub_query, language=language, offset=offset, limit=20)
            assert fast.total == portable.total, (q, filters)
            assert fast.ids == portable.ids, (q, filters, sort, offset)
            assert fast.counts == portable.counts, (q, filters)
    # The cases are not vacuous: most match something, and the filters narrow.
    broad = postgres_list_summary(
        query="care", filters={}, sort="relevance", language=language, offset=0, limit=20
    )
    assert broad.total > 100 and len(broad.ids) == 20


@pytest.mark.postgres
def test_search_documents_follow_every_write(make_resource, make_theme, region, reviewer):
    theme = make_theme("financing")
    resource = make_resource(
        "Financing care", "تمويل الرعاية", themes=[theme], countries=["QA"], languages=["en", "ar"]
    )
    draft = make_resource("A draft", "مسودة", status=Resource.Status.DRAFT)
    documents = _documents()
    assert documents[resource.pk] == ("publication", ["financing"], [], ["QA"], ["ar", "en"])
    assert draft.pk not in documents

    resource.regions.add(region)  # an m2m change, as the admin makes it
    theme.slug = "care-financing"
    theme.save()
    services.set_countries(resource=resource, countries=["QA", "BR"])
    assert _documents()[resource.pk][1:4] == (["care-financing"], ["arab-states"], ["BR", "QA"])

    services.resource_publish(resource=draft, actor=reviewer)
    assert draft.pk in _documents()
    services.resource_archive(resource=resource, actor=reviewer)
    assert resource.pk not in _documents()
    services.resource_delete(resource=draft, actor=reviewer)
    assert _documents() == {}


@pytest.mark.parametrize("engine", ["portable", "postgres"])
def test_spelling_variants_and_both_languages_share_one_cached_result(
    make_resource, settings, engine
):
    if engine == "postgres" and connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL engine needs PostgreSQL")
    settings.HUB_LIST_CACHE_SECONDS = 60
    found = make_resource("Care systems", "أنظمة الرعاية")
    first = list_summary(hub_query=HubQuery(q="الرعاية"), language="ar", offset=0, limit=20)
    assert first.ids == [found.pk]
    with CaptureQueriesContext(connection) as queries:
        for spelling, language in itertools.product(
            ["الرعايه", "الرِّعَايَة", "الرعاية"], ["en", "ar"]
        ):
            again = list_summary(
                hub_query=HubQuery(q=spelling), language=language, offset=0, limit=20
            )
            assert again == first
    assert len(queries) == 0

    # Any content change is seen at once.
    other = make_resource("Care in Qatar", "الرعاية في قطر")
    fresh = list_summary(hub_query=HubQuery(q="الرعايه"), language="en", offset=0, limit=20)
    assert set(fresh.ids) == {found.pk, other.pk}


def test_a_page_past_the_end_shows_the_last_page(make_resource):
    for number in range(23):
        make_resource(f"Care report {number}", f"تقرير الرعاية {number}")
    results = hub_results(hub_query=HubQuery(q="care"), page_number="9", page_size=20)
    assert results.page.number == 2 and len(results.page.object_list) == 3
    assert hub_results(hub_query=HubQuery(), page_number="x").page.number == 1
