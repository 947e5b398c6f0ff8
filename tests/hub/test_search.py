import pytest
from django.db import connection

from core.permissions import SYSTEM
from hub.models import Resource
from hub.search import highlight, search_resources

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(make_resource):
    return {
        "care_ar": make_resource(
            "Financing care systems",
            "تمويل أنظمة الرعاية في المنطقة العربية",
            summary_ar="دليل للحكومات",
            publication_year=2025,
        ),
        "sse": make_resource(
            "Cooperatives and the social and solidarity economy",
            "التعاونيات والاقتصاد الاجتماعي والتضامني",
            publication_year=2022,
        ),
        "hospital": make_resource(
            "Hospital care workers", "العاملون في المستشفى", publication_year=2023
        ),
        "draft": make_resource(
            "Draft on care", "مسودة عن الرعاية", status=Resource.Status.DRAFT, publication_year=2024
        ),
    }


def _found(query, language="en"):
    queryset = search_resources(
        queryset=Resource.objects.published(), query=query, language=language
    )
    return {r.identifier for r in queryset}


@pytest.mark.parametrize("query", ["الرعاية", "الرعايه", "الرِّعَايَة", "والرعاية", "رعاية"])
def test_arabic_spelling_variants_find_the_same_resources(library, query):
    assert _found(query, "ar") == {library["care_ar"].identifier}


@pytest.mark.parametrize(
    "query",
    [
        "التضامني",
        "والتضامني",
        "و التضامني",  # the conjunction typed apart
        "التضا\u200cمني",  # a zero-width non-joiner pasted inside the word
        "التضا\u200dمني",  # a zero-width joiner
        "التضامنی",  # a Persian keyboard's yeh
        "الاقتصاد الاجتماعی و التضامنی",
    ],
)
def test_joiners_persian_letters_and_a_detached_conjunction_find_the_plain_spelling(library, query):
    assert _found("التضامني", "ar") == {library["sse"].identifier}
    assert _found(query, "ar") == {library["sse"].identifier}
    assert _found(query, "en") == {library["sse"].identifier}


@pytest.mark.parametrize(
    "query", ["solidarity-economy", "solidarity\u2013economy", "Social-Solidarity"]
)
def test_words_joined_by_a_hyphen_find_the_words_written_apart(library, query):
    assert _found(query) == {library["sse"].identifier}


def test_a_hyphen_before_a_word_still_excludes_it(library):
    if connection.vendor != "postgresql":
        pytest.skip("websearch syntax is PostgreSQL's")
    assert _found("care -hospital") == {library["care_ar"].identifier}


def test_stored_text_is_folded_as_queries_are(make_resource):
    pasted = make_resource(
        "Pasted text", "تمويل الرعا\u200cية عبر الشبکات و التعاونیات", publication_year=2024
    )
    for query in ("الرعاية", "الشبكات", "والتعاونيات", "التعاونيات"):
        assert _found(query, "ar") == {pasted.identifier}, query


def test_alef_maqsura_and_ya_match(library):
    assert _found("مستشفي", "ar") == _found("مستشفى", "ar") == {library["hospital"].identifier}


def test_arabic_indic_digits_find_western_digits(library, make_resource):
    dated = make_resource("Care statistics 2025 edition", "إحصاءات الرعاية")
    assert dated.identifier in _found("٢٠٢٥")


def test_a_query_in_either_language_finds_either_languages_fields(library):
    assert _found("cooperatives") == {library["sse"].identifier}
    assert _found("التعاونيات", "ar") == {library["sse"].identifier}


def test_drafts_are_never_found(library):
    assert library["draft"].identifier not in _found("draft")


def test_empty_query_matches_everything_published(library):
    assert _found("   ") == {library[k].identifier for k in ("care_ar", "sse", "hospital")}


@pytest.mark.postgres
def test_postgres_ranks_title_matches_above_body_matches(make_resource):
    in_title = make_resource("Care economy financing", "تمويل")
    in_body = make_resource("Unrelated title", "عنوان", body_en="<p>A note on the care economy</p>")
    ranked = list(
        search_resources(
            queryset=Resource.objects.published(), query="care economy", language="en"
        ).order_by("-rank")
    )
    assert [r.pk for r in ranked] == [in_title.pk, in_body.pk]


@pytest.mark.postgres
def test_postgres_uses_the_gin_index(library):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'hub_resource_search_gin'"
        )
        assert "gin (search_vector)" in cursor.fetchone()[0]


