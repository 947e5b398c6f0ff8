"""Backup and restore of the whole portal: every table's data (with its history) and the media.

The archive is database-neutral (Django's serialisation with natural keys), so a backup taken on
PostgreSQL restores on PostgreSQL or SQLite. For very large deployments, `pg_dump` of the database
plus a copy of MEDIA_ROOT is the faster alternative (see README).
"""

import io
import json
import tarfile
import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils.translation import gettext as _

from .api import changes
from .caching import bump_content_version
from .errors import DomainError

FORMAT_VERSION = 2
# Rebuilt by Django itself after migrate/flush, or transient.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]


def _dump_data() -> bytes:
    buffer = io.StringIO()
    excluded = [
        label
        for label in EXCLUDED
        if label.split(".")[0] in {a.label for a in apps.get_app_configs()}
    ]
    # XML keeps datetimes to the microsecond (the JSON encoder rounds them to milliseconds).
    call_command(
        "dumpdata",
        format="xml",
        natural_foreign=True,
        natural_primary=True,
        exclude=excluded,
        indent=None,
        stdout=buffer,
    )
    return buffer.getvalue().encode()


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def create_backup(*, output: Path) -> dict:
    """Write a .tar.gz with manifest.json, data.json and media/; returns the manifest."""
    data = _dump_data()
    media_root = Path(settings.MEDIA_ROOT)
    media_files = (
        sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    )
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(),
        "objects": data.count(b"<object "),
        "media_files": len(media_files),
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(output, "w:gz") as archive:
        _add_bytes(archive, "manifest.json", json.dumps(manifest).encode())
        _add_bytes(archive, "data.xml", data)
        for path in media_files:
            archive.add(
                path, arcname=str(PurePosixPath("media") / path.relative_to(media_root).as_posix())
            )
    return manifest


def _check_members(archive: tarfile.TarFile) -> None:
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        top = path.parts[0] if path.parts else ""
        unsafe = path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir())
        if unsafe or top not in {"manifest.json", "data.xml", "media"}:
            raise DomainError(
                _("The backup contains an unexpected entry: %(name)s") % {"name": member.name}
            )


@contextmanager
def _history_paused():
    """The archive holds the history itself: loading it must not write new history rows
    (simple_history records m2m changes even for raw fixture loads). Restores run in their own
    management process, so switching the setting for its duration is safe."""
    previous = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        yield
    finally:
        settings.SIMPLE_HISTORY_ENABLED = previous


def restore_backup(*, archive_path: Path) -> dict:
    """Replace every table's data and the media with the archive's content."""
    try:
        archive = tarfile.open(archive_path, "r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise DomainError(_("This file is not a readable backup archive.")) from exc
    with archive, tempfile.TemporaryDirectory() as scratch:
        _check_members(archive)
        archive.extractall(scratch, filter="data")
        scratch_path = Path(scratch)
        try:
            manifest = json.loads((scratch_path / "manifest.json").read_text())
        except (OSError, ValueError) as exc:
            raise DomainError(_("The backup has no valid manifest.")) from exc
        if manifest.get("format") != FORMAT_VERSION:
            raise DomainError(_("This backup was written in a format this version cannot read."))
        with transaction.atomic(), _history_paused(), changes.paused():
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(scratch_path / "data.xml"), verbosity=0)
        bump_content_version()
        media_root = Path(settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        for existing in sorted(media_root.rglob("*"), reverse=True):
            existing.unlink() if existing.is_file() else existing.rmdir()
        restored_media = scratch_path / "media"
        if restored_media.exists():
            for source in restored_media.rglob("*"):
                target = media_root / source.relative_to(restored_media)
                if source.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(source.read_bytes())
    return manifest
