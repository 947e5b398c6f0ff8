"""Backup and restore of the whole portal: every table's data (with its history) and the media.

The archive is database-neutral (Django's serialisation with natural keys), so a backup taken on
PostgreSQL restores on PostgreSQL or SQLite. For very large deployments, `pg_dump` of the database
plus a copy of MEDIA_ROOT is the faster alternative (see README).

The archive holds applicants' personal data and password and key hashes: it is created readable by
its owner only. Webhook signing secrets are the one thing in it a reader could use as such, so they
are encrypted with a key derived from SECRET_KEY (a restore with another key deactivates those
endpoints and says so).

A restore brings back an older state, so it also keeps partners' sync sound: the change feed
starts a new epoch (cursors given before answer 410 and ask to re-crawl), event ids stay above
every id ever handed out, each object whose public state the restore changed gets its feed event
and webhooks, and erasures recorded after the backup are replayed (apps register such replays).
"""

import base64
import io
import json
import os
import secrets
import tarfile
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from lxml import etree

from core.caching import bump_content_version
from core.errors import DomainError
from partners import changes
from partners.models import ChangeEvent, FeedEpoch, PublicState, WebhookDelivery, WebhookEvent

FORMAT_VERSION = 4
# The first format whose webhook secrets are encrypted.
ENCRYPTED_SECRETS_FORMAT = 3
# The first format written after the partner models moved to this app.
PARTNERS_APP_FORMAT = 4
# Format 2 (before secrets were encrypted) restores too: its secrets are in clear. Formats 2 and 3
# (before the partner models moved to this app) name them "s4c.…": `_relabel_moved_models`.
READABLE_FORMATS = {2, 3, 4}
# New event ids start this far above the highest id known when restoring: ids handed out by the
# database the backup replaces may be unknown to the restore (restored onto a new database after
# the old one was lost), and a partner must never see one id name two events.
EVENT_ID_MARGIN = 1_000_000
SECRET_MODEL = "partners.webhookendpoint"  # noqa: S105 - a model label, not a password
# A restore under live traffic may lose a deadlock or wait too long for a lock: it is retried.
RESTORE_ATTEMPTS = 5


@dataclass
class Replay:
    """Something a restore must redo: `capture` reads it from the data about to be replaced,
    `replay` re-applies it to the restored data and returns counts for the report."""

    name: str
    capture: Callable[[], object]
    replay: Callable[[object], dict]


REPLAYS: dict[str, Replay] = {}


def register_replay(*, name: str, capture, replay) -> None:
    REPLAYS[name] = Replay(name=name, capture=capture, replay=replay)


# Rebuilt by Django itself after migrate/flush, or transient.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]


def _dump_data() -> bytes:
    buffer = io.StringIO()
    excluded = [
        label
        for label in EXCLUDED
        if label.split(".")[0] in {a.label for a in apps.get_app_configs()}
    ]
    # One snapshot for every table: dumpdata reads the tables one after another, and a backup
    # taken while people submit forms would otherwise hold an application without its e-mail row
    # (or the reverse). REPEATABLE READ gives PostgreSQL's snapshot; SQLite's one writer at a time
    # and a transaction give the same.
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:  # (inside a caller's transaction, that transaction's view is the snapshot)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
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


def _fernet() -> Fernet:
    key = salted_hmac(
        "partners.backup.webhook-secrets", "archive", secret=settings.SECRET_KEY, algorithm="sha256"
    ).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _secret_fields(root):
    for obj in root.iterfind(f"object[@model='{SECRET_MODEL}']"):
        yield obj, obj.find("field[@name='secret']")


def _encrypt_secrets(data: bytes) -> tuple[bytes, int]:
    root = etree.fromstring(data)
    fernet, count = _fernet(), 0
    for _obj, field in _secret_fields(root):
        if field is not None and field.text:
            field.text = fernet.encrypt(field.text.encode()).decode()
            count += 1
    return etree.tostring(root, xml_declaration=True, encoding="utf-8"), count