def test_highlight_marks_normalised_matches_in_the_original_text():
    html = highlight("دليل لتمويل الرِّعَايَة في المنطقة", "الرعايه")
    assert html == "دليل لتمويل <mark>الرِّعَايَة</mark> في المنطقة"


def test_highlight_escapes_the_text():
    assert highlight("<b>care</b> work", "care") == "<mark>&lt;b&gt;care&lt;/b&gt;</mark> work"


def test_body_markup_is_not_indexed_and_paragraphs_stay_separate_words(make_resource):
    resource = make_resource(
        "Plain", "نص", body_en="<p>alpha</p><p>beta &amp; gamma</p>", body_ar="<p>الرعاية</p>"
    )
    tokens = resource.search_text.split()
    assert {"alpha", "beta", "gamma", "رعايه"} <= set(tokens)
    assert "p" not in tokens
    assert "amp" not in tokens
    assert _found("alphabeta") == set()
    assert _found("beta") == {resource.identifier}


# --- a theme's name is part of its resources' indexed text -------------------------------------


@pytest.fixture
def themed(make_theme, make_resource):
    """Resources carrying a theme, one carrying another, and a draft carrying the first."""
    theme = make_theme(name_en="Longevity economy", name_ar="اقتصاد طول العمر")
    other = make_theme(name_en="Skills", name_ar="المهارات")
    return {
        "theme": theme,
        "tagged": {
            make_resource(f"Report {n}", f"تقرير {n}", themes=[theme]).identifier for n in range(3)
        },
        "draft": make_resource("Notes", "ملاحظات", themes=[theme], status=Resource.Status.DRAFT),
        "other": make_resource("Training", "تدريب", themes=[other]),
    }


def _public_list(query):
    from hub.selectors import HubQuery, hub_results

    page = hub_results(hub_query=HubQuery(q=query, sort="relevance"), page_number=1).page
    return {r.identifier for r in page.object_list}


def _rename(theme, *, via, client, reviewer, capture):
    name_en, name_ar = "Silver dividend", "العائد الفضي"
    with capture(execute=True):
        if via == "service":
            from hub import services

            theme.name_en, theme.name_ar = name_en, name_ar
            services.theme_save(theme=theme, actor=reviewer)
        else:
            client.force_login(reviewer)
            response = client.post(
                f"/en/admin/hub/theme/{theme.pk}/change/",
                {"slug": theme.slug, "name_en": name_en, "name_ar": name_ar, "order": 0},
            )
            assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize("via", ["service", "admin"])
def test_a_theme_rename_is_found_under_its_new_name_only(
    themed, via, client, reviewer, eager_tasks, django_capture_on_commit_callbacks
):
    assert _found("longevity") == _found("طول", "ar") == themed["tagged"]
    _rename(
        themed["theme"],
        via=via,
        client=client,
        reviewer=reviewer,
        capture=django_capture_on_commit_callbacks,
    )
    assert _found("silver") == _found("dividend") == _found("الفضي", "ar") == themed["tagged"]
    assert _found("longevity") == _found("طول", "ar") == set()
    # The public list (on PostgreSQL, its own published-only copy of the vectors) agrees.
    assert _public_list("silver dividend") == themed["tagged"]
    assert _public_list("longevity") == set()
    # Drafts carrying the theme are re-indexed too (the admin's search and previews use them).
    themed["draft"].refresh_from_db()
    assert "silver" in themed["draft"].search_text.split()


def test_a_theme_rename_re_indexes_only_the_resources_carrying_it(
    themed, reviewer, eager_tasks, django_capture_on_commit_callbacks
):
    from hub import services

    # A resource of another theme whose index we can recognise: it must not be written.
    Resource.objects.filter(identifier=themed["other"].identifier).update(search_text="untouched")
    theme = themed["theme"]
    with django_capture_on_commit_callbacks(execute=True):
        theme.description_en = "Only the description changes."
        services.theme_save(theme=theme, actor=reviewer)
    assert _found("longevity") == themed["tagged"]  # a description is not indexed: no task
    with django_capture_on_commit_callbacks(execute=True):
        theme.name_en = "Silver dividend"
        services.theme_save(theme=theme, actor=reviewer)
    assert _found("silver") == themed["tagged"]
    assert Resource.objects.get(identifier=themed["other"].identifier).search_text == "untouched"


