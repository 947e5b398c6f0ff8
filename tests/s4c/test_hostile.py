"""Hostile values through every way in: the admin, the public forms, uploads and downloads.

Each is refused with a clear error or neutralised; nothing unsafe is stored (rich text sanitised,
invisible characters removed, file names normalised inside MEDIA_ROOT) or rendered (pages escape,
the API writes no markup characters at all).
"""

import csv
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from core.permissions import SYSTEM
from hub import services
from hub.models import Organisation, Resource, Theme

from .hostile import FILE_NAMES, FORBIDDEN_CHARACTERS, FORMULAS, SCRIPT, SQL, TITLES, UNSAFE_URLS

pytestmark = pytest.mark.django_db
INVISIBLE = re.compile(f"[{re.escape(FORBIDDEN_CHARACTERS)}]")
# Markup that runs: a script (but the page's own JSON-LD block), a frame, an SVG or MathML island,
# an event-handler attribute on a real tag, a link or source with a script scheme. Escaped text
# ("&lt;img onerror=…") is inert and allowed.
EXECUTABLE = re.compile(
    r"<(?:script(?! type=\"application/ld\+json\")|iframe|svg|img|style|math|object|embed)\b"
    r"|<[a-z]+(?:\s+[\w-]+(?:=\"[^\"]*\")?)*\s+on\w+\s*="
    r"|(?:href|src)\s*=\s*[\"']?\s*(?:javascript|data|vbscript):",
    re.I,
)
PDF = b"%PDF-1.7\n" + b"0" * 2000 + b"\n%%EOF"


@pytest.fixture
def reviewer(db):
    user = User.objects.create_user("rev", "rev@example.org", None, is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewer"))
    return User.objects.get(pk=user.pk)


def _resource_form(**overrides):
    data = {
        "resource_type": "publication",
        "title_en": "Care report",
        "title_ar": "تقرير الرعاية",
        "publication_year": "2025",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def _public_outputs(client, resource) -> list[str]:
    return [
        client.get(f"/{lang}/hub/{resource.identifier}/").content.decode() for lang in ("en", "ar")
    ] + [
        client.get("/en/hub/", {"q": "care"}).content.decode(),
        client.get(f"/api/v1/resources/{resource.identifier}/").content.decode(),
        client.get("/api/v1/resources/", {"lang": "ar"}).content.decode(),
    ]


@pytest.mark.parametrize("payload", SCRIPT + SQL + TITLES)
def test_hostile_text_through_the_admin_is_stored_clean_and_rendered_inert(
    client, reviewer, payload
):
    client.force_login(reviewer)
    response = client.post(
        "/en/admin/hub/resource/add/",
        _resource_form(
            title_en=f"Care {payload}",
            summary_en=payload,
            summary_ar=payload,
            body_en=f"<p>Body</p>{payload}",
            body_ar=payload,
            authors=payload,
            licence=payload[:120],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    resource = Resource.objects.get()
    for field in ("title_en", "summary_en", "summary_ar", "authors", "licence", "body_en"):
        assert not INVISIBLE.search(getattr(resource, field)), field
    for field in ("body_en", "body_ar"):
        assert not EXECUTABLE.search(getattr(resource, field)), getattr(resource, field)
    # Published as the scheduler would (the review and the publication gate are not the point).
    services.resource_submit(resource=resource, actor=reviewer)
    services.resource_publish(resource=resource, actor=SYSTEM)
    client.logout()
    for page in _public_outputs(client, resource):
        output = _without_site_chrome(page)
        assert not EXECUTABLE.search(output), EXECUTABLE.search(output)
        assert not INVISIBLE.search(output)


# The site's own static logo and script, the same on every page (no content reaches them).
SITE_CHROME = re.compile(
    r'<img class="brand-mark" src="/static/s4c/img/logo\.svg" alt="" width="36" height="36">'
    r'|<script src="/static/s4c/js/site\.js" defer></script>'
)


def _without_site_chrome(output: str) -> str:
    return SITE_CHROME.sub("", output)


def test_the_api_writes_no_markup_characters_but_means_the_same_text(client, reviewer):
    resource = Resource(
        title_en="<script>alert(1)</script> & co", resource_type="news", publication_year=2025
    )
    services.resource_save(resource=resource, actor=reviewer)
    services.resource_publish(resource=resource, actor=SYSTEM)  # as the scheduler would
    response = client.get(f"/api/v1/resources/{resource.identifier}/")
    assert b"<" not in response.content
    assert b">" not in response.content
    assert response.json()["title"]["en"] == "<script>alert(1)</script> & co"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_invisible_characters_are_removed_from_every_model_and_kept_marks_survive(db):
    from learning.models import Cohort, Speaker

    # The Arabic letter mark and the right-to-left mark are legitimate in Arabic text: kept.
    theme = Theme.objects.create(
        slug="t", name_en="Care\u202e\u200b economy", name_ar="رعاية\u200f"
    )
    organisation = Organisation.objects.create(
        slug="o", name_en="\ufeffILO\u2066", kind="un_agency", acronym_en="I\x07LO"
    )
    cohort = Cohort.objects.create(
        slug="c", name_en="Cohort\u202d", description_en="Line one\nline\u202e two", year=2027
    )
    speaker = Speaker.objects.create(slug="s", name_en="Amina\u200b Haddad", bio_en="Bio\x1b[2J")
    assert (theme.name_en, theme.name_ar) == ("Care economy", "رعاية\u200f")
    assert Theme.objects.get().name_en == "Care economy"
    assert (organisation.name_en, organisation.acronym_en) == ("ILO", "ILO")
    assert (cohort.name_en, cohort.description_en) == ("Cohort", "Line one\nline two")
    assert (speaker.name_en, speaker.bio_en) == ("Amina Haddad", "Bio[2J")


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_unsafe_links_are_refused_in_every_url_field(client, reviewer, url):
    client.force_login(reviewer)
    response = client.post(
        "/en/admin/hub/resource/add/", _resource_form(title_en="Linked", external_url=url)
    )
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    assert not Resource.objects.exists()
    response = client.post(
        "/ar/admin/hub/organisation/add/",
        {"slug": "o", "name_en": "Org", "kind": "un_agency", "website": url},
    )
    assert response.status_code == 200
    assert "أدخل رابطًا صحيحًا." in response.content.decode() or "رابط" in response.content.decode()
    assert not Organisation.objects.exists()
    for model_url_field in (
        ("learning", "session", "recording_url"),
        ("actionplan", "plan", "source_url"),
    ):
        from django.apps import apps

        model = apps.get_model(model_url_field[0], model_url_field[1])
        field = model._meta.get_field(model_url_field[2])
        with pytest.raises(ValidationError, match=r"valid URL|رابط"):
            field.clean(url, None)


@pytest.mark.parametrize("name", FILE_NAMES)
def test_uploaded_file_names_are_normalised_inside_media_root(client, reviewer, settings, name):
    client.force_login(reviewer)
    data = _resource_form(title_en="With a file")
    data["file"] = SimpleUploadedFile(name, PDF)
    response = client.post("/en/admin/hub/resource/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Resource.objects.get().file
    path = Path(stored.path).resolve()
    assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve() / "resources")
    assert path.read_bytes() == PDF
    assert re.fullmatch(r"resources/\d{4}/[\w.-]+\.pdf", stored.name), stored.name
    assert ".." not in stored.name
    assert "\u202e" not in stored.name
    assert "<" not in stored.name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # A PDF that is also a PNG, and an HTML page that calls itself a PDF.
        ("polyglot.png", b"%PDF-1.7\n\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not accepted"),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "not accepted"),
        ("tool.pdf\u202eexe.pdf", b"MZ\x90\x00" + b"\x00" * 200, "not accepted"),
        ("big.pdf", PDF * 10, "too large"),
    ],
)
def test_hostile_uploads_are_refused_with_a_clear_error(
    client, reviewer, settings, name, content, message
):
    settings.UPLOAD_MAX_BYTES = 10_000
    client.force_login(reviewer)
    data = {"slug": "o", "name_en": "Org", "kind": "un_agency"}
    data["logo"] = SimpleUploadedFile(name, content)
    response = client.post("/en/admin/hub/organisation/add/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organisation.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*"))


