"""The public list's search backend: PostgreSQL's summary statement agrees with the functional
fallback (the ORM, run here on PostgreSQL too), its search documents follow every write, related
resources agree, and results are cached per content version."""

import io
import itertools

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.caching import bump_content_version
from core.permissions import SYSTEM
from hub import services
from hub.models import Resource
from hub.search_backends import PostgresBackend, SQLiteFallback, search_backend
from hub.selectors import HubQuery, hub_results, list_summary, related_resources

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
def test_the_summary_statement_agrees_with_the_fallback(generated, language):
    assert isinstance(search_backend(), PostgresBackend)
    for q, filters, sort in CASES:
        for offset in (0, 40):
            arguments = {
                "query": q,
                "filters": filters,
                "sort": sort,
                "language": language,
                "offset": offset,
                "limit": 20,
            }
            fast = PostgresBackend().summary(**arguments)
            portable = SQLiteFallback().summary(**arguments)
            assert fast.total == portable.total, (q, filters)
            assert fast.ids == portable.ids, (q, filters, sort, offset)
            assert fast.counts == portable.counts, (q, filters)
    # The cases are not vacuous: most match something, and the filters narrow.
    broad = PostgresBackend().summary(
        query="care", filters={}, sort="relevance", language=language, offset=0, limit=20
    )
    assert broad.total > 100
    assert len(broad.ids) == 20


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

    services.resource_publish(resource=draft, actor=SYSTEM)  # as the scheduler: no gate here
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
    assert results.page.number == 2
    assert len(results.page.object_list) == 3
    assert hub_results(hub_query=HubQuery(), page_number="x").page.number == 1


@pytest.mark.postgres
def test_related_resources_agree_with_the_fallback(generated):
    resources = list(Resource.objects.published().order_by("pk")[:40:4])
    for resource in resources:
        fast = PostgresBackend().related(resource=resource, limit=6)
        assert fast == SQLiteFallback().related(resource=resource, limit=6), resource.pk
        assert resource.pk not in fast
    assert sum(len(related_resources(resource=r)) for r in resources) > 30


def test_a_list_page_costs_the_same_queries_whatever_its_size(make_resource, client):
    def page_queries(expected: int) -> int:
        bump_content_version()  # results, labels and result cards start afresh
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/en/hub/", {"q": "care", "sort": "newest"})
        assert len(response.context["items"]) == min(expected, 20)
        assert response.context["page"].paginator.count == expected
        with CaptureQueriesContext(connection) as cached:
            again = client.get("/en/hub/", {"q": "care", "sort": "newest"})
        assert again.content.decode().count('<h3><a href="/en/hub/') == min(expected, 20)
        assert len(cached) == 0  # results, labels and cards are all cached
        return len(queries)

    make_resource("Care report", "تقرير الرعاية", languages=["ar"])
    one = page_queries(1)
    for number in range(29):
        make_resource(f"Care report {number}", f"تقرير الرعاية {number}", languages=["ar"])
    assert page_queries(30) == one


def _toast_rows_written() -> int:
    """Rows this transaction wrote into the search documents' TOAST table (chunks of values
    stored out of the row)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(s.n_tup_ins), 0) FROM pg_class c "
            "JOIN pg_stat_xact_all_tables s ON s.relid = c.reltoastrelid "
            "WHERE c.relname = 'hub_search_document'"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_a_long_document_keeps_its_vector_in_the_row(make_resource):
    """A document of a few kilobytes (a long bilingual summary: its vector alone is over 2 KB)
    stays in the row: with PostgreSQL's default 2 KB target its vector went to the TOAST table,
    and a broad query fetched most vectors from there, one index lookup each (hub migration
    0008). Its facet keys spell its sets."""
    words_en = " ".join(f"caregiving{n} policy{n} workers{n}" for n in range(60))
    words_ar = " ".join(f"الرعاية{n} السياسات{n}" for n in range(60))
    before = _toast_rows_written()
    resource = make_resource(
        "Care policy " * 20,
        "سياسات الرعاية " * 20,
        summary_en=words_en,
        summary_ar=words_ar,
        countries=["QA", "JO"],
        languages=["en", "ar"],
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_size(vector), country_key, language_key "
            "FROM hub_search_document WHERE resource_id = %s",
            [resource.pk],
        )
        vector_size, countries, languages = cursor.fetchone()
    assert vector_size > 2100, vector_size  # over the default threshold: the case in question
    assert _toast_rows_written() == before
    assert (countries, languages) == ("JO QA", "ar en")