@pytest.mark.parametrize("via", ["service", "admin"])
def test_a_deleted_theme_leaves_its_resources_search_data(
    themed, via, client, eager_tasks, django_capture_on_commit_callbacks, django_user_model
):
    from hub import services

    assert _found("longevity") == themed["tagged"]
    theme = themed["theme"]
    admin_user = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 16)
    with django_capture_on_commit_callbacks(execute=True):
        if via == "service":
            services.theme_delete(theme=theme, actor=admin_user)
        else:
            client.force_login(admin_user)
            response = client.post(f"/en/admin/hub/theme/{theme.pk}/delete/", {"post": "yes"})
            assert response.status_code == 302, response.content.decode()[:2000]
    assert _found("longevity") == _found("طول", "ar") == set()
    assert _public_list("longevity") == set()
    assert _found("report") == themed["tagged"]  # the resources themselves are still found


def test_deleting_a_theme_needs_the_permission(themed, curator):
    from core.errors import DomainError
    from hub import services
    from hub.models import Theme

    assert not curator.has_perm("hub.delete_theme")
    with pytest.raises(DomainError):
        services.theme_delete(theme=themed["theme"], actor=curator)
    assert Theme.objects.filter(pk=themed["theme"].pk).exists()


def test_re_indexing_a_theme_takes_queries_per_batch_not_per_resource(make_theme, make_resource):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hub import services

    small, large = make_theme(), make_theme()
    for n in range(2):
        make_resource(f"Small {n}", "", themes=[small])
    for n in range(7):
        make_resource(f"Large {n}", "", themes=[large])
    from partners.capture import sweep

    sweep()  # what the factories wrote reaches the change feed before we count
    counts = {}
    for theme in (small, large):
        with CaptureQueriesContext(connection) as queries:
            done = services.theme_reindex(theme_id=theme.pk, actor=SYSTEM, batch_size=10)
        counts[theme.pk] = len(queries)
        assert done == theme.resources.count()
    assert counts[small.pk] == counts[large.pk]
    # One batch is the same queries whatever its size, plus the read that finds no more: in
    # batches of 3, the 7 resources are three batches.
    per_batch = counts[large.pk] - 1
    with CaptureQueriesContext(connection) as queries:
        assert services.theme_reindex(theme_id=large.pk, actor=SYSTEM, batch_size=3) == 7
    assert len(queries) == 3 * per_batch + 1


def test_the_refolding_migration_re_indexes_the_resources_whose_folding_changed(make_resource):
    from importlib import import_module

    from django.apps import apps

    refold = import_module("hub.migrations.0006_refold_search_text").refold
    pasted = make_resource("Pasted text", "تمويل الرعا\u200cية عبر الشبکات", publication_year=2024)
    plain = make_resource("Plain text", "تمويل الرعاية", publication_year=2024)
    # As documents were stored before the folding changed (here: not at all).
    stale = {"search_text": ""}
    if connection.vendor == "postgresql":
        stale["search_vector"] = None
    Resource.objects.filter(pk__in=[pasted.pk, plain.pk]).update(**stale)
    assert _found("الشبكات", "ar") == set()

    refold(apps, type("SchemaEditor", (), {"connection": connection})())
    assert _found("الشبكات", "ar") == {pasted.identifier}
    assert _found("الرعاية", "ar") == {pasted.identifier}  # the other one was not affected


# --- the API's ?q=: the same backend, by relevance when asked -------------------------------


def _api_walk(client, params, page_size):
    seen, url, query = [], "/api/v1/resources/", {**params, "page_size": page_size}
    while url:
        response = client.get(url, query)
        assert response.status_code == 200, response.json()
        page = response.json()
        seen += [item["id"] for item in page["results"]]
        url, query = page["next"], None
    return seen


@pytest.fixture
def ranked(make_resource):
    """Resources matching "care economy" more or less well, two of them equally."""
    return [
        make_resource("Care economy financing", "تمويل", publication_year=2019),
        make_resource("Unrelated title", "عنوان", body_en="<p>On the care economy</p>"),
        make_resource("The care economy", "اقتصاد الرعاية", publication_year=2021),
        make_resource("Care economy review", "مراجعة", publication_year=2021),
        make_resource("Another title", "عنوان آخر", summary_en="Care economy notes."),
        make_resource("Nothing to see", "لا شيء"),
    ]


@pytest.mark.parametrize("page_size", [1, 2, 4])
def test_the_api_orders_a_search_by_relevance_on_every_cursor_page(client, ranked, page_size):
    from hub.search_backends import search_backend

    expected = [
        r.identifier
        for r in search_backend()
        .search(Resource.objects.published(), "care economy")
        .order_by("-rank", "-pk")
    ]
    assert len(expected) == 5
    walked = _api_walk(client, {"q": "care economy", "ordering": "relevance"}, page_size)
    assert walked == expected
    # The other orders still work with a search, and without one relevance is newest added first.
    assert set(_api_walk(client, {"q": "care economy", "ordering": "created_at"}, 2)) == set(
        expected
    )
    everything = [r.identifier for r in sorted(ranked, key=lambda r: -r.pk)]
    assert _api_walk(client, {"ordering": "relevance"}, 4) == everything


