"""The change feed: every change to a public object of any kind, recorded in the same transaction.

Each app registers its public kinds (model, public queryset, serializer, and the `follows` paths
along which other rows appear in its representation) from its AppConfig. What was written is
captured by the database itself (partners/capture.py); `record_many` recomputes the public
representation of the objects those writes reached: only a representation that differs from the
last published one emits an `upsert`, and an object that stops being public (or changes its public
id) emits a `delete` (its tombstone). Each change also writes its webhook event and deliveries
(partners/webhooks.py).
"""

import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.links import origin_from_settings
from partners.capture import captured, paused  # noqa: F401 - the services' entry points
from partners.models import ChangeEvent, PublicState
from partners.webhooks import emit


@dataclass
class Kind:
    name: str
    model: type
    public_queryset: Callable  # returns the public queryset
    serializer: type
    lookup: str = "pk"
    # Lookup paths from `model` to the rows its representation shows (links, children, related
    # objects' names): a write to any of them re-records the objects it reaches.
    follows: tuple[str, ...] = ()
    # What other public surfaces show of an object beyond its API representation (the names of
    # its themes in OAI records, say): part of what "changed" means.
    shown: Callable | None = None
    # The queryset the representations are computed from (prefetching what they read).
    digest_queryset: Callable | None = None

    @property
    def lookup_column(self) -> str:
        return (
            self.model._meta.get_field(self.lookup).column
            if self.lookup != "pk"
            else (self.model._meta.pk.column)
        )


KINDS: dict[str, Kind] = {}
# Models shown on public pages that are no kind of the feed (e.g. site texts): their writes only
# start a new content version.
PAGE_MODELS: list[type] = []


def register(kind: Kind) -> None:
    KINDS[kind.name] = kind


def register_page_model(model: type) -> None:
    PAGE_MODELS.append(model)


def _object_id(kind: Kind, obj) -> str:
    return str(getattr(obj, kind.lookup))


def _digest(kind: Kind, data: dict, obj) -> str:
    data = {k: v for k, v in data.items() if k not in {"updated_at", "url"}}
    if kind.shown is not None:
        data = {"api": data, "shown": kind.shown(obj)}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


# The key of the PostgreSQL advisory lock that orders feed writes (any constant of ours).
FEED_LOCK = 0x53344346


def serialise_feed_writes() -> None:
    """Hold the feed's lock until this transaction ends, so event ids follow commit order.

    Without it, a transaction could take event id 9, another id 10 and commit first: a consumer
    reading then gets 10, resumes after it, and never sees 9. A flush takes it before it reads
    (partners/capture.py) and the transaction commits right after, so it is held while one
    flush computes and writes its events. SQLite serialises writers by itself.

    The foreign-key checks Django defers to the commit run first, before the lock is taken: a
    check can wait for another transaction (one deleting the theme a new link names), and that
    one, at its own end, for this lock: "deadlock detected". Checked here, a refused link waits
    holding nothing of the feed. (Django's constraints are all deferred: setting them back to
    deferred restores the transaction's rule for what it writes next.)
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK])


def _emit(kind: Kind, object_id: str, action: str, now) -> None:
    change = ChangeEvent.objects.create(
        kind=kind.name, object_id=object_id, action=action, changed_at=now
    )
    emit(change=change)


CHUNK = 500


class _NoStates(dict):
    """Serializer context for digests: `updated_at` is no part of them, so no state is read."""

    def __contains__(self, key) -> bool:
        return True

    def __getitem__(self, key):
        return None


def _digests(kind: Kind, pks: list) -> dict:
    """pk → (public id, digest) of the public objects among `pks`."""
    queryset = (kind.digest_queryset or kind.public_queryset)().filter(pk__in=pks)
    objects = list(queryset)
    context = {"lang": None, "request": None, "states": _NoStates()}
    with origin_from_settings():
        data = kind.serializer(objects, many=True, context=context).data
    return {
        obj.pk: (_object_id(kind, obj), _digest(kind, item, obj))
        for obj, item in zip(objects, data, strict=True)
    }


@transaction.atomic(savepoint=False)
def record_many(kind: Kind, *, pks: Iterable, seen: dict | None = None) -> int:  # noqa: PLR0912 - the feed's one write step (upserts, tombstones)
    """Record the objects `pks` of `kind` as they now are; returns the events written.

    `seen` maps a pk to the public ids captured for it (old and new row images): an id that is no
    longer the object's (a changed slug, a deleted row) gets its tombstone."""
    seen = seen or {}
    written_ids: list[str] = []
    locked = False
    for chunk in _chunks(pks):
        public = _digests(kind, chunk)
        current_ids = {pk: object_id for pk, (object_id, _digest) in public.items()}
        hidden = [pk for pk in chunk if pk not in public]
        if hidden:
            # Objects that exist but are not public (a withdrawn resource): their current id.
            rows = kind.model._base_manager.filter(pk__in=hidden)
            if kind.lookup == "pk":
                current_ids.update((pk, str(pk)) for pk in rows.values_list("pk", flat=True))
            else:
                current_ids.update(
                    (pk, str(value)) for pk, value in rows.values_list("pk", kind.lookup)
                )
        retired = {
            str(value)
            for pk in chunk
            for value in seen.get(pk, ())
            if value is not None and str(value) != current_ids.get(pk)
        }
        public_ids = {object_id for object_id, _digest in public.values()}
        candidates = set(current_ids.values()) | retired
        states = {
            state.object_id: state
            for state in PublicState.objects.filter(kind=kind.name, object_id__in=candidates)
        }
        now = timezone.now()
        changes: list[tuple[str, str, str | None]] = []
        for object_id, digest in sorted(public.values()):
            state = states.get(object_id)
            if state is None or state.deleted or state.content_hash != digest:
                changes.append((object_id, "upsert", digest))
        for object_id in sorted(candidates - public_ids):
            state = states.get(object_id)
            if state is not None and not state.deleted:
                changes.append((object_id, "delete", None))
        if not changes:
            continue
        if not locked:
            serialise_feed_writes()
            locked = True
        for object_id, action, digest in changes:
            state = states.get(object_id)
            if state is None:
                PublicState.objects.create(
                    kind=kind.name, object_id=object_id, content_hash=digest, updated_at=now
                )
            else:
                state.updated_at = now
                state.deleted = action == "delete"
                if digest is not None:
                    state.content_hash = digest
                state.save(update_fields=["updated_at", "deleted", "content_hash"])
            _emit(kind, object_id, action, now)
            written_ids.append(object_id)
    if written_ids:
        transaction.on_commit(functools.partial(_restamp, kind.name, written_ids))
    return len(written_ids)


