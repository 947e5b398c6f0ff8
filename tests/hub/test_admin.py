import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.formats import LATIN_RUN
from hub.models import Resource, StatusChange, Theme

pytestmark = pytest.mark.django_db
Status = Resource.Status
CHANGELIST = "/en/admin/hub/resource/"


def _bulk(client, action, resources):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [r.pk for r in resources]}, follow=True
    )


def test_curator_bulk_actions_offer_submit_but_not_publish_or_archive(
    client, curator, make_resource
):
    make_resource(status=Status.DRAFT)
    client.force_login(curator)
    html = client.get(CHANGELIST).content.decode()
    assert 'value="submit_selected"' in html
    assert 'value="publish_selected"' not in html
    assert 'value="archive_selected"' not in html
    assert 'value="delete_selected"' not in html


def test_curator_cannot_publish_through_a_crafted_bulk_request(client, curator, make_resource):
    draft = make_resource(status=Status.IN_REVIEW)
    client.force_login(curator)
    _bulk(client, "publish_selected", [draft])
    assert Resource.objects.get(pk=draft.pk).status == Status.IN_REVIEW


def test_curator_bulk_submits_drafts(client, curator, make_resource):
    drafts = [make_resource(status=Status.DRAFT) for _ in range(2)]
    client.force_login(curator)
    response = _bulk(client, "submit_selected", drafts)
    assert "2 resources submitted for review." in response.content.decode()
    assert set(
        Resource.objects.filter(pk__in=[d.pk for d in drafts]).values_list("status", flat=True)
    ) == {Status.IN_REVIEW}


def test_reviewer_bulk_publishes_and_archives(client, reviewer, make_resource, publishable):
    pending = [make_resource(status=Status.IN_REVIEW, **publishable) for _ in range(3)]
    client.force_login(reviewer)
    _bulk(client, "publish_selected", pending)
    assert StatusChange.objects.filter(to_status="published", actor=reviewer).count() == 3
    _bulk(client, "archive_selected", pending[:1])
    assert Resource.objects.get(pk=pending[0].pk).status == Status.ARCHIVED


def test_bulk_action_reports_refusals_and_does_the_rest(client, reviewer, make_resource):
    draft, published = make_resource(status=Status.DRAFT), make_resource()
    client.force_login(reviewer)
    response = _bulk(client, "archive_selected", [draft, published])
    html = response.content.decode()
    assert "1 resource archived." in html
    assert "cannot go from" in html


def test_curator_sees_published_resources_read_only(client, curator, make_resource):
    published, draft = make_resource(), make_resource(status=Status.DRAFT)
    client.force_login(curator)
    assert (
        'name="title_en"' not in client.get(f"{CHANGELIST}{published.pk}/change/").content.decode()
    )
    assert 'name="title_en"' in client.get(f"{CHANGELIST}{draft.pk}/change/").content.decode()
    response = client.post(f"{CHANGELIST}{published.pk}/change/", {"title_en": "Hijacked"})
    assert response.status_code == 403
    assert Resource.objects.get(pk=published.pk).title_en != "Hijacked"


