"""Uploaded files, served through a view that asks the owning app whether the request may have it.

Each app registers, in its ready(), the folders its FileFields upload to (`upload_to`) with a
function deciding for one file: `register("resources/", decide)`, where `decide(request, name)`
returns PUBLIC (anyone), PRIVATE (this request may, nobody else: staff on a draft's file) or None
(not found: no such file, or not for this request; a 404 either way, so nothing tells which). A
folder no app registered is never served.

With MEDIA_ACCEL_REDIRECT set (production, behind deploy/nginx), the view only decides and hands
the file to nginx with X-Accel-Redirect to that internal prefix; otherwise (development, tests)
it streams the file itself. Either way the answer is a download (Content-Disposition:
attachment), never sniffed (nosniff) and never rendered (a sandboxing CSP).
"""

import posixpath
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

PUBLIC = "public"
PRIVATE = "private"

_RULES: dict[str, Callable] = {}


def register(folder: str, decide: Callable) -> None:
    """`folder` is an upload_to prefix ending in "/" (e.g. "resources/")."""
    if not folder.endswith("/") or folder.startswith("/"):
        raise ValueError(f"a media folder is relative and ends with '/': {folder!r}")
    _RULES[folder] = decide


def _decide(request, name: str):
    for folder, decide in _RULES.items():
        if name.startswith(folder):
            return decide(request, name)
    return None


def _clean(path: str) -> str | None:
    """The stored name for a URL path, or None for anything that leaves MEDIA_ROOT."""
    if "\x00" in path or "\\" in path:
        return None
    name = posixpath.normpath(path).lstrip("/")
    if name in ("", ".") or name.startswith("../") or name == ".." or name != path:
        return None
    return name


def _headers(response: HttpResponse, name: str, access: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=posixpath.basename(name)
    )
    if not settings.MEDIA_ACCEL_REDIRECT:  # else nginx's internal location adds these two
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # A draft's file is for the staff member who asked: no shared cache keeps it.
    response["Cache-Control"] = "public, max-age=3600" if access == PUBLIC else "private, no-store"
    if access == PRIVATE:
        response["Vary"] = "Cookie"
    return response


@require_safe
def serve(request, path: str):
    name = _clean(path)
    access = _decide(request, name) if name else None
    if access not in (PUBLIC, PRIVATE):
        raise Http404
    file = Path(settings.MEDIA_ROOT) / name
    if not file.is_file():
        raise Http404
    if settings.MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type="application/octet-stream")
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT + quote(name)
        # nginx takes the type from the file's extension (its internal location's types).
        del response["Content-Type"]
    else:
        response = FileResponse(file.open("rb"))
    return _headers(response, name, access)
