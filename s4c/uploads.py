"""Upload validation shared by every app: the type is read from the content, not the name."""

import zipfile

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


def _office_ok(upload) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            total = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos) or 1
            names = {info.filename for info in infos}
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise ValidationError(
            _("This file expands to an unreasonable size and was refused."), code="zip_bomb"
        )
    return "[Content_Types].xml" in names or "mimetype" in names


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
                if kind in {"docx", "xlsx", "odt"} and not _office_ok(upload):
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


validate_document = UploadValidator(DOCUMENT_KINDS)
validate_image = UploadValidator(IMAGE_KINDS)
