import io

import pytest
from django.core.management import call_command

from hub.models import Organisation, Region, Resource, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(load_content):
    """The shipped content as `load_south4care` leaves it (a copy of the session's load)."""
    load_content()


def test_the_five_ilo_regions_with_their_countries(loaded):
    regions = {r.code: r for r in Region.objects.all()}
    assert set(regions) == {
        "africa",
        "americas",
        "arab-states",
        "asia-pacific",
        "europe-central-asia",
    }
    assert "QA" in regions["arab-states"].countries
    assert "BR" in regions["americas"].countries
    assert "MD" in regions["europe-central-asia"].countries
    assert regions["arab-states"].name_ar == "الدول العربية"


def test_the_launch_news_release_in_both_languages(loaded):
    news = Resource.objects.get(identifier="south-4-care-launch-2025")
    assert news.status == Resource.Status.PUBLISHED
    assert (
        news.resource_type,
        news.publication_year,
        news.publication_month,
        news.publication_day,
    ) == ("news", 2025, 9, 1)
    assert news.publisher.slug == "ilo"
    assert "Anita Amorim" in news.body_en
    assert "أنيتا أموريم" in news.body_ar
    assert {str(c) for c in news.country_links.values_list("country", flat=True)} == {
        "QA",
        "BR",
        "CA",
        "ZA",
        "MD",
        "HN",
    }
    assert set(news.language_links.values_list("language", flat=True)) == {"en", "ar"}
    assert news.missing_languages() == []


def test_the_sse_strategy_paper_and_instruments(loaded):
    paper = Resource.objects.get(identifier="gb346-sse-strategy-plan-of-action")
    assert (paper.publication_year, paper.publication_month, paper.publication_day) == (2022, 9, 29)
    assert "37.5 million" in paper.summary_en
    assert Resource.objects.get(identifier="r193-promotion-of-cooperatives").title_en.endswith(
        "(No. 193)"
    )
    assert Resource.objects.published().count() == 13
    assert all(r.missing_languages() == [] for r in Resource.objects.all())


def test_organisations_the_learning_hub_refers_to(loaded):
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    assert {
        "ilo",
        "itc-ilo",
        "giz",
        "abc-brazil",
        "afdb",
        "qatar-nhrc",
        "uol",
        "gov-brazil",
        "gov-qatar",
        "gov-canada",
        "gov-south-africa",
        "social-partners-moldova",
        "social-partners-honduras",
    } <= slugs
    assert Organisation.objects.get(slug="giz").name_ar == "الوكالة الألمانية للتعاون الدولي"
    assert Theme.objects.filter(slug="care-economy").exists()


def test_loaded_content_is_searchable_in_arabic(loaded, client):
    html = client.get("/ar/hub/", {"q": "التعاونيات"}).content.decode()
    assert "r193-promotion-of-cooperatives" in html


def test_a_theme_renamed_by_staff_keeps_its_name_and_index_through_another_load(
    loaded, eager_tasks, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import User

    from hub import services
    from hub.search import search_resources

    def found(query):
        return set(
            search_resources(queryset=Resource.objects.published(), query=query).values_list(
                "identifier", flat=True
            )
        )

    staff = User.objects.create_superuser("curator", "curator@example.org", "x")
    theme = Theme.objects.get(slug="informality")
    theme.name_en = "Zebrawood"
    with django_capture_on_commit_callbacks(execute=True):
        services.theme_save(theme=theme, actor=staff)
    carrying = set(theme.resources.published().values_list("identifier", flat=True))
    assert carrying
    assert found("zebrawood") == carrying
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_south4care", stdout=io.StringIO())
    assert Theme.objects.get(pk=theme.pk).name_en == "Zebrawood"
    assert found("zebrawood") == carrying
