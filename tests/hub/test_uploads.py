import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from s4c.uploads import validate_document, validate_image


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