def test_a_zip_bomb_is_refused_before_it_is_stored(client, reviewer, settings):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"0" * (50 * 1024 * 1024))
    client.force_login(reviewer)
    data = _resource_form(title_en="Bomb")
    data["file"] = SimpleUploadedFile("bomb.docx", buffer.getvalue())
    response = client.post("/en/admin/hub/resource/add/", data)
    assert "unreasonable size" in response.content.decode()
    assert not Resource.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.docx"))


@pytest.mark.parametrize("formula", FORMULAS)
def test_downloads_never_turn_text_into_formulas(client, formula):
    from actionplan.models import Deliverable, Objective, Outcome, Plan

    plan = Plan.objects.create(slug="p", title_en="Plan", start_year=2024, end_year=2029)
    outcome = Outcome.objects.create(
        objective=Objective.objects.create(plan=plan, number=1, title_en="Objective"),
        code="1.1",
        title_en="Outcome",
    )
    Deliverable.objects.create(outcome=outcome, text_en=formula, start_year=2024, end_year=2025)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/en/action-plan/p/download/plan.csv").content.decode("utf-8-sig")
            )
        )
    )
    assert rows[1][2] == "'" + formula
    book = load_workbook(io.BytesIO(client.get("/en/action-plan/p/download/plan.xlsx").content))
    cell = book.active["C2"]
    assert (cell.value, cell.data_type) == (formula, "s")


def test_the_applications_export_neutralises_formulas_from_the_public_form(client):
    import datetime as dt

    from django.utils import timezone

    from learning.models import Application, Cohort

    cohort = Cohort.objects.create(
        slug="lh",
        name_en="Cohort",
        year=2027,
        status=Cohort.Status.OPEN,
        applications_open_at=timezone.now() - dt.timedelta(days=1),
        applications_close_at=timezone.now() + dt.timedelta(days=1),
    )
    response = client.post(
        "/en/learning/lh/apply/",
        {
            "name": "\u202eAmina\u200b Haddad",
            "email": "amina@example.org",
            "country": "JO",
            "organisation": FORMULAS[0],
            "constituency": "government",
            "working_languages": "Arabic",
            "motivation": "I want to bring care policy practices back to my ministry and region.",
        },
    )
    assert response.status_code == 302
    assert Application.objects.get().name == "Amina Haddad"
    admin = User.objects.create_superuser("root", "root@example.org", None)
    client.force_login(admin)
    export = client.post(
        "/en/admin/learning/application/",
        {"action": "export_csv", "_selected_action": [Application.objects.get().pk]},
    )
    row = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))[1]
    assert row[1] == "Amina Haddad"
    assert row[4] == "'" + FORMULAS[0]
    assert cohort.pk
