"""Change capture: the database records every row written to a public table; one step turns them
into change-feed events.

Why the database: a representation can change through paths no Python hook sees —
`QuerySet.update()`, a cascade or `SET_NULL` run by the delete collector, m2m rows, a related
object's rename, raw SQL. Triggers on every table a public representation is built from (each
kind's own table and the tables its `follows` paths reach) copy the written rows' key columns into
`s4c_capturedrow`, in the writer's own transaction: a write cannot escape them, and a write that
rolls back leaves nothing. (PostgreSQL: statement-level triggers with transition tables, one
insert per statement however many rows; SQLite, the embedded default: row-level triggers.)

`flush()` claims those rows, maps each to the public objects it can change (by the kinds'
`follows` paths), recomputes their representations and records an `upsert` or a `delete` for each
one that changed (partners.changes). Services run inside `captured()`, which flushes just before
the outermost block ends, so their events are written in the change's own transaction. A write
made elsewhere (a shell, a migration, a stray ORM call) is flushed right after it commits, or by
the periodic sweep and the next read of the change feed: late, never lost.
"""

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache as memoize

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

logger = logging.getLogger(__name__)

CAPTURE_TABLE = "s4c_capturedrow"
# Set on the connection while a `captured()` block runs: its end flushes, nothing else must.
_CAPTURING = "_s4c_capturing"


@dataclass(frozen=True)
class Rule:
    """A captured row of some table changes objects of `kind`: the row's `column` holds the pk
    of the kind's model itself (`via` None) or of the object reached by the lookup `via`."""

    kind: str
    column: str
    via: str | None = None


def _rules_for(kind) -> dict[str, list[Rule]]:
    """The tables whose rows can change this kind's representation, from its `follows` paths."""
    model = kind.model
    rules: dict[str, list[Rule]] = defaultdict(list)
    rules[model._meta.db_table].append(Rule(kind.name, model._meta.pk.column))
    for path in kind.follows:
        current, prefix = model, ""
        for name in path.split("__"):
            field = current._meta.get_field(name)
            here = f"{prefix}__{name}" if prefix else name
            target = field.related_model
            if field.many_to_many and not field.auto_created:
                # The link rows name the object on this side; the target's own rows (a rename)
                # reach the objects linked to it.
                through = field.remote_field.through
                rules[through._meta.db_table].append(
                    Rule(kind.name, field.m2m_column_name(), prefix or None)
                )
                rules[target._meta.db_table].append(Rule(kind.name, target._meta.pk.column, here))
            elif field.one_to_many or (field.one_to_one and field.auto_created):
                # Child rows name their parent: old and new images both count, so a deleted or
                # moved child reaches the parent it left.
                rules[target._meta.db_table].append(
                    Rule(kind.name, field.field.column, prefix or None)
                )
            elif field.many_to_one or field.one_to_one:
                rules[target._meta.db_table].append(Rule(kind.name, target._meta.pk.column, here))
            else:
                raise ValueError(f"{kind.name}: cannot follow {path!r} ({field!r})")
            current, prefix = target, here
    return rules


@memoize
def rules() -> dict[str, list[Rule]]:
    from partners.changes import KINDS, PAGE_MODELS

    merged: dict[str, list[Rule]] = defaultdict(list)
    for kind in KINDS.values():
        for table, table_rules in _rules_for(kind).items():
            merged[table].extend(table_rules)
    for model in PAGE_MODELS:
        merged.setdefault(model._meta.db_table, [])
    return dict(merged)


@memoize
def watched_columns() -> dict[str, list[str]]:
    """table → the columns its triggers copy (the rules' columns, and each kind's lookup)."""
    from partners.changes import KINDS, PAGE_MODELS

    columns: dict[str, set[str]] = defaultdict(set)
    for table, table_rules in rules().items():
        columns[table].update(rule.column for rule in table_rules)
    for kind in KINDS.values():
        columns[kind.model._meta.db_table].add(kind.lookup_column)
    for model in PAGE_MODELS:
        columns[model._meta.db_table].add(model._meta.pk.column)
    return {table: sorted(cols) for table, cols in sorted(columns.items())}


# --- triggers ----------------------------------------------------------------------------------


def _postgres_ddl(table: str, columns: list[str]) -> str:
    function = f"s4c_capture_{table}"
    image = ", ".join(f"'{c}', r.{connection.ops.quote_name(c)}" for c in columns)
    insert = f"INSERT INTO {CAPTURE_TABLE} (table_name, data) SELECT '{table}', jsonb_build_object({image})"
    quoted = connection.ops.quote_name(table)
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN {insert} FROM old_rows r; END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN {insert} FROM new_rows r; END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS {function}_i ON {quoted};
DROP TRIGGER IF EXISTS {function}_u ON {quoted};
DROP TRIGGER IF EXISTS {function}_d ON {quoted};
CREATE TRIGGER {function}_i AFTER INSERT ON {quoted} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {function}_u AFTER UPDATE ON {quoted}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {function}_d AFTER DELETE ON {quoted} REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""


