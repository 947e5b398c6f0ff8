import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import validate_document, validate_image


def _zip(files: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_docx_is_accepted():
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    validate_document(SimpleUploadedFile("note.docx", docx))


def test_zip_bomb_disguised_as_docx_is_refused():
    bomb = _zip(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"0" * (50 * 1024 * 1024)}
    )
    with pytest.raises(ValidationError, match="unreasonable size"):
        validate_document(SimpleUploadedFile("bomb.docx", bomb))


def test_image_validator_refuses_a_pdf():
    with pytest.raises(ValidationError):
        validate_image(SimpleUploadedFile("photo.png", b"%PDF-1.7 not an image"))


def test_polyglot_pdf_named_png_is_refused():
    with pytest.raises(ValidationError):
        validate_image(SimpleUploadedFile("photo.png", b"%PDF-1.7\n\x89PNG\r\n\x1a\n"))


def test_jpeg_is_accepted_as_an_image():
    validate_image(
        SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100)
    )


def _forge_sizes(data: bytes, name: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size of member `name` in its local and central headers."""
    forged = bytearray(data)
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := forged.find(signature, start)) != -1:
            name_length = int.from_bytes(
                forged[start + size_at + 4 : start + size_at + 6], "little"
            )
            if signature == b"PK\x01\x02":
                name_length = int.from_bytes(forged[start + 28 : start + 30], "little")
            if forged[start + name_at : start + name_at + name_length] == name:
                forged[start + size_at : start + size_at + 4] = size.to_bytes(4, "little")
            start += 4
    return bytes(forged)


def test_a_zip_whose_headers_lie_about_its_sizes_is_refused():
    honest = _zip(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"0" * (60 * 1024 * 1024)}
    )
    forged = _forge_sizes(honest, b"word/document.xml", 1000)
    with zipfile.ZipFile(io.BytesIO(forged)) as archive:  # the headers now say: small, ratio ~0
        assert sum(info.file_size for info in archive.infolist()) < 2000
    with pytest.raises(ValidationError):
        validate_document(SimpleUploadedFile("bomb.docx", forged))


def test_a_bomb_spread_over_many_small_members_is_refused():
    members = {f"word/part{i}.xml": b"0" * (2 * 1024 * 1024) for i in range(3)}
    bomb = _zip({"[Content_Types].xml": b"<Types/>", **members})
    with pytest.raises(ValidationError, match="unreasonable size"):
        validate_document(SimpleUploadedFile("bomb.docx", bomb))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"%PDF-1.7\n<html><script>alert(document.domain)</script></html>"),
        ("report.pdf", b"%PDF-1.4\n" + b"1 0 obj\n" * 500 + b"<!DOCTYPE html><body>x</body>"),
        ("report.pdf", b"<html>%PDF-1.7 a page first</html>"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR<svg onload=alert(1)>"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00<script>alert(1)</script>"),
    ],
)
def test_pdf_and_image_polyglots_carrying_html_are_refused(name, content):
    with pytest.raises(ValidationError, match="not accepted"):
        validate_document(SimpleUploadedFile(name, content))


def test_a_plain_pdf_is_accepted():
    validate_document(SimpleUploadedFile("report.pdf", b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF"))
