"""The apply form as applicants meet it: nothing chosen for them, country names in the page's
language, hostile input answered with a message, plain-text e-mails not HTML-escaped."""

import re
from html import unescape

import pytest
from django.core import mail

from core.text import collation_key
from learning.models import Application

from .test_applications import FORM

pytestmark = pytest.mark.django_db


def _options(html: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def test_arabic_country_names_are_in_arabic_alphabetical_order(client, cohort):
    """By each name's letters with the hamza forms of alif as alif, as the Knowledge Hub's facets
    sort (core.text.collation_key): django-countries alone left them in the English order."""
    html = client.get(f"/ar/learning/{cohort.slug}/apply/").content.decode()
    names = [name for code, name in _options(html, "country") if code]
    assert names == sorted(names, key=collation_key)
    assert names.index("أفغانستان") < names.index("الجزائر") < names.index("مصر")
    assert names.index("السعودية (المملكة العربية)") < names.index("مصر")
    assert names.index("أفغانستان") < 15
    by_code = dict(_options(html, "country"))
    assert by_code["FM"] == "ميكرونيزيا (ولايات - الموحدة)"
    assert by_code["ZA"] == "جنوب أفريقيا"
    assert by_code["CF"] == "جمهورية أفريقيا الوسطى"


def test_admin_country_pickers_take_the_same_order(admin_client):
    """Every country field (here an organisation's and a resource's) lists the names as the apply
    form does, in both languages."""
    for language in ("ar", "en"):
        for url, name in [
            (f"/{language}/admin/hub/organisation/add/", "country"),
            (f"/{language}/admin/hub/resource/add/", "countries"),
        ]:
            html = admin_client.get(url).content.decode()
            select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
            pairs = re.findall(r'<option value="([A-Z]{2})"[^>]*>([^<]*)</option>', select)
            names = [unescape(label) for _code, label in pairs]
            assert len(names) > 200, url
            assert names == sorted(names, key=collation_key), url


@pytest.mark.parametrize(
    ("language", "jordan", "empty_country", "empty_group"),
    [
        ("en", "Jordan", "Choose a country", "Choose a group"),
        ("ar", "الأردن", "اختر بلداً", "اختر فئة"),
    ],
)
def test_country_and_group_start_empty_and_speak_the_page_language(
    client, cohort, language, jordan, empty_country, empty_group
):
    html = client.get(f"/{language}/learning/lh-test/apply/").content.decode()
    countries = _options(html, "country")
    groups = _options(html, "constituency")
    assert countries[0] == ("", empty_country)
    assert groups[0] == ("", empty_group)
    assert ("JO", jordan) in countries
    selected = re.findall(r'<option value="([^"]*)" selected>', html)
    assert selected == ["", ""]  # the empty choices, nothing else
    # Nothing chosen is a message on each field, not a default application from Afghanistan.
    response = client.post(
        f"/{language}/learning/lh-test/apply/", {**FORM, "country": "", "constituency": ""}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"country", "constituency"}
    assert not Application.objects.exists()


@pytest.mark.parametrize("length", [255, 300, 320])
def test_an_overlong_email_is_a_message_not_a_500(client, cohort, length):
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 5)
    email = email[: length - 4] + ".org"
    assert len(email) == length
    response = client.post("/en/learning/lh-test/apply/", {**FORM, "email": email})
    assert response.status_code == 400
    assert response.context["form"].errors["email"]
    assert not Application.objects.exists()
    assert client.post("/en/learning/sign-in/", {"email": email}).status_code == 400


@pytest.mark.parametrize(
    "invisible",
    [
        "\u200b",
        "\u200c\u200d",
        "\u200b \ufeff\u2060\u200e",
        "\u034f",  # combining grapheme joiner
        "\u3164",  # Hangul filler
        "\u2800",  # blank braille pattern
        "\ufe0f",  # variation selector
    ],
)
def test_a_motivation_of_invisible_characters_is_empty(client, cohort, invisible):
    response = client.post("/ar/learning/lh-test/apply/", {**FORM, "motivation": invisible * 60})
    assert response.status_code == 400
    assert response.context["form"].errors["motivation"] == ["هذا الحقل مطلوب."]
    assert not Application.objects.exists()


def test_a_motivation_is_as_long_as_it_looks(client, cohort):
    # One letter and sixty zero-width non-joiners: one character to the person reading it.
    response = client.post(
        "/en/learning/lh-test/apply/", {**FORM, "motivation": "a" + "\u200c" * 60}
    )
    assert response.status_code == 400
    assert "at least 50 characters" in response.context["form"].errors["motivation"][0]
    assert not Application.objects.exists()


def test_plain_text_emails_are_not_html_escaped(
    client, cohort, django_capture_on_commit_callbacks, eager_tasks
):
    cohort.name_en = "Care & Work <2027>"
    cohort.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/learning/lh-test/apply/", {**FORM, "name": "Siobhán O'Brien"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert "Dear Siobhán O'Brien," in message.body
    assert "Care & Work <2027>" in message.body
    assert message.subject == "We received your application to Care & Work <2027>"
    assert "&#x27;" not in message.body
    assert "&amp;" not in message.body


def test_free_text_boxes_take_the_direction_of_what_is_typed(client, cohort):
    """Name, organisation, languages and motivation may be typed in either language; e-mail and
    the choices are not free text. The hint's list uses the Arabic comma."""
    html = client.get(f"/ar/learning/{cohort.slug}/apply/").content.decode()
    for name in ("name", "organisation", "working_languages"):
        assert re.search(rf'<input type="text" name="{name}"[^>]*dir="auto"', html), name
    assert re.search(r'<textarea name="motivation"[^>]*dir="auto"', html)
    assert 'dir="auto"' not in re.search(r'<input type="email"[^>]*>', html).group(0)
    assert "مثلاً: العربية، الإنكليزية" in html