def _sqlite_ddl(table: str, columns: list[str]) -> list[str]:
    def image(row: str) -> str:
        pairs = ", ".join(f"'{c}', {row}.\"{c}\"" for c in columns)
        return (
            f"INSERT INTO {CAPTURE_TABLE} (table_name, data) "  # noqa: S608 - trigger DDL: names from the models' metadata
            f"VALUES ('{table}', json_object({pairs}));"
        )

    name = f"s4c_capture_{table}"
    return [
        f'CREATE TRIGGER {name}_i AFTER INSERT ON "{table}" BEGIN {image("NEW")} END',
        f'CREATE TRIGGER {name}_u AFTER UPDATE ON "{table}" BEGIN {image("OLD")} {image("NEW")} END',
        f'CREATE TRIGGER {name}_d AFTER DELETE ON "{table}" BEGIN {image("OLD")} END',
    ]


def _ddl_signature() -> str:
    return hashlib.sha256(json.dumps(watched_columns()).encode()).hexdigest()[:16]


def install_triggers(using=None, **_kwargs) -> bool:
    """Create or refresh the capture triggers (after every `migrate`); True if anything changed.

    A marker records which set of tables and columns is installed, so the frequent post-migrate
    signals of test database flushes cost one query."""
    from django.db import connections

    conn = connections[using or "default"]
    signature = _ddl_signature()
    marker = f"s4c_capture_{signature}"
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_proc WHERE proname = %s", [marker])
            if cursor.fetchone():
                return False
            cursor.execute("SELECT proname FROM pg_proc WHERE proname LIKE 's4c\\_capture\\_%%'")
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}() CASCADE")
            for table, columns in watched_columns().items():
                cursor.execute(_postgres_ddl(table, columns))
            cursor.execute(f"CREATE FUNCTION {marker}() RETURNS void LANGUAGE sql AS $$ SELECT $$")
        elif conn.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 's4c_capture_%'"
            )
            existing = {name for (name,) in cursor.fetchall()}
            if f"{marker}_marker" in existing:
                return False
            for name in existing:
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            for table, columns in watched_columns().items():
                for statement in _sqlite_ddl(table, columns):
                    cursor.execute(statement)
            # The marker: a trigger that never fires (nothing updates the capture table's id).
            cursor.execute(
                f"CREATE TRIGGER {marker}_marker AFTER UPDATE OF id ON {CAPTURE_TABLE} "
                "BEGIN SELECT 1; END;"
            )
        else:
            raise NotImplementedError(f"change capture has no triggers for {conn.vendor}")
    return True


# --- flushing ----------------------------------------------------------------------------------


def _claim() -> list[tuple[str, dict]]:
    """Take every captured row this transaction can see (its own, and any committed by writes
    nobody flushed), deleting them so that each is handled once."""
    conn = transaction.get_connection()
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            # SKIP LOCKED: rows another flush is taking are its own to handle, never waited for.
            cursor.execute(
                f"DELETE FROM {CAPTURE_TABLE} WHERE id IN (SELECT id FROM {CAPTURE_TABLE} "  # noqa: S608 - names from this module's constants; values are parameters
                "ORDER BY id FOR UPDATE SKIP LOCKED) RETURNING table_name, data"
            )
            # Django reads jsonb as text (JSONField decodes it): so do we.
            return [
                (table, json.loads(data) if isinstance(data, str) else data)
                for table, data in cursor.fetchall()
            ]
        cursor.execute(f"SELECT id, table_name, data FROM {CAPTURE_TABLE} ORDER BY id")  # noqa: S608 - names from this module's constants; values are parameters
        rows = cursor.fetchall()
        if rows:
            cursor.execute(f"DELETE FROM {CAPTURE_TABLE} WHERE id <= %s", [rows[-1][0]])  # noqa: S608 - names from this module's constants; values are parameters
        return [(table, json.loads(data)) for _id, table, data in rows]


def _in_chunks(values: Iterable, size: int = 5000):
    values = sorted(values, key=str)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _resolve(rows) -> tuple[dict, dict, bool]:
    """Captured rows → (kind → pks to record, kind → {pk: lookup values seen}, page tables hit)."""
    from partners.changes import KINDS

    table_rules = rules()
    by_via: dict[tuple[str, str | None], set] = defaultdict(set)
    seen: dict[str, dict] = defaultdict(lambda: defaultdict(set))
    pages = False
    for table, data in rows:
        if table not in table_rules:
            continue
        if not table_rules[table]:
            pages = True
        for rule in table_rules[table]:
            value = data.get(rule.column)
            if value is None:
                continue
            by_via[(rule.kind, rule.via)].add(value)
            kind = KINDS[rule.kind]
            if rule.via is None and table == kind.model._meta.db_table:
                seen[rule.kind][value].add(data.get(kind.lookup_column))
    targets: dict[str, set] = defaultdict(set)
    for (name, via), values in sorted(
        by_via.items(), key=lambda item: (item[0][0], item[0][1] or "")
    ):
        if via is None:
            targets[name] |= values
            continue
        model = KINDS[name].model
        for chunk in _in_chunks(values):
            targets[name].update(
                model._base_manager.filter(**{f"{via}__in": chunk})
                .values_list("pk", flat=True)
                .distinct()
            )
    return targets, seen, pages


