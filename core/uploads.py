"""Upload validation shared by every app: the type is read from the content, not the name.

Magic bytes alone are not enough: a file can be two formats at once (a PDF that is also an HTML
page, which a browser may render from our domain), and a zip's headers can lie about the sizes
its members expand to. So a PDF must start with its signature, PDFs and images must carry no
HTML markup in their first bytes, and office files are decompressed for real (streamed, with a
cap) to measure what they expand to.
"""

import re
import zipfile
import zlib

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# kind → (accepted extensions, MIME type detected from the content)
KINDS = {
    "pdf": ({"pdf"}, "application/pdf"),
    "docx": ({"docx"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ({"xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": ({"odt"}, "application/vnd.oasis.opendocument.text"),
    "png": ({"png"}, "image/png"),
    "jpeg": ({"jpg", "jpeg"}, "image/jpeg"),
}
DOCUMENT_KINDS = ("pdf", "docx", "xlsx", "odt", "png", "jpeg")
IMAGE_KINDS = ("png", "jpeg")
# Office files are zip archives: refuse ones that would expand into something huge (zip bombs).
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 5000
# How much of a PDF or an image is searched for HTML markup (a browser sniffing a polyglot reads
# the start of the file).
MARKUP_SCAN_BYTES = 64 * 1024
MARKUP = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed)\b", re.I
)
CHUNK = 64 * 1024


def _zip_bomb() -> ValidationError:
    return ValidationError(
        _("This file expands to an unreasonable size and was refused."), code="zip_bomb"
    )


def _office_ok(upload) -> bool:
    """A real office document: a zip with its content-type member, whose members really expand
    (measured by decompressing them, not read from headers that can lie) to at most
    MAX_UNCOMPRESSED_BYTES and MAX_COMPRESSION_RATIO times the upload's size."""
    cap = min(MAX_UNCOMPRESSED_BYTES, max(upload.size, 1) * MAX_COMPRESSION_RATIO)
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise _zip_bomb()
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names and "mimetype" not in names:
                return False
            expanded = 0
            for info in infos:
                with archive.open(info) as member:
                    while chunk := member.read(CHUNK):
                        expanded += len(chunk)
                        if expanded > cap:
                            raise _zip_bomb()
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        # Corrupt, forged sizes or checksums (a CRC error), unsupported or encrypted members.
        return False
    finally:
        upload.seek(0)
    return True


def _looks_like(kind: str, upload) -> bool:
    """The checks magic bytes leave out: a PDF starts with its signature, and neither a PDF nor
    an image carries HTML markup near its start (a polyglot a browser could render)."""
    if kind in {"docx", "xlsx", "odt"}:
        return _office_ok(upload)
    upload.seek(0)
    head = upload.read(MARKUP_SCAN_BYTES)
    upload.seek(0)
    if kind == "pdf" and not head.startswith(b"%PDF-"):
        return False
    return MARKUP.search(head) is None


@deconstructible
class UploadValidator:
    """Accepts only the given kinds, checked from the file's bytes, within the size limit."""

    def __init__(self, kinds=DOCUMENT_KINDS):
        self.kinds = tuple(kinds)

    def __call__(self, upload):
        size = getattr(upload, "size", None) or 0
        if size == 0:
            raise ValidationError(_("The file is empty."), code="empty")
        limit = settings.UPLOAD_MAX_BYTES
        if size > limit:
            raise ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
                code="too_large",
            )
        upload.seek(0)
        head = upload.read(8192)
        upload.seek(0)
        detected = filetype.guess(head)
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        allowed = ", ".join(sorted({ext for kind in self.kinds for ext in KINDS[kind][0]}))
        for kind in self.kinds:
            extensions, mime = KINDS[kind]
            if detected is not None and detected.mime == mime and extension in extensions:
                if not _looks_like(kind, upload):
                    break
                return
        raise ValidationError(
            _(
                "This file type is not accepted: its content does not match an allowed type (%(allowed)s)."
            )
            % {"allowed": allowed},
            code="invalid_type",
        )

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and self.kinds == other.kinds

    # Compared (by migrations), never hashed: as unhashable as Python makes a class with __eq__.
    __hash__ = None


validate_document = UploadValidator(DOCUMENT_KINDS)
validate_image = UploadValidator(IMAGE_KINDS)
