"""Uploaded files through the portal (core/media.py, hub/media.py): a published resource's
document for anyone, a draft's only for staff, any other file not found."""

import pytest

from hub.models import Resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_ACCEL_REDIRECT = ""
    (tmp_path / "resources" / "2025").mkdir(parents=True)
    for name in ("report", "draft"):
        (tmp_path / "resources" / "2025" / f"{name}.pdf").write_bytes(b"%PDF-1.4\n" + name.encode())
    (tmp_path / "stray.pdf").write_bytes(b"%PDF-1.4\n")
    return tmp_path


@pytest.fixture
def documents(make_resource, publishable, media):
    published = make_resource(file="resources/2025/report.pdf", **publishable)
    draft = make_resource(status=Resource.Status.DRAFT, file="resources/2025/draft.pdf")
    return published, draft


def test_a_published_resources_document_is_a_download_for_anyone(client, documents):
    response = client.get("/media/resources/2025/report.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\nreport"
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=3600"


def test_a_drafts_document_is_only_for_staff(client, curator, documents):
    assert client.get("/media/resources/2025/draft.pdf").status_code == 404
    client.force_login(curator)
    response = client.get("/media/resources/2025/draft.pdf")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "path",
    [
        "/media/stray.pdf",  # no app claims the folder
        "/media/resources/2025/missing.pdf",  # no resource has it
        "/media/resources/../stray.pdf",
        "/media/resources/2025//report.pdf",
    ],
)
def test_other_files_are_not_found(client, documents, path):
    assert client.get(path).status_code == 404


def test_behind_nginx_the_file_is_handed_over_with_x_accel_redirect(client, documents, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/_media/"
    response = client.get("/media/resources/2025/report.pdf")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_media/resources/2025/report.pdf"
    assert response.content == b""
    assert "Content-Type" not in response
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
