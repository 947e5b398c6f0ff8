"""The apply form as applicants meet it: nothing chosen for them, country names in the page's
language, hostile input answered with a message, plain-text e-mails not HTML-escaped."""

import re

import pytest
from django.core import mail

from learning.models import Application

from .test_applications import FORM

pytestmark = pytest.mark.django_db


def _options(html: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


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
