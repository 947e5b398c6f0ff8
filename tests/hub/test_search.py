import pytest
from django.db import connection

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
    assert "p" not in tokens and "amp" not in tokens
    assert _found("alphabeta") == set()
    assert _found("beta") == {resource.identifier}