def flush() -> int:
    """Record the changes captured so far (see the module's docstring); returns events written."""
    from core.caching import bump_content_version
    from partners.changes import KINDS, record_many, serialise_feed_writes

    with transaction.atomic():
        rows = _claim()
        if not rows:
            return 0
        # The feed's lock before anything is read: what this transaction's writes reach is then
        # computed with every earlier flushed transaction committed. Computed first, a publication
        # still uncommitted elsewhere was invisible here, and the object's last event missed
        # what this transaction changed in it (a theme renamed as its resource was published).
        serialise_feed_writes()
        targets, seen, pages = _resolve(rows)
        events = 0
        for name in sorted(targets):
            events += record_many(KINDS[name], pks=targets[name], seen=seen.get(name, {}))
        if events or pages:
            # Caches follow public change only: private writes have no triggers at all.
            transaction.on_commit(bump_content_version)
    return events


def sweep() -> int:
    """Flush what writes outside `captured()` left (the periodic task; reads of the feed)."""
    try:
        return flush()
    except Exception:
        logger.exception("change capture: the sweep failed; the rows stay for the next one")
        return 0


@contextmanager
def captured():
    """A transaction whose changes are recorded in it, just before the outermost block ends.

    Every service runs in one (`@captured()` works as a decorator too)."""
    with transaction.atomic():
        conn = transaction.get_connection()
        outermost = not getattr(conn, _CAPTURING, False)
        setattr(conn, _CAPTURING, True)
        try:
            yield
            if outermost:
                flush()
        finally:
            if outermost:
                setattr(conn, _CAPTURING, False)


class CapturedWritesMiddleware:
    """Every request that may write (POST, PUT, PATCH, DELETE) runs in `captured()`: an admin
    save with its inlines and m2m fields, a bulk action, a history revert, a form — whatever the
    view calls — is recorded in its own transaction, whether or not the view remembered to."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.SAFE:
            return self.get_response(request)
        with captured():
            return self.get_response(request)


# --- writes outside captured(): flushed right after they commit --------------------------------


class _AfterCommit:
    done = False

    def __call__(self):
        self.done = True
        sweep()


def _schedule_after_commit(sender, **kwargs) -> None:
    if kwargs.get("raw") or sender._meta.db_table not in rules():
        return
    conn = transaction.get_connection()
    if getattr(conn, _CAPTURING, False) or getattr(conn, "_s4c_capture_paused", False):
        return
    # Once per transaction: a callback still waiting for this transaction's commit will do.
    pending = getattr(conn, "_s4c_after_commit", None)
    if (
        conn.in_atomic_block
        and pending is not None
        and not pending.done
        and any(entry[1] is pending for entry in conn.run_on_commit)
    ):
        return
    # Our own marks on the connection (the one object a transaction's writes share).
    conn._s4c_after_commit = _AfterCommit()  # noqa: SLF001 - our mark, see above
    transaction.on_commit(conn._s4c_after_commit)  # noqa: SLF001 - our mark


def _schedule_m2m(sender, instance, action, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        _schedule_after_commit(sender)


@contextmanager
def paused():
    """Nothing recorded: a restore brings the feed's own tables back as they were, and whatever
    its writes captured is discarded."""
    conn = transaction.get_connection()
    conn._s4c_capture_paused = True  # noqa: SLF001 - our own mark on the connection
    try:
        yield
        with conn.cursor() as cursor:
            cursor.execute(f"DELETE FROM {CAPTURE_TABLE}")  # noqa: S608 - names from this module's constants; values are parameters
    finally:
        conn._s4c_capture_paused = False  # noqa: SLF001 - our own mark on the connection


def connect() -> None:
    post_migrate.connect(_installer, dispatch_uid="s4c-capture-install")
    post_save.connect(_schedule_after_commit, dispatch_uid="s4c-capture-save")
    post_delete.connect(_schedule_after_commit, dispatch_uid="s4c-capture-delete")
    m2m_changed.connect(_schedule_m2m, dispatch_uid="s4c-capture-m2m")


def _installer(sender, using="default", **kwargs) -> None:
    if sender.name == "partners":
        install_triggers(using)