def _decrypt_secrets(data: bytes) -> tuple[bytes, int]:
    """Decrypt the endpoints' secrets; an endpoint whose secret cannot be decrypted (a backup made
    under another SECRET_KEY) is restored inactive with a new secret. Returns how many were."""
    root = etree.fromstring(data)
    fernet, unreadable = _fernet(), 0
    for obj, field in _secret_fields(root):
        if field is None or not field.text:
            continue
        try:
            field.text = fernet.decrypt(field.text.encode()).decode()
        except InvalidToken:
            field.text = secrets.token_urlsafe(32)
            active = obj.find("field[@name='is_active']")
            if active is not None:
                active.text = "False"
            unreadable += 1
    return etree.tostring(root, xml_declaration=True, encoding="utf-8"), unreadable


def _relabel_moved_models(data: bytes) -> bytes:
    """An archive written before format 4 names the partner models with the library's label: as
    objects (`model="s4c.apikey"`) and in natural keys of content types (a group's permissions, the
    admin's log), which come as `<natural>s4c</natural><natural>apikey</natural>`."""
    moved = {model._meta.model_name for model in apps.get_app_config("partners").get_models()}
    root = etree.fromstring(data)
    for obj in root.iter("object"):
        app_label, _dot, model = (obj.get("model") or "").partition(".")
        if app_label == "s4c" and model in moved:
            obj.set("model", f"partners.{model}")
    for natural in root.iter("natural"):
        following = natural.getnext()
        if (
            natural.text == "s4c"
            and following is not None
            and following.tag == "natural"
            and following.text in moved
        ):
            natural.text = "partners"
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


@contextmanager
def _owner_only_file(output: Path):
    """A file only its owner can read, created so from the start (mkstemp: mode 0600, whatever the
    umask), written under a temporary name and renamed when complete, so that a backup cut short
    never looks like a whole one."""
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def create_backup(*, output: Path) -> dict:
    """Write a .tar.gz with manifest.json, data.xml and media/; returns the manifest."""
    data, encrypted = _encrypt_secrets(_dump_data())
    media_root = Path(settings.MEDIA_ROOT)
    media_files = (
        sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    )
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(),
        "objects": data.count(b"<object "),
        "media_files": len(media_files),
        "feed_epoch": FeedEpoch.current(),
        "webhook_secrets": {
            "encrypted": encrypted,
            "cipher": "fernet, key derived from SECRET_KEY",
        },
    }
    with _owner_only_file(output) as handle, tarfile.open(fileobj=handle, mode="w:gz") as archive:
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


def _highest_event_id() -> int:
    """The highest change-event id this database ever handed out (its sequence remembers ids of
    events since deleted or rolled back), or that a webhook event names."""
    highest = max(
        ChangeEvent.objects.aggregate(m=Max("id"))["m"] or 0,
        WebhookEvent.objects.aggregate(m=Max("cursor"))["m"] or 0,
    )
    table = ChangeEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, 'id'))", [table]
            )
        else:
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
    return max(highest, (row and row[0]) or 0)


def _continue_event_ids_after(last: int) -> None:
    """The next change event gets id `last + 1` (loaddata sets the sequence to the loaded rows'
    maximum, which would hand out again ids given since the backup)."""
    table = ChangeEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, last])
        else:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last, table])
            if not cursor.rowcount:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last]
                )


def _live_feed_state() -> dict:
    """What partners were last told about each object, and what was still owed to them."""
    states = {
        (kind, object_id): (digest, deleted)
        for kind, object_id, digest, deleted in PublicState.objects.values_list(
            "kind", "object_id", "content_hash", "deleted"
        )
    }
    owed = set(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING).values_list(
            "event__kind", "event__object_id"
        )
    )
    return {"states": states, "owed": owed}


def _announce_changes(live: dict) -> dict[str, int]:
    """Record a feed event (and its webhooks) for every object whose public state differs between
    what partners were told before the restore and the restored data, and for every object a
    webhook was still owed for (its pending deliveries are gone with the replaced data).

    The restored public states describe the restored objects, so `changes.record` alone would see
    nothing to say: each state is first set back to what partners last saw, then recorded."""
    restored = {
        (state.kind, state.object_id): state
        for state in PublicState.objects.filter(kind__in=list(changes.KINDS))
    }
    keys = set(restored) | {key for key in live["states"] if key[0] in changes.KINDS}
    counts = {"upsert": 0, "delete": 0}
    for key in sorted(keys | {key for key in live["owed"] if key[0] in changes.KINDS}):
        kind_name, object_id = key
        kind = changes.KINDS[kind_name]
        seen = live["states"].get(key)  # (hash, deleted) or None: never told
        state = restored.get(key)
        now_public = state is not None and not state.deleted
        was_public = seen is not None and not seen[1]
        if key not in live["owed"]:
            if not now_public and not was_public:
                continue
            if now_public and was_public and seen[0] == state.content_hash:
                continue
        if now_public:
            obj = kind.public_queryset().filter(**{kind.lookup: object_id}).first()
            if obj is None:  # a state without its object: say it is gone
                now_public = False
            else:
                state.content_hash = ""  # whatever partners hold differs from it
                state.save(update_fields=["content_hash"])
                counts["upsert"] += bool(changes.record(kind, obj))
                continue
        PublicState.objects.update_or_create(
            kind=kind_name,
            object_id=object_id,
            defaults={"deleted": False, "content_hash": "", "updated_at": timezone.now()},
        )
        changes.record_deleted(kind, object_id)
        counts["delete"] += 1
    return counts


