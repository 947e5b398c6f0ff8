"""What a person reads on the public pages (issue 15): one Arabic convention for dates and
numbers, words that read as written by a person, titles that name their section, documents one
can open, the home page's ways in."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from core.formats import (
    arabic_html_digits,
    arabic_text_digits,
    local_code,
    local_date,
    local_number,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(load_content, db):
    load_content()


def _text(response) -> str:
    return re.sub(r"<[^>]+>", "", response.content.decode())


def test_the_arabic_convention_of_the_seed():
    import datetime as dt

    with translation.override("ar"):
        assert local_date(dt.date(2025, 9, 1)) == "١ أيلول/سبتمبر ٢٠٢٥"
        assert local_date(dt.date(2024, 6, 1), "YEAR_MONTH_FORMAT") == "حزيران/يونيه ٢٠٢٤"
        assert local_number(17.2, 1) == "١٧٫٢"
        assert local_code("1.2") == "١-٢"  # a code, not the decimal ١٫٢
        # A conclusions paragraph's item lettered as the Arabic paper letters items; a Programme
        # and Budget outcome's Latin capital stays.
        assert (local_code("6(b)"), local_code("9(n)"), local_code("A.2")) == (
            "٦(ب)",
            "٩(ن)",
            "A-٢",
        )
    with translation.override("en"):
        assert local_date(dt.date(2025, 9, 1)) == "1 September 2025"
        assert (local_number(17.2, 1), local_code("1.2")) == ("17.2", "1.2")
    # Latin-script names keep their digits.
    assert arabic_text_digits("منصة South-4-Care في 2025") == "منصة South-4-Care في ٢٠٢٥"


def test_the_admins_pages_follow_it_in_the_text_a_reader_sees():
    html = (
        '<p title="2025">3 نتائج <a href="?p=2">2</a> &#39;</p><input value="2024">'
        '<textarea>12</textarea><code>7</code><span dir="ltr">346</span>'
        "<td>منصة South-4-Care في 2025</td><td>3f2a9c-41 (503)</td><a>https://x.org/1</a>"
    )
    assert arabic_html_digits(html) == (
        '<p title="2025">٣ نتائج <a href="?p=2">٢</a> &#39;</p><input value="2024">'
        '<textarea>12</textarea><code>7</code><span dir="ltr">346</span>'
        "<td>منصة South-4-Care في ٢٠٢٥</td><td>3f2a9c-41 (٥٠٣)</td><a>https://x.org/1</a>"
    )


def test_arabic_words_that_read_as_written_by_a_person(content, client):
    html = client.get("/ar/action-plan/sse-2023-2029/").content.decode()
    assert "١٧٫٢ مليون دولار أمريكي" in html
    assert "USD" not in html
    assert "الحصيلة ١-١" in html
    assert "1,1" not in html
    assert "١٫١·" not in html
    deliverables = client.get("/ar/action-plan/sse-2023-2029/deliverables/").content.decode()
    assert ">تصفية</button>" in deliverables
    assert "مرشح" not in deliverables
    with translation.override("ar"):
        # Django admin's own "Filter" (مرشّح) too.
        assert translation.gettext("Filter") == "تصفية"
    evaluation = _text(client.get("/ar/hub/hle-research-knowledge-2010-2019/"))
    assert "منشور" in evaluation
    assert "النشر" not in evaluation.split("الناشر")[0]
    hub = client.get("/ar/hub/", {"type": "publication"}).content.decode()
    assert "<bdi>منشور</bdi>" in hub


def test_the_home_pages_figures_agree_with_their_numbers(content, client):
    # Arabic counts take the plural form of their number (3: أهداف, 17: نتيجةً), English its own.
    arabic = client.get("/ar/").content.decode()
    for figure in ("<strong>٣</strong> أهداف", "<strong>٩</strong> حصائل"):
        assert figure in arabic
    assert "<strong>١٧</strong> نتيجةً رفيعة المستوى" in arabic
    english = client.get("/en/").content.decode()
    assert "<strong>17</strong> deliverables" in english


def test_downloads_have_column_headers_in_the_page_language(content, client):
    raw = client.get("/ar/action-plan/sse-2023-2029/download/plan.csv").content
    header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert header[:2] == ["الهدف", "الحصيلة"]
    assert not any(re.fullmatch(r"[a-z_]+", column) for column in header)
    raw = client.get("/en/action-plan/sse-2023-2029/download/plan.csv").content
    assert next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))[:3] == [
        "Objective",
        "Outcome",
        "Deliverable (English)",
    ]


def test_the_arabic_citation_isolates_its_address(content, client):
    html = client.get("/ar/hub/r193-promotion-of-cooperatives/").content.decode()
    assert re.search(
        r'<bdi dir="ltr" class="citation-url">https?://[^<]+/ar/hub/r193-promotion-of-cooperatives/</bdi>',
        html,
    )
    assert "(٢٠٠٢)" in _text(client.get("/ar/hub/r193-promotion-of-cooperatives/"))


def test_each_document_language_has_its_own_link_or_says_it_has_none(content, client):
    html = client.get("/en/hub/r193-promotion-of-cooperatives/").content.decode()
    buttons = re.findall(r'<a class="button" href="([^"]+)"[^>]*>([^<]+)</a>', html)
    # The English page's button opens the Arabic PDF only as what it is: the Arabic version.
    assert buttons == [
        (
            "https://www.ilo.org/wcmsp5/groups/public/---ed_norm/---normes/documents/normativeinstrument/wcms_r193_ar.pdf",
            "Open in Arabic (PDF)",
        )
    ]
    text = _text(client.get("/en/hub/r193-promotion-of-cooperatives/"))
    assert "English — no online copy linked here" in text
    # No address is known for these: they say so, rather than "Available in" with no link.
    for identifier in ("gb346-sse-strategy-plan-of-action", "ilc112-resolution-care-economy"):
        text = _text(client.get(f"/en/hub/{identifier}/"))
        assert "No online copy of this document is linked here yet." in text, identifier
    text = _text(client.get("/en/hub/south-4-care-launch-2025/"))
    assert "its full text is given below" in text


def test_titles_name_their_section_and_the_menu_names_the_sse_plan(content, client):
    def title(path):
        html = client.get(path, follow=True).content.decode()
        return re.search(r"<title>(.*?)</title>", html, re.S).group(1)

    assert title("/en/action-plan/") == (
        "Strategy and Plan of Action on decent work and the social and solidarity economy "
        "2023–2029 · SSE plan of action · South-4-Care"
    )
    assert title("/en/learning/speakers/") == "Speakers · Learning Hub · South-4-Care"
    assert title("/en/hub/") == "Knowledge Hub · South-4-Care"
    assert title("/ar/hub/") == "مركز المعرفة · جنوب من أجل الرعاية"
    assert "South-4-Care Knowledge Hub" not in title("/en/learning/")
    html = client.get("/en/").content.decode()
    assert ">SSE plan of action 2023–2029</a>" in html
    assert ">Action plan<" not in html


def test_the_home_page_leads_somewhere(content, client):
    html = client.get("/en/").content.decode()
    assert '<form method="get" action="/en/hub/" role="search"' in html
    assert 'rel="icon" href="/static/s4c/img/favicon.svg"' in html
    assert 'class="brand-mark" src="/static/s4c/img/logo.svg"' in html
    assert ">S4C<" not in html
    text = _text(client.get("/en/"))
    assert "Featured" in text
    assert "ILO opens South-4-Care" in text
    assert "Newest" in text
    assert "Resolution concerning decent work and the care economy" in text
    assert 'href="/en/learning/learning-hub-2025/"' in html
    assert "Completed" in text
    assert "3 objectives" in re.sub(r"\s+", " ", text)
    assert "37.5 million US dollars" in text
    arabic = _text(client.get("/ar/"))
    assert "٣٧٫٥ مليون دولار أمريكي" in arabic
    assert "١٧ نتيجةً رفيعة المستوى" in re.sub(r"\s+", " ", arabic)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_admin_names_the_portals_icon_and_favicon_ico_leads_to_it(client, lang):
    from django.contrib.staticfiles import finders

    icon = '<link rel="icon" href="/static/s4c/img/favicon.svg" type="image/svg+xml">'
    assert icon in client.get(f"/{lang}/admin/login/").content.decode()
    client.force_login(User.objects.create_superuser("root", "root@example.org", None))
    for path in ("", "hub/resource/", "hub/resource/add/"):
        assert icon in client.get(f"/{lang}/admin/{path}").content.decode(), path
    # What a browser asks for on a page that names no icon.
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/s4c/img/favicon.svg"
    assert finders.find("s4c/img/favicon.svg")
