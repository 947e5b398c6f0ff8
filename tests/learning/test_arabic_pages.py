import re

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

# Latin words allowed on Arabic pages: acronyms of organisations, a zone name given as an example,
# the .ics file type.
ALLOWED = {"ABC", "UOL", "IANA", "Europe", "Rome", "ics"}
PAGES = [
    "/ar/learning/",
    "/ar/learning/learning-hub-2025/",
    "/ar/learning/learning-hub-2025/south-south-plenary-funding-partners/",
    "/ar/learning/speakers/",
    "/ar/learning/commitments/",
    "/ar/learning/sign-in/",
    "/ar/learning/learning-hub-2025/apply/",
]


@pytest.mark.parametrize("url", PAGES)
def test_no_english_remains_on_arabic_pages(load_content, client, url):
    load_content()
    response = client.get(url)
    assert response.status_code == 200
    main = response.content.decode().split("<main", 1)[1].split(">", 1)[1].split("</main>")[0]
    text = re.sub(r"<[^>]+>", " ", main)
    assert set(re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", text)) <= ALLOWED


def test_apply_reads_as_applying_not_as_software(cohort, client):
    """ "Apply" is "قدّم طلبك" on the cohort page and the apply page; the admin's filter button keeps
    "تطبيق" (the project catalogue's "Apply")."""
    page = client.get(f"/ar/learning/{cohort.slug}/").content.decode()
    apply_page = client.get(f"/ar/learning/{cohort.slug}/apply/").content.decode()
    assert "قدّم طلبك</a>" in page
    assert "تطبيق" not in page
    title = apply_page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.startswith("قدّم طلبك ·")
    assert "تطبيق" not in title
    with translation.override("ar"):
        assert translation.gettext("Apply") == "تطبيق"
        assert translation.pgettext("to a cohort", "Apply") == "قدّم طلبك"
        assert translation.gettext("No cohort has been announced yet.") == "لم يُعلَن عن أي دفعة بعد."


def test_form_messages_and_session_times_take_the_arabic_digits(cohort, timed_session, client):
    """Django's messages ("at least 50 characters") and the session's UTC offset are in the
    page's Arabic-Indic digits, as every other number on the page."""
    from .test_applications import FORM

    response = client.post(f"/ar/learning/{cohort.slug}/apply/", {**FORM, "motivation": "قصير"})
    assert response.status_code == 400
    errors = " ".join(re.findall(r'<ul class="errorlist".*?</ul>', response.content.decode(), re.S))
    assert "٥٠" in errors
    assert "٤" in errors  # "it has 4"
    assert not re.search(r"[0-9]", re.sub(r"<[^>]+>", "", errors)), errors
    english = client.post(f"/en/learning/{cohort.slug}/apply/", {**FORM, "motivation": "short"})
    assert "at least 50 characters" in english.content.decode()
    page = client.get(f"/ar/learning/{cohort.slug}/").content.decode()
    assert '١٠:٠٠–١١:٣٠</bdi> (<bdi dir="ltr">UTC+٠٣:٠٠</bdi>)' in page
