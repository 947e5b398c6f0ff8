"""A curator who writes in Arabic adds a site text with an Arabic title only, as resources,
themes and organisations allow: a title in one language at least, either one."""

import re

import pytest

from core.models import SiteText

pytestmark = pytest.mark.django_db

TITLE = "منصة جنوب من أجل الرعاية"


def _post(client, **fields):
    data = {
        "key": "platform",
        "order": "0",
        "title_en": "",
        "title_ar": "",
        "body_en": "",
        "body_ar": "",
    }
    data.update(fields)
    return client.post("/ar/admin/s4c/sitetext/add/", data)


def test_a_site_text_titled_in_arabic_only_is_saved_and_shown_in_both_languages(admin_client):
    response = _post(admin_client, title_ar=TITLE, body_ar="<p>نص عربي</p>")
    assert response.status_code == 302, response.content.decode()[:3000]
    text = SiteText.objects.get(key="platform")
    assert (text.title_en or "", text.title_ar) == ("", TITLE)
    for lang in ("en", "ar"):
        home = admin_client.get(f"/{lang}/").content.decode()
        assert TITLE in home, lang


def test_a_site_text_with_no_title_is_refused_in_the_users_language(admin_client):
    response = _post(admin_client)
    assert response.status_code == 200
    assert not SiteText.objects.exists()
    errors = " ".join(
        re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    )
    assert re.search(r"[\u0600-\u06FF]", errors), errors