def _lock_everything() -> None:
    """Take every table before reading the live state: nothing can change between what the
    restore captures (erasures, what partners were told) and the flush, and the flush cannot
    deadlock halfway with a request (waiting for one table while holding others). Requests
    wait for the restore's commit, then see the restored data."""
    if connection.vendor != "postgresql":
        return  # SQLite has one writer at a time
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = '10s'")
        names = ", ".join(connection.ops.quote_name(table) for table in sorted(tables))
        cursor.execute(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE")


@transaction.atomic
def _replace_data(data_file: Path, manifest: dict, report: dict) -> None:
    """Replace the data with the archive's, in one transaction, and keep partners and erasures
    right (see the module's docstring); fills `report`."""
    _lock_everything()
    live_epoch = FeedEpoch.current()
    highest = _highest_event_id()
    live_feed = _live_feed_state()
    captured = {name: replay.capture() for name, replay in REPLAYS.items()}
    with _history_paused(), changes.paused():
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(data_file), verbosity=0)
    epoch = max(live_epoch, FeedEpoch.current()) + 1
    FeedEpoch.objects.create(
        number=epoch,
        started_at=timezone.now(),
        restored_from=manifest.get("created_at"),
    )
    first_id = max(highest, _highest_event_id()) + EVENT_ID_MARGIN
    _continue_event_ids_after(first_id - 1)
    for name, replay in REPLAYS.items():
        report[name] = replay.replay(captured[name])
    report["feed"] = {"epoch": epoch, "first_event_id": first_id}
    report["feed"]["events"] = _announce_changes(live_feed)


def _readable_data(data_file: Path, archive_format: int) -> int:
    """Rewrite the archive's data as this version loads it: the partner models under their app's
    label, the secrets decrypted. Returns how many secrets could not be decrypted."""
    if archive_format < PARTNERS_APP_FORMAT:
        data_file.write_bytes(_relabel_moved_models(data_file.read_bytes()))
    if archive_format < ENCRYPTED_SECRETS_FORMAT:
        return 0
    data, unreadable = _decrypt_secrets(data_file.read_bytes())
    data_file.write_bytes(data)
    return unreadable


def restore_backup(*, archive_path: Path) -> dict:
    """Replace every table's data and the media with the archive's content; returns a report:
    the manifest and what the restore did (feed epoch, events, erasures replayed, secrets)."""
    try:
        # Opened outside the `with` so that only the open's own errors become the message.
        archive = tarfile.open(archive_path, "r:gz")  # noqa: SIM115 - closed by the `with` below
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
        if manifest.get("format") not in READABLE_FORMATS:
            raise DomainError(_("This backup was written in a format this version cannot read."))
        data_file = scratch_path / "data.xml"
        unreadable_secrets = _readable_data(data_file, manifest["format"])
        report = {"manifest": manifest, "webhook_endpoints_deactivated": unreadable_secrets}
        for attempt in range(1, RESTORE_ATTEMPTS + 1):
            try:
                _replace_data(data_file, manifest, report)
                break
            except (OperationalError, CommandError) as exc:
                # A deadlock with live traffic or a lock not granted in time (flush reports its
                # own as a CommandError): nothing was changed (one transaction); try again once
                # the requests in the way are done.
                conflict = isinstance(exc, OperationalError) or isinstance(
                    exc.__cause__, OperationalError
                )
                if not conflict or attempt == RESTORE_ATTEMPTS:
                    raise
                time.sleep(attempt)
        report["attempts"] = attempt
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
    return report
