import io

import pytest
from django.core.management import call_command

from s4c.models import SiteText


def _load() -> str:
    out = io.StringIO()
    call_command("load_south4care", stdout=out)
    return out.getvalue()


def _history_rows() -> int:
    from django.apps import apps

    return sum(
        model.objects.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    )


@pytest.mark.django_db
def test_load_south4care_loads_the_site_texts_in_both_languages():
    _load()
    platform = SiteText.objects.get(key="platform")
    assert "South–South and triangular cooperation" in platform.title_en
    assert "التعاون فيما بين بلدان الجنوب" in platform.title_ar
    assert set(SiteText.objects.values_list("key", flat=True)) == {
        "platform",
        "knowledge-hub",
        "learning-hub",
        "partners",
        "action-plan",
    }
    assert all(text.missing_languages() == [] for text in SiteText.objects.all())


@pytest.mark.django_db
def test_load_south4care_is_idempotent():
    first = _load()
    rows_after_first = _history_rows()
    second = _load()
    assert "(0 change(s))" in second, second
    assert "(0 change(s))" not in first
    assert _history_rows() == rows_after_first
