"""The list's in-memory engine: the same answers as the SQL statement, and never a stale one.

These tests commit (the engine steps aside for a transaction that changed documents and has not
committed), so they run on a transactional database.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hub import search_memory, services
from hub.models import Resource
from hub.search import postgres_list_summary
from hub.search_memory import Unsupported, memory_list_summary, parse_tsquery
from hub.selectors import HubQuery, hub_results
from s4c.caching import bump_content_version

committed = pytest.mark.django_db(transaction=True)
pytestmark = pytest.mark.postgres


def _version() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM hub_search_version")
        return cursor.fetchone()[0]


def _both(**arguments):
    return postgres_list_summary(**arguments), memory_list_summary(**arguments)


@pytest.fixture
def generated():
    from hub.content import load

    load()
    call_command("generate_hub_data", "--count", "400", "--batch", "200", stdout=io.StringIO())
    search_memory._tables.clear()
    search_memory._postings.clear()


CASES = [
    ("", {}),
    ("", {"type": ["policy", "tool"], "year": ["2019", "2020", "2021"]}),
    ("care", {}),
    ("care", {"type": ["policy", "tool"]}),
    ("الرعايه", {"language": ["ar"]}),
    ("والرعاية", {"theme": ["care-economy"], "country": ["BR", "QA"]}),
    ("cooperatives", {"region": ["africa"]}),
    ("٢٠١٩", {}),
    ("domestic workers", {"type": ["publication"], "language": ["en"]}),
    ("care -domestic", {}),  # NOT
    ("cooperatives or maternity", {}),  # OR
    ("الاقتصاد الاجتماعي والتضامني", {}),
    ("the", {}),  # only an English stop word: one side of the query is empty
    ("zzzznotfound", {}),
    ("care", {"country": ["XX"]}),  # a value no document has
]


@committed
def test_it_answers_as_the_summary_statement_does(generated):
    answered = 0
    for q, filters in CASES:
        for sort in ("relevance", "newest", "title"):
            for language in ("en", "ar"):
                for offset in (0, 20, 380):
                    arguments = {
                        "query": q,
                        "filters": filters,
                        "sort": sort,
                        "language": language,
                        "offset": offset,
                        "limit": 20,
                    }
                    sql, memory = _both(**arguments)
                    assert memory is not None, arguments
                    assert memory == sql, arguments
                    answered += bool(memory.ids)
    assert answered > 100  # not vacuous: most cases have results before the last offset
    broad = memory_list_summary(
        query="care", filters={}, sort="relevance", language="en", offset=0, limit=20
    )
    assert broad.total > 200 and len(broad.ids) == 20
    assert len(set(broad.counts["country"])) > 10


@committed
def test_it_leaves_phrases_and_proximity_ranking_to_the_statement(generated):
    phrase = memory_list_summary(
        query='"domestic workers"', filters={}, sort="relevance", language="en", offset=0, limit=20
    )
    assert phrase is None
    # Through the selector the answer still comes, from the SQL engine.
    page = hub_results(hub_query=HubQuery(q='"domestic workers"', sort="relevance"), page_number=1)
    assert page.page.paginator.count > 0


@committed
def test_a_committed_change_is_seen_by_the_next_request(generated):
    query = {"query": "قطر", "filters": {}, "sort": "newest", "language": "ar", "limit": 20}
    before = memory_list_summary(offset=0, **query)
    version = _version()
    resource = Resource.objects.published().exclude(pk__in=before.ids).first()
    resource.title_ar = "الرعاية في قطر"
    resource.publication_year = 2026
    services.resource_save(resource=resource, actor=None)
    services.refresh_search(resource=resource)
    assert _version() > version
    after = memory_list_summary(offset=0, **query)
    assert after.total == before.total + 1 and after.ids[0] == resource.pk
    assert after == postgres_list_summary(offset=0, **query)

    services.resource_archive(resource=resource, actor=None)
    gone = memory_list_summary(offset=0, **query)
    assert resource.pk not in gone.ids and gone.total == before.total


@committed
def test_a_write_that_changes_nothing_searched_keeps_the_version(generated):
    version = _version()
    resource = Resource.objects.published().first()
    Resource.objects.filter(pk=resource.pk).update(link_checked_at="2026-11-30T10:00:00Z")
    assert _version() == version


@committed
def test_an_uncommitted_change_is_read_from_the_database(generated):
    query = {"query": "zanzibar", "filters": {}, "sort": "relevance", "language": "en"}
    assert memory_list_summary(offset=0, limit=20, **query).total == 0
    with transaction.atomic():
        resource = Resource.objects.published().first()
        resource.title_en = "Care in Zanzibar"
        services.resource_save(resource=resource, actor=None)
        services.refresh_search(resource=resource)
        # The memory engine steps aside; the list sees this transaction's own change.
        assert memory_list_summary(offset=0, limit=20, **query) is None
        assert hub_results(hub_query=HubQuery(q="zanzibar"), page_number=1).page.paginator.count
        transaction.set_rollback(True)
    assert memory_list_summary(offset=0, limit=20, **query).total == 0


@committed
def test_a_rolled_back_change_never_reuses_a_version(generated):
    version = _version()
    with transaction.atomic():
        resource = Resource.objects.published().first()
        resource.title_en = "Rolled back"
        services.resource_save(resource=resource, actor=None)
        services.refresh_search(resource=resource)
        transaction.set_rollback(True)
    assert _version() == version  # nothing committed, nothing changed
    resource.title_en = "Committed"
    services.resource_save(resource=resource, actor=None)
    services.refresh_search(resource=resource)
    assert _version() > version


@committed
def test_processes_share_the_table_and_postings_through_the_cache(generated, settings):
    settings.HUB_LIST_CACHE_SECONDS = 60
    arguments = {"filters": {}, "sort": "relevance", "language": "en", "offset": 0, "limit": 20}
    first = memory_list_summary(query="care economy", **arguments)
    search_memory._tables.clear()  # another process: nothing in its memory
    search_memory._postings.clear()
    with CaptureQueriesContext(connection) as queries:
        again = memory_list_summary(query="care economy", **arguments)
    assert again == first
    assert len(queries) == 1, [q["sql"][:100] for q in queries]  # the version check only


@committed
@pytest.mark.parametrize("count", [1, 30])
def test_a_list_page_costs_the_same_queries_whatever_its_size(make_resource, client, count):
    for number in range(count):
        make_resource(f"Care report {number}", f"تقرير الرعاية {number}", languages=["ar"])
    client.get("/en/hub/", {"q": "care"})  # the document table and the word are read once
    bump_content_version()  # results, labels and result cards start afresh
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/hub/", {"q": "care", "sort": "newest"})
    assert len(response.context["items"]) == min(count, 20)
    # The version check, theme and region labels, the missing cards' resources and their themes.
    assert len(queries) == 5, [q["sql"][:100] for q in queries]
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/en/hub/", {"q": "care", "sort": "newest"})
    assert again.content.decode().count('<h3><a href="/en/hub/') == min(count, 20)
    assert len(queries) == 0  # results, labels and cards are all cached


@pytest.mark.parametrize(
    "text, tree",
    [
        ("'care'", ("word", "care")),
        ("'care' | 'care'", ("or", ("word", "care"), ("word", "care"))),
        (
            "'domest' & 'worker' | 'domestic' & 'workers'",
            (
                "or",
                ("and", ("word", "domest"), ("word", "worker")),
                ("and", ("word", "domestic"), ("word", "workers")),
            ),
        ),
        ("!'care' | 'care'", ("or", ("not", ("word", "care")), ("word", "care"))),
        (
            "( 'a' | 'b' ) & !( 'c' & 'd' )",
            (
                "and",
                ("or", ("word", "a"), ("word", "b")),
                ("not", ("and", ("word", "c"), ("word", "d"))),
            ),
        ),
        ("'it''s' & 'back\\\\slash'", ("and", ("word", "it's"), ("word", "back\\slash"))),
        ("'رعايه' | 'رعايه'", ("or", ("word", "رعايه"), ("word", "رعايه"))),
        ("", None),
    ],
)
def test_query_trees_are_read_from_postgresql_text(text, tree):
    assert parse_tsquery(text) == tree


@pytest.mark.parametrize("text", ["'a' <-> 'b'", "'a' <2> 'b'", "'car':*", "'care':AB", "'a' &"])
def test_what_it_does_not_evaluate_is_refused(text):
    with pytest.raises(Unsupported):
        parse_tsquery(text)


@committed
def test_query_text_round_trips_through_postgresql():
    # The escapes PostgreSQL writes are the ones the parser reads.
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::tsquery::text", ["'it''s' & 'back\\\\slash' | !'x'"])
        (text,) = cursor.fetchone()
    assert parse_tsquery(text) == (
        "or",
        ("and", ("word", "it's"), ("word", "back\\slash")),
        ("not", ("word", "x")),
    )


@committed
def test_the_warm_up_readies_a_new_version_before_visitors_come(generated, settings):
    from hub.tasks import warm_search_memory

    settings.HUB_LIST_CACHE_SECONDS = 60
    arguments = {"filters": {}, "sort": "relevance", "language": "ar", "offset": 0, "limit": 20}
    memory_list_summary(query="الرعاية والتعاونيات", **arguments)  # remembered words
    resource = Resource.objects.published().first()
    resource.title_ar = "الرعاية والتعاونيات في قطر"
    services.resource_save(resource=resource, actor=None)
    services.refresh_search(resource=resource)

    from django.core.cache import cache

    recent = cache.get(search_memory._RECENT_WORDS_KEY)
    assert len(recent) >= 2  # both languages' stems of both words
    assert warm_search_memory.apply().get() == _version()
    assert cache.get(search_memory._RECENT_WORDS_KEY) == recent  # warming is not searching
    search_memory._tables.clear()  # a web process that has not seen the new version
    search_memory._postings.clear()
    with CaptureQueriesContext(connection) as queries:
        summary = memory_list_summary(query="الرعاية والتعاونيات", **arguments)
    assert len(queries) == 1  # the version check: the table and both words were ready
    assert resource.pk in summary.ids


@committed
def test_related_resources_agree_with_the_orm_query(generated, settings):
    from hub.selectors import related_resources

    resources = list(Resource.objects.published().order_by("pk")[:40:4])
    for resource in resources:
        settings.HUB_SEARCH_ENGINE = "memory"
        fast = related_resources(resource=resource, limit=6)
        settings.HUB_SEARCH_ENGINE = "database"
        slow = related_resources(resource=resource, limit=6)
        assert [r.pk for r in fast] == [r.pk for r in slow], resource.pk
        assert resource.pk not in [r.pk for r in fast]
    settings.HUB_SEARCH_ENGINE = "memory"
    assert sum(len(related_resources(resource=r)) for r in resources) > 30
    slugs = [theme.slug for theme in resources[0].themes.all()]
    assert search_memory.related_ids(resource_id=resources[0].pk, theme_slugs=slugs, limit=4)


@committed
def test_with_redis_down_each_process_reads_its_own_table(generated, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens: Redis is down
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    arguments = {
        "query": "الرعاية",
        "filters": {"language": ["ar"]},
        "sort": "relevance",
        "language": "ar",
        "offset": 0,
        "limit": 20,
    }
    summary = memory_list_summary(**arguments)
    assert summary is not None and summary.total > 0
    assert summary == postgres_list_summary(**arguments)
    with CaptureQueriesContext(connection) as queries:
        assert memory_list_summary(**arguments) == summary  # from this process's memory
    assert len(queries) == 1
