import io

import pytest
from django.core.management import CommandError, call_command

from hub.models import Resource, ResourceCountry, ResourceLanguage
from hub.search import search_resources, update_search_index
from hub.selectors import HubQuery, hub_results, resources_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    from hub.content import load

    load()


def _generate(count, *extra):
    out = io.StringIO()
    call_command("generate_hub_data", "--count", str(count), "--batch", "40", *extra, stdout=out)
    return out.getvalue()


def test_needs_the_loaded_themes_regions_and_organisations(db):
    with pytest.raises(CommandError):
        _generate(5)


def test_generates_bilingual_resources_with_their_links(loaded):
    before = Resource.objects.count()
    _generate(100)
    generated = Resource.objects.filter(identifier__startswith="gen-")
    assert generated.count() == 100 == Resource.objects.count() - before
    assert ResourceCountry.objects.filter(resource__in=generated).count() >= 100
    assert ResourceLanguage.objects.filter(resource__in=generated, language="en").count() == 100
    with_arabic = generated.exclude(title_ar="")
    assert 0 < with_arabic.count() < 100
    # Every Arabic-titled resource is marked as available in Arabic, and only those.
    assert set(
        ResourceLanguage.objects.filter(resource__in=generated, language="ar").values_list(
            "resource_id", flat=True
        )
    ) == set(with_arabic.values_list("pk", flat=True))
    assert all(r.themes.exists() for r in generated[:20])


def test_search_data_equals_what_the_services_compute(loaded):
    _generate(30)
    for resource in Resource.objects.filter(identifier__startswith="gen-")[:10]:
        vector, text = resource.search_vector, resource.search_text
        update_search_index(resource)
        resource.refresh_from_db()
        assert (resource.search_text, resource.search_vector) == (text, vector)


def test_generated_resources_are_found_and_counted(loaded):
    _generate(120)
    generated = resources_published().filter(identifier__startswith="gen-")
    found = search_resources(queryset=generated, query="الرعايه", language="ar")
    expected = [r.pk for r in generated if "رعايه" in r.search_text.split()]
    assert expected
    assert sorted(r.pk for r in found) == sorted(expected)
    # The list counts every published resource once per type, generated or not, on either engine.
    facets = hub_results(hub_query=HubQuery(), page_number=1).facets
    assert sum(v.count for v in facets["type"]) == resources_published().count()


def test_continues_numbering_and_purges(loaded):
    _generate(10)
    _generate(10)
    identifiers = set(
        Resource.objects.filter(identifier__startswith="gen-").values_list("identifier", flat=True)
    )
    assert len(identifiers) == 20
    assert "gen-0000019" in identifiers
    _generate(0, "--purge")
    assert not Resource.objects.filter(identifier__startswith="gen-").exists()
    assert Resource.objects.exists()  # the real content stays
