import pytest
from django.contrib.admin.sites import AdminSite
from django.test import RequestFactory
from django.utils import translation
from lxml import etree

from core.admin import SiteTextAdmin
from core.admin_tools import TranslationStateFilter
from core.api.base import BilingualField
from core.bilingual import bilingual_dict, translated_value
from core.models import SiteText
from core.seo import language_tagged, languages_of
from core.templatetags.s4c import translated
from hub.oai import _dc_bilingual

pytestmark = pytest.mark.django_db


def _filtered(value):
    request = RequestFactory().get("/en/admin/s4c/sitetext/", {"translation": value})
    model_admin = SiteTextAdmin(SiteText, AdminSite())
    state_filter = TranslationStateFilter(request, {"translation": [value]}, SiteText, model_admin)
    return set(state_filter.queryset(request, SiteText.objects.all()).values_list("key", flat=True))


def test_missing_translation_is_known_and_filterable():
    complete = SiteText.objects.create(key="complete", title_en="Care", title_ar="الرعاية")
    english_only = SiteText.objects.create(key="english-only", title_en="Partners", body_en="Text")
    arabic_only = SiteText.objects.create(key="arabic-only", title_ar="الشركاء", title_en="")

    assert complete.missing_languages() == []
    assert english_only.missing_languages() == ["ar"]
    assert arabic_only.missing_languages() == ["en"]
    assert _filtered("missing-ar") == {"english-only"}
    assert _filtered("missing-en") == {"arabic-only"}


def test_body_missing_in_one_language_counts_as_missing():
    text = SiteText.objects.create(
        key="k", title_en="Care", title_ar="الرعاية", body_en="Long text"
    )
    assert text.missing_languages() == ["ar"]
    assert _filtered("missing-ar") == {"k"}


def test_editing_one_language_makes_the_other_stale():
    text = SiteText.objects.create(key="k", title_en="Care", title_ar="الرعاية")
    assert text.stale_languages() == []
    assert _filtered("stale-ar") == set()

    text = SiteText.objects.get(pk=text.pk)
    text.title_en = "Care economy"
    text.save()

    assert text.stale_languages() == ["ar"]
    assert _filtered("stale-ar") == {"k"}
    assert _filtered("stale-en") == set()

    text = SiteText.objects.get(pk=text.pk)
    text.title_ar = "اقتصاد الرعاية"
    text.save()
    assert text.stale_languages() == []
    assert _filtered("stale-ar") == set()


def test_filling_a_missing_translation_leaves_nothing_stale():
    text = SiteText.objects.create(key="k", title_en="Partners")
    assert text.missing_languages() == ["ar"]
    text = SiteText.objects.get(pk=text.pk)
    text.title_ar = "الشركاء"
    text.save()
    assert (text.missing_languages(), text.stale_languages()) == ([], [])


def test_editing_the_original_again_keeps_the_translation_stale():
    text = SiteText.objects.create(key="k", title_en="Care", title_ar="الرعاية")
    for title in ("Care economy", "The care economy"):
        text = SiteText.objects.get(pk=text.pk)
        text.title_en = title
        text.save()
    assert text.stale_languages() == ["ar"]


def test_saving_without_changes_keeps_edit_times():
    text = SiteText.objects.create(key="k", title_en="Care", title_ar="الرعاية")
    before = (text.translation_edited_en, text.translation_edited_ar)
    text = SiteText.objects.get(pk=text.pk)
    text.order = 3
    text.save()
    text.refresh_from_db()
    assert (text.translation_edited_en, text.translation_edited_ar) == before


def test_unknown_filter_value_selects_nothing():
    SiteText.objects.create(key="k", title_en="Care")
    assert _filtered("bogus") == set()
    assert _filtered("missing-fr") == set()


def test_translated_value_marks_fallback():
    text = SiteText.objects.create(key="k", title_en="Partners")
    with translation.override("ar"):
        value = translated_value(text, "title")
        html = translated(text, "title")
    assert (value.text, value.language, value.fallback) == ("Partners", "en", True)
    assert html == (
        '<bdi lang="en" dir="ltr" class="fallback">Partners</bdi> '
        '<span class="fallback-note">(معروض بالإنكليزية: لم يُترجم بعد)</span>'
    )


def test_translated_value_in_its_own_language_is_isolated_without_mark():
    text = SiteText.objects.create(key="k", title_en="Partners", title_ar="الشركاء")
    with translation.override("ar"):
        assert translated(text, "title") == '<bdi lang="ar" dir="rtl">الشركاء</bdi>'


def test_translated_value_escapes_html():
    text = SiteText.objects.create(key="k", title_en="<script>alert(1)</script>")
    with translation.override("en"):
        assert "<script>" not in translated(text, "title")


def test_bilingual_dict_uses_none_for_missing():
    text = SiteText.objects.create(key="k", title_en="Partners", title_ar="")
    assert bilingual_dict(text, "title") == {"en": "Partners", "ar": None}


def test_blank_text_is_missing_alike_for_the_api_json_ld_oai_and_exports():
    # One rule for "empty": an Arabic title of spaces is no Arabic title, wherever it is read.
    text = SiteText(key="k", title_en="Partners", title_ar="  \n")
    assert bilingual_dict(text, "title") == {"en": "Partners", "ar": None}
    assert bilingual_dict(text, "title", missing="") == {"en": "Partners", "ar": ""}
    field = BilingualField("title")
    assert (
        field.to_representation(text)
        == field.representer()(text)
        == {
            "en": "Partners",
            "ar": None,
        }
    )
    assert languages_of(text, "title") == ["en"]
    assert language_tagged(text, "title") == {"@value": "Partners", "@language": "en"}
    dc = etree.Element("dc")
    _dc_bilingual(dc, "title", text, "title")
    assert [element.text for element in dc] == ["Partners"]


def test_admin_change_list_filters_by_translation_state(admin_client):
    SiteText.objects.create(key="english-only", title_en="Partners only in English")
    SiteText.objects.create(key="both", title_en="Care", title_ar="الرعاية")
    response = admin_client.get("/en/admin/s4c/sitetext/", {"translation": "missing-ar"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Partners only in English" in html
    assert ">Care<" not in html


def test_admin_arabic_inputs_are_right_to_left(admin_client):
    html = admin_client.get("/en/admin/s4c/sitetext/add/").content.decode()
    assert 'name="title_ar"' in html
    assert 'dir="rtl"' in html
    assert 'lang="ar"' in html


def test_fallback_is_marked_on_the_arabic_home_page(client):
    SiteText.objects.create(
        key="partners", title_en="Partners", body_en="Governments and social partners"
    )
    html = client.get("/ar/").content.decode()
    assert "معروض بالإنكليزية: لم يُترجم بعد" in html


def test_latin_names_in_arabic_text_are_isolated_and_escaped():
    text = SiteText.objects.create(
        key="k", title_en="x", title_ar="منصة (South-4-Care) مع <b>GIZ</b>"
    )
    with translation.override("ar"):
        html = translated(text, "title")
    assert html == (
        '<bdi lang="ar" dir="rtl">منصة (<bdi lang="en" dir="ltr" class="latin">South-4-Care</bdi>) '
        'مع &lt;<bdi lang="en" dir="ltr" class="latin">b</bdi>&gt;'
        '<bdi lang="en" dir="ltr" class="latin">GIZ</bdi>&lt;/<bdi lang="en" dir="ltr" class="latin">b</bdi>&gt;</bdi>'
    )