@pytest.mark.postgres
def test_the_api_puts_the_best_matches_first(client, ranked):
    found = _api_walk(client, {"q": "care economy", "ordering": "relevance"}, 50)
    in_title = {ranked[i].identifier for i in (0, 2, 3)}
    assert set(found[:3]) == in_title  # title matches above summary and body matches
    assert found[3:] == [ranked[4].identifier, ranked[1].identifier]  # summary above body


def test_the_api_schema_offers_relevance(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    parameters = schema["paths"]["/api/v1/resources/"]["get"]["parameters"]
    ordering = next(p for p in parameters if p["name"] == "ordering")
    assert "relevance" in ordering["schema"]["enum"]
    q = next(p for p in parameters if p["name"] == "q")
    assert "relevance" in q["description"]


def test_a_forged_relevance_cursor_is_a_400(client, ranked):
    import base64

    cursor = base64.b64encode(b"p=not-a-rank").decode()
    response = client.get(
        "/api/v1/resources/", {"q": "care", "ordering": "relevance", "cursor": cursor}
    )
    assert response.status_code == 400
    assert "cursor" in response.json()


# --- the landing page: a typed search is sorted by relevance unless another order was chosen --


def test_a_search_typed_on_the_landing_page_is_sorted_by_relevance(client, ranked):
    from lxml import html

    landing = html.fromstring(client.get("/en/hub/").content)
    form = landing.xpath("//form[@role='search']")[0]
    fields = dict(form.form_values())  # what a browser submits when the visitor only types
    assert fields.get("sort") == ""
    fields["q"] = "care economy"
    results = client.get("/en/hub/", fields)
    assert results.context["hub_query"].sort == "relevance"
    # The visitor's own choice is kept: an order chosen on the landing page, or newest on results.
    assert client.get("/en/hub/", {**fields, "sort": "title"}).context["hub_query"].sort == "title"
    chosen = html.fromstring(results.content).xpath("//select[@name='sort']/option")
    assert [o.get("value") for o in chosen] == ["relevance", "newest", "title"]
    again = client.get("/en/hub/", {"q": "care economy", "sort": "newest"})
    assert again.context["hub_query"].sort == "newest"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("language", "label", "button"),
    [("en", "Search the Knowledge Hub", "Search"), ("ar", "البحث في مركز المعرفة", "بحث")],
)
def test_in_the_browser_a_typed_search_comes_by_relevance(
    page, live_server, make_resource, language, label, button
):
    older_title_match = make_resource("Care economy", "اقتصاد الرعاية", publication_year=2001)
    make_resource("Newer", "أحدث", body_en="<p>care economy</p>", publication_year=2025)
    page.goto(f"{live_server.url}/{language}/hub/")
    page.get_by_label(label).fill("care economy")
    page.get_by_role("button", name=button).first.click()
    page.wait_for_url("**/hub/?q=*")
    assert page.locator("#hub-sort").input_value() == "relevance"
    if connection.vendor == "postgresql":  # the fallback ranks newest first among matches
        first = page.locator(".result-list h3 a").first
        assert first.get_attribute("href").endswith(f"/{older_title_match.identifier}/")


@pytest.mark.parametrize("query", ["R193", "r193", "R-193", "R 193", "recommendation 193"])
def test_an_instruments_shorthand_finds_it_by_its_number(make_resource, client, query):
    recommendation = make_resource(
        "Promotion of Cooperatives Recommendation, 2002 (No. 193)",
        "توصية تعزيز التعاونيات، 2002 (رقم 193)",
        publication_year=2002,
    )
    make_resource("Domestic Workers Convention, 2011 (No. 189)", "", publication_year=2011)
    assert _found(query) == {recommendation.identifier}
    # As a visitor types it: the hub's list (page cache on) and the API's search.
    page = client.get("/en/hub/", {"q": query})
    assert "Promotion of Cooperatives Recommendation" in page.content.decode()
    assert "Domestic Workers Convention" not in page.content.decode()
    api = client.get("/api/v1/resources/", {"q": query}).json()
    assert [item["id"] for item in api["results"]] == [recommendation.identifier]