def _restamp(kind_name: str, object_ids: list[str]) -> None:
    """Date the changes of a transaction that just committed by its commit, not by its flush.

    A change is dated as its transaction records it, a moment before the commit (longer for a
    large one: a theme's rename re-records its resources first). A client that read the object
    in between got the old representation with an earlier date of the same second, and asking
    `If-Modified-Since` that second would be told nothing changed; an OAI harvest in between
    (`until` now) would pass a datestamp its next `from` is already later than. Moving the dates
    to the commit closes both; dates only ever move later.
    """
    now = timezone.now()
    for start in range(0, len(object_ids), CHUNK):
        PublicState.objects.filter(
            kind=kind_name, object_id__in=object_ids[start : start + CHUNK], updated_at__lt=now
        ).update(updated_at=now)


def _chunks(pks: Iterable):
    pks = sorted(set(pks))
    for start in range(0, len(pks), CHUNK):
        yield pks[start : start + CHUNK]


@transaction.atomic(savepoint=False)
def record_deleted(kind: Kind, object_id: str) -> None:
    """Give a public object its tombstone (a restore announcing what it removed)."""
    state = PublicState.objects.filter(kind=kind.name, object_id=object_id, deleted=False).first()
    if state:
        serialise_feed_writes()
        now = timezone.now()
        state.deleted, state.updated_at = True, now
        state.save(update_fields=["deleted", "updated_at"])
        _emit(kind, object_id, "delete", now)
        transaction.on_commit(functools.partial(_restamp, kind.name, [object_id]))


def record(kind: Kind, obj) -> str | None:
    """Record one object as it now is (a convenience over `record_many`)."""
    return "changed" if record_many(kind, pks=[obj.pk]) else None


def public_updated_at(obj, *, states=None):
    kind = next((k for k in KINDS.values() if isinstance(obj, k.model)), None)
    if kind is None:
        return getattr(obj, "updated_at", None)
    object_id = _object_id(kind, obj)
    if states is not None and (kind.name, object_id) in states:
        # None: the page's query found no state (an object never recorded, e.g. bulk-loaded).
        return states[(kind.name, object_id)] or getattr(obj, "updated_at", None)
    state = (
        PublicState.objects.filter(kind=kind.name, object_id=object_id).only("updated_at").first()
    )
    return state.updated_at if state else getattr(obj, "updated_at", None)


def states_for(objects) -> dict:
    """Public timestamps of a page of objects in one query (None for objects without a state, so
    that `public_updated_at` does not query again for each of them)."""
    objects = list(objects)
    if not objects:
        return {}
    kind = next(k for k in KINDS.values() if isinstance(objects[0], k.model))
    ids = [_object_id(kind, o) for o in objects]
    rows = PublicState.objects.filter(kind=kind.name, object_id__in=ids).values_list(
        "object_id", "updated_at"
    )
    states = dict.fromkeys(((kind.name, object_id) for object_id in ids), None)
    states.update({(kind.name, object_id): stamp for object_id, stamp in rows})
    return states


def was_public(kind_name: str, object_id: str) -> bool:
    return PublicState.objects.filter(kind=kind_name, object_id=object_id, deleted=True).exists()


def kind_updated_at(kind_name: str):
    """When an object of this kind last changed in public, including one that stopped being public
    (its tombstone keeps the date): what a list's `Last-Modified` must not precede."""
    return PublicState.objects.filter(kind=kind_name).aggregate(latest=Max("updated_at"))["latest"]


def rebuild() -> int:
    """Record every object (after a restore, or to seed the feed of an existing database)."""
    count = 0
    with transaction.atomic():
        for kind in KINDS.values():
            count += record_many(kind, pks=kind.model._base_manager.values_list("pk", flat=True))
    return count
