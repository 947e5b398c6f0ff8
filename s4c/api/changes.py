"""The change feed: every change to a public object of any kind, recorded in the same transaction.

Each app registers its public kinds (model, public queryset, serializer). Signal receivers (a side
concern, decoupled from the apps' services) recompute the object's public representation after a
save; only a representation that differs from the last published one emits an `upsert`, and an
object that stops being public emits a `delete` (its tombstone). Each change also writes its
webhook event and deliveries (s4c/webhooks.py).

Inside a transaction, the objects touched are recorded once, just before the transaction commits
(a hook on the connection's commit), so the feed, the webhook events and the change commit or roll
back together. Changes made outside any transaction are recorded right after the save.
"""

import hashlib
import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from s4c.models import ChangeEvent, PublicState


@dataclass
class Kind:
    name: str
    model: type
    public_queryset: object  # a callable returning the public queryset
    serializer: type
    lookup: str = "pk"
    # Models whose changes alter this kind's representation: model → function(instance) → objects.
    dependencies: dict = field(default_factory=dict)


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.name] = kind


def _object_id(kind: Kind, obj) -> str:
    return str(getattr(obj, kind.lookup))


def representation_hash(kind: Kind, obj) -> str:
    data = kind.serializer(obj, context={"lang": None, "request": None, "states": {}}).data
    data = {k: v for k, v in data.items() if k not in {"updated_at", "url"}}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


# The key of the PostgreSQL advisory lock that orders feed writes (any constant of ours).
FEED_LOCK = 0x53344346


def _serialise_feed_writes() -> None:
    """Hold the feed's lock until this transaction ends, so event ids follow commit order.

    Without it, a transaction could take event id 9, another id 10 and commit first: a consumer
    reading then gets 10, resumes after it, and never sees 9. Events are written just before
    commit, so the lock is held for an instant. SQLite serialises writers by itself.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK])


def _emit(kind: Kind, object_id: str, action: str, now) -> None:
    from s4c.webhooks import emit

    _serialise_feed_writes()
    change = ChangeEvent.objects.create(
        kind=kind.name, object_id=object_id, action=action, changed_at=now
    )
    emit(change=change)


@transaction.atomic(savepoint=False)
def record(kind: Kind, obj) -> str | None:
    """Publish the object's current state to the feed if it changed; returns the action emitted."""
    object_id = _object_id(kind, obj)
    public = kind.public_queryset().filter(pk=obj.pk).first()
    state = PublicState.objects.filter(kind=kind.name, object_id=object_id).first()
    now = timezone.now()
    if public is not None:
        digest = representation_hash(kind, public)
        if state and not state.deleted and state.content_hash == digest:
            return None
        PublicState.objects.update_or_create(
            kind=kind.name,
            object_id=object_id,
            defaults={"content_hash": digest, "updated_at": now, "deleted": False},
        )
        _emit(kind, object_id, "upsert", now)
        return "upsert"
    if state and not state.deleted:
        state.deleted, state.updated_at = True, now
        state.save(update_fields=["deleted", "updated_at"])
        _emit(kind, object_id, "delete", now)
        return "delete"
    return None


@transaction.atomic(savepoint=False)
def record_deleted(kind: Kind, object_id: str) -> None:
    state = PublicState.objects.filter(kind=kind.name, object_id=object_id, deleted=False).first()
    if state:
        now = timezone.now()
        state.deleted, state.updated_at = True, now
        state.save(update_fields=["deleted", "updated_at"])
        _emit(kind, object_id, "delete", now)


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


# --- signal wiring ---------------------------------------------------------------------------


def _targets(sender, instance):
    for kind in KINDS.values():
        if sender is kind.model:
            yield kind, instance
        for dependency, resolve in kind.dependencies.items():
            if sender is dependency:
                for obj in resolve(instance):
                    if obj is not None:
                        yield kind, obj


_pending = threading.local()
_paused = threading.local()


class _Flush:
    """Records one transaction's pending objects.

    It runs just before the transaction commits (`_before_commit`), inside it. It is also registered
    as an on-commit callback, which finds nothing left to do after a real commit: the callback only
    marks the transaction (Django drops it on rollback) and lets tests that run inside a transaction
    that never commits flush with `captureOnCommitCallbacks(execute=True)`.
    """

    def __call__(self):
        items, _pending.items, _pending.flush = getattr(_pending, "items", {}) or {}, {}, None
        if not items:
            return
        with transaction.atomic():
            for kind, model, pk in items.values():
                obj = model.objects.filter(pk=pk).first()
                if obj is not None:
                    record(kind, obj)


def _before_commit(connection) -> None:
    flush = getattr(_pending, "flush", None)
    if flush is None:
        return
    if not any(entry[1] is flush for entry in connection.run_on_commit):
        _pending.items, _pending.flush = {}, None  # left over from a rolled-back transaction
        return
    flush()


def _hook_commit(sender=None, connection=None, **kwargs) -> None:
    """Wrap the connection's commit so pending records are written inside the transaction."""
    if connection is None or getattr(connection, "_s4c_feed_hooked", False):
        return
    commit = connection.commit

    def commit_with_feed():
        try:
            _before_commit(connection)
        except BaseException:
            # The change and its feed entry go together: nothing is committed.
            connection.rollback()
            raise
        commit()

    connection.commit = commit_with_feed
    connection._s4c_feed_hooked = True


def _schedule(kind: Kind, obj) -> None:
    """Record each object once per transaction, just before it commits.

    A loader or an admin save touches an object many times (fields, m2m, child rows); computing its
    public representation once, at the end, is both cheaper and the only state that matters.
    """
    if getattr(_paused, "on", False):
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        record(kind, obj)
        return
    flush = getattr(_pending, "flush", None)
    if flush is None or not any(entry[1] is flush for entry in connection.run_on_commit):
        # Whatever is pending belongs to a transaction that rolled back (callbacks discarded).
        _pending.items, _pending.flush = {}, _Flush()
        transaction.on_commit(_pending.flush)
    _pending.items[(kind.name, obj.pk)] = (kind, type(obj), obj.pk)


@contextmanager
def paused():
    """No recording (a restore brings the feed's own tables back as they were)."""
    _paused.on = True
    try:
        yield
    finally:
        _paused.on = False


def _on_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    for kind, obj in list(_targets(sender, instance)):
        _schedule(kind, obj)


def _on_delete(sender, instance, **kwargs):
    if getattr(_paused, "on", False):
        return
    for kind, obj in list(_targets(sender, instance)):
        if sender is kind.model:
            record_deleted(kind, _object_id(kind, obj))
        else:
            _schedule(kind, obj)


def _on_m2m(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        _on_save(type(instance), instance)


def connect() -> None:
    from django.db import connections

    connection_created.connect(_hook_commit, dispatch_uid="s4c-api-changes-commit")
    for connection in connections.all(initialized_only=True):
        _hook_commit(connection=connection)
    post_save.connect(_on_save, dispatch_uid="s4c-api-changes-save")
    post_delete.connect(_on_delete, dispatch_uid="s4c-api-changes-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="s4c-api-changes-m2m")


def rebuild() -> int:
    """Record every public object (after a restore, or to seed the feed of an existing database)."""
    count = 0
    with transaction.atomic():
        for kind in KINDS.values():
            for obj in kind.public_queryset():
                count += bool(record(kind, obj))
    return count
