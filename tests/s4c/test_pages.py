import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(load_content):
    load_content()


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("ar", "/ar/"),
        ("ar-QA,ar;q=0.9,en;q=0.8", "/ar/"),
        ("en-GB,en;q=0.9", "/en/"),
        ("fr-FR,fr;q=0.9", "/en/"),
        ("", "/en/"),
        ("!!;;q=xx,,,", "/en/"),
        ("ar;q=abc", "/en/"),
    ],
)
def test_root_redirects_by_accept_language(client, accept_language, expected):
    response = client.get("/", headers={"accept-language": accept_language})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_home_sets_lang_and_dir(client, content, language, direction):
    response = client.get(f"/{language}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}" dir="{direction}">' in html


def test_arabic_home_shows_arabic_texts_and_navigation(client, content):
    html = client.get("/ar/").content.decode()
    assert "مركز المعرفة" in html
    assert "مركز التعلم" in html
    assert 'href="/ar/hub/"' in html
    assert 'href="/ar/learning/"' in html
    assert 'href="/ar/action-plan/"' in html
    assert "Skip to content" not in html


@pytest.mark.parametrize(
    "path", ["/en/", "/en/hub/", "/en/learning/", "/en/action-plan/sse-2023-2029/"]
)
def test_language_switcher_keeps_the_page(client, content, path):
    html = client.get(path).content.decode()
    arabic_path = "/ar/" + path.removeprefix("/en/")
    assert f'<a href="{arabic_path}" hreflang="ar" lang="ar">' in html


def test_switcher_keeps_the_query_string(client, content):
    html = client.get("/en/?page=2").content.decode()
    assert 'href="/ar/?page=2"' in html


@pytest.mark.parametrize(
    ("path", "needle"),
    [("/ar/no-such-page/", "الصفحة غير موجودة"), ("/en/no-such-page/", "Page not found")],
)
def test_not_found_page_speaks_the_visitors_language(client, path, needle):
    response = client.get(path)
    assert response.status_code == 404
    assert needle in response.content.decode()


def test_unknown_language_prefix_is_a_404_in_the_visitors_language(client):
    response = client.get("/fr/hub/", headers={"accept-language": "ar"})
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in response.content.decode()


def test_arabic_dates_follow_the_un_arabic_usage_of_the_seed():
    # As the seed's news release writes "١ أيلول/سبتمبر ٢٠٢٥": Arabic-Indic digits, double month.
    template = Template("{% load s4c %}{{ day|local_date }}")
    with translation.override("ar"):
        rendered = template.render(Context({"day": dt.date(2025, 9, 15)}))
    # On one line: a phone would break the double month name at its slash.
    assert rendered == '<span class="date">١٥ أيلول/سبتمبر ٢٠٢٥</span>'
    with translation.override("en"):
        rendered = template.render(Context({"day": dt.date(2025, 9, 15)}))
        assert rendered == '<span class="date">15 September 2025</span>'
    assert Template("{% load s4c %}{{ day|local_date }}").render(Context({"day": None})) == ""


def test_static_assets_are_local(client, content):
    html = client.get("/ar/").content.decode()
    external = re.findall(r'(?:src|href)="(https?:)?//(?!localhost)[^"]+\.(?:css|js|woff2?)"', html)
    assert external == []