def _form(**overrides):
    data = {
        "resource_type": "publication",
        "title_en": "Care report",
        "title_ar": "تقرير الرعاية",
        "summary_en": "",
        "summary_ar": "",
        "body_en": "<p>Body</p><script>x()</script>",
        "body_ar": "",
        "publication_year": "2025",
        "publication_month": "",
        "publication_day": "",
        "authors": "",
        "external_url": "",
        "licence": "",
        "modality": "",
        "countries": ["QA", "EG"],
        "document_languages": ["ar", "en"],
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_curator_creates_a_draft_with_countries_languages_and_clean_body(client, curator):
    client.force_login(curator)
    response = client.post(f"{CHANGELIST}add/", _form())
    assert response.status_code == 302, response.content.decode()[:3000]
    resource = Resource.objects.get(title_en="Care report")
    assert resource.status == Status.DRAFT
    assert "<script" not in resource.body_en
    assert {str(c) for c in resource.country_links.values_list("country", flat=True)} == {
        "QA",
        "EG",
    }
    assert set(resource.language_links.values_list("language", flat=True)) == {"ar", "en"}
    assert resource.history.first().history_user == curator


def test_admin_form_refuses_an_impossible_date_in_the_users_language(client, curator):
    client.force_login(curator)
    response = client.post(
        "/ar/admin/hub/resource/add/", _form(publication_month="2", publication_day="30")
    )
    assert response.status_code == 200
    assert "هذا اليوم غير موجود في ذلك الشهر." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "not accepted"),  # a renamed executable
        ("empty.pdf", b"", "empty"),
        ("notes.pdf", b"just some text pretending", "not accepted"),
        ("picture.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not accepted"),  # PNG named .pdf
    ],
)
def test_uploads_are_checked_from_their_content(client, curator, name, content, message):
    client.force_login(curator)
    data = _form(title_en=f"With {name}")
    data["file"] = SimpleUploadedFile(name, content)
    response = client.post(f"{CHANGELIST}add/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Resource.objects.filter(title_en=f"With {name}").exists()


def test_a_real_pdf_is_accepted_and_oversize_files_refused(client, curator, settings):
    client.force_login(curator)
    pdf = b"%PDF-1.7\n" + b"0" * 2000 + b"\n%%EOF"
    data = _form(title_en="With a PDF")
    data["file"] = SimpleUploadedFile("report.pdf", pdf)
    assert client.post(f"{CHANGELIST}add/", data).status_code == 302
    settings.UPLOAD_MAX_BYTES = 1000
    data = _form(title_en="Too big")
    data["file"] = SimpleUploadedFile("big.pdf", pdf)
    response = client.post(f"{CHANGELIST}add/", data)
    assert "too large" in response.content.decode()


def test_translation_filters_in_the_admin(client, reviewer, make_resource):
    make_resource("English only", "")
    make_resource("Both", "كلاهما")
    client.force_login(reviewer)
    html = client.get(CHANGELIST, {"translation": "missing-ar"}).content.decode()
    assert "English only" in html
    assert ">Both<" not in html


def test_each_document_language_gets_its_own_online_copy(client, curator):
    client.force_login(curator)
    english = "https://www.ilo.org/wcmsp5/groups/public/---ed_mas/---eval/documents/publication/wcms_757214.pdf"
    response = client.post(
        f"{CHANGELIST}add/",
        _form(document_languages=["ar"], document_url_en=english, document_url_ar=""),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    resource = Resource.objects.get(title_en="Care report")
    # An address checks its language; a checked language without one has no online copy.
    assert dict(resource.language_links.values_list("language", "url")) == {"ar": "", "en": english}
    page = client.get(f"{CHANGELIST}{resource.pk}/change/").content.decode()
    assert f'name="document_url_en" value="{english}"' in page
    response = client.post(
        f"{CHANGELIST}{resource.pk}/change/",
        _form(document_languages=["ar", "en"], document_url_en="", document_url_ar=english),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert dict(resource.language_links.values_list("language", "url")) == {"ar": english, "en": ""}


class _ShownText(HTMLParser):
    """The text of a page a reader sees as Arabic: not code, form fields' contents, or elements
    marked left to right or in another language (as the public pages' browser test reads them)."""

    SKIPPED = frozenset({"script", "style", "textarea", "pre", "code", "template"})
    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
    )

    def __init__(self):
        super().__init__()
        self.stack, self.texts = [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        other = attrs.get("dir") == "ltr" or attrs.get("lang", "ar") != "ar"
        inside = bool(self.stack) and self.stack[-1][1]
        self.stack.append((tag, tag in self.SKIPPED or other or inside))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        skipped = bool(self.stack) and self.stack[-1][1]
        if data.strip() and not skipped and "://" not in data:
            self.texts.append(data.strip())


def _latin_digits(html: str) -> list[str]:
    parser = _ShownText()
    parser.feed(html)
    return [text for text in parser.texts if re.search(r"[0-9]", LATIN_RUN.sub("", text))]


def test_the_arabic_admin_writes_numbers_and_dates_as_the_public_pages_do(
    client, reviewer, make_resource
):
    """One convention for Arabic digits (core.formats), in the admin too: counts, dates, page
    numbers and the year in a title, while the values of the form keep what the server reads."""
    resources = [
        make_resource(title_ar=f"سياسات الرعاية لعام 202{n}", publication_year=2024)
        for n in (3, 4, 5)
    ]
    change = f"/ar/admin/hub/resource/{resources[0].pk}/change/"
    history = f"/ar/admin/hub/resource/{resources[0].pk}/history/"
    client.force_login(reviewer)
    for path in ("/ar/admin/", "/ar/admin/hub/resource/", change, history):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _latin_digits(response.content.decode()) == [], path
    listing = client.get("/ar/admin/hub/resource/").content.decode()
    assert "سياسات الرعاية لعام ٢٠٢٥" in listing
    assert 'name="publication_year" value="2024"' in client.get(change).content.decode()
    # The English admin is left as Django writes it.
    english = client.get("/en/admin/hub/resource/").content.decode()
    assert "3 resources" in english


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_arabic_only_draft_is_saved_and_listed_by_its_arabic_title(client, curator, lang):
    client.force_login(curator)
    add = client.get(f"/{lang}/admin/hub/resource/add/").content.decode()
    # Neither language's title is marked required: the form says one of the two is enough.
    assert re.search(r'<input[^>]*name="title_en"[^>]*required', add) is None
    assert re.search(r'<input[^>]*name="title_ar"[^>]*required', add) is None
    assert {"en": "one of the two is enough", "ar": "تكفي إحداهما"}[lang] in add
    response = client.post(
        f"/{lang}/admin/hub/resource/add/",
        _form(title_en="", title_ar="تقرير عن اقتصاد الرعاية", summary_ar="ملخص."),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    resource = Resource.objects.get()
    assert not resource.title_en
    assert resource.title_ar == "تقرير عن اقتصاد الرعاية"
    assert resource.status == Status.DRAFT
    # Its public identifier is readable: the Arabic title spelled in Latin letters.
    assert re.fullmatch(r"tqryr-n-aqtsad-alraya-[0-9a-f]{6}", resource.identifier)
    # Every admin page that names it names it by the title it has, in both languages.
    for code in ("en", "ar"):
        with translation.override(code):
            assert str(resource) == "تقرير عن اقتصاد الرعاية"
        listing = client.get(f"/{code}/admin/hub/resource/").content.decode()
        assert "تقرير عن اقتصاد الرعاية</a>" in listing
        page = client.get(f"/{code}/admin/hub/resource/{resource.pk}/change/")
        assert page.status_code == 200
    # Its workflow box asks for the Arabic-only draft's missing parts, not for an English title.
    problems = client.get(f"/en/admin/hub/resource/{resource.pk}/change/").context["workflow"]
    assert not any("title" in str(problem).lower() for problem in problems["problems"])


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "Required: write it in English or in Arabic (one of the two is enough)."),
        ("ar", "مطلوب: اكتبه بالإنكليزية أو بالعربية (تكفي إحداهما)."),
    ],
)
def test_a_resource_without_a_title_in_either_language_is_refused_on_both_title_fields(
    client, curator, lang, message
):
    client.force_login(curator)
    response = client.post(f"/{lang}/admin/hub/resource/add/", _form(title_en="", title_ar=" "))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["title_en"] == [message]
    assert form.errors["title_ar"] == [message]
    assert message in response.content.decode()
    assert not Resource.objects.exists()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_theme_named_in_arabic_only_gets_a_latin_slug_made_from_its_name(
    client, admin_user, lang
):
    client.force_login(admin_user)
    add = client.get(f"/{lang}/admin/hub/theme/add/").content.decode()
    assert re.search(r'<input[^>]*name="slug"[^>]*required', add) is None
    for _ in range(2):
        response = client.post(
            f"/{lang}/admin/hub/theme/add/",
            {"name_en": "", "name_ar": "الاقتصاد التضامني", "slug": "", "order": "0"},
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(Theme.objects.values_list("slug", flat=True)) == [
        "alaqtsad-altdamny",
        "alaqtsad-altdamny-2",
    ]
    # An English name gives the slug; one typed is kept as it is.
    client.post(
        f"/{lang}/admin/hub/theme/add/",
        {"name_en": "Care economy", "name_ar": "اقتصاد الرعاية", "slug": "", "order": "0"},
    )
    client.post(
        f"/{lang}/admin/hub/theme/add/",
        {"name_en": "Social protection", "name_ar": "", "slug": "protection", "order": "0"},
    )
    assert {"care-economy", "protection"} <= set(Theme.objects.values_list("slug", flat=True))
