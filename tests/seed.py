"""The shipped content, loaded once per test session and copied into each test that asks for it.

Loading the seeds through the services (history, change capture, search documents) takes seconds;
two dozen test files need that content in dozens of tests. On PostgreSQL the session loads it once,
committed, keeps a binary `COPY` of every table the load filled, and empties those tables again;
the `load_content` fixture then copies the rows back, in the test's own transaction when it has
one. The result is the state a committed `load_south4care` leaves (its commit-time steps
included), byte for byte. Tests about the loader itself still run the command.

Rows the load points at but did not make (content types: a transactional test's flush makes them
again under new ids) are matched by natural key when copied back. The copy is refused, and the
command run instead, whenever it could differ from a real load: another database, or a test that
has already written to one of the tables.
"""

import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase

from core.caching import bump_content_version

# Tables the migrations fill and the load may point at, matched by natural key when copied back.
_NATURAL_KEYS = {"django_content_type": ("app_label", "model")}


@dataclass
class Snapshot:
    tables: dict[str, bytes]  # table -> COPY (FORMAT binary) of its rows
    sequences: dict[str, int]  # a filled table's id sequence -> the largest id loaded
    refs: list[tuple[str, str, str]]  # (table, column, referenced table) into _NATURAL_KEYS
    keys: dict[str, dict[int, tuple]]  # referenced table -> id -> natural key, at the load


_snapshot: Snapshot | None = None


def _tables() -> list[str]:
    return sorted(connection.introspection.table_names(include_views=False))


def _counts(cursor, tables) -> dict[str, int]:
    sql = " UNION ALL ".join(
        f"SELECT %s, count(*) FROM {connection.ops.quote_name(t)}" for t in tables
    )
    cursor.execute(sql, list(tables))
    return dict(cursor.fetchall())


def _natural_keys(cursor, table) -> dict[int, tuple]:
    columns = ", ".join(_NATURAL_KEYS[table])
    cursor.execute(f"SELECT id, {columns} FROM {table}")
    return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


def _references(cursor, tables) -> list[tuple[str, str, str]]:
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
        WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY (%s)
        """,
        [list(tables)],
    )
    return cursor.fetchall()


def take_snapshot() -> Snapshot:
    """Runs the loader, committed, on an empty test database; keeps its rows; empties it again."""
    with connection.cursor() as cursor:
        tables = _tables()
        before = _counts(cursor, tables)
        call_command("load_south4care", stdout=io.StringIO())
        after = _counts(cursor, tables)
        filled = [t for t in tables if after[t] != before[t]]
        changed = [t for t in filled if before[t]]
        if changed:  # rows the load changed in place could not be put back by a copy
            raise RuntimeError(f"the content load changed tables it did not fill: {changed}")
        refs = []
        for table, column, target in _references(cursor, filled):
            if target in filled:
                continue
            cursor.execute(f'SELECT 1 FROM "{table}" WHERE "{column}" IS NOT NULL LIMIT 1')
            if cursor.fetchone() is None:
                continue  # e.g. no user in the history of what the loader wrote
            if target not in _NATURAL_KEYS:
                raise RuntimeError(
                    f"{table}.{column} points at {target}, which the load did not fill"
                )
            refs.append((table, column, target))
        copies = {}
        for table in filled:
            with cursor.cursor.copy(f'COPY "{table}" TO STDOUT (FORMAT binary)') as copy:
                copies[table] = b"".join(bytes(block) for block in copy)
        sequences = {}
        for table in filled:
            for column in (
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ):
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [f'"{table}"', column])
                sequence = cursor.fetchone()[0]
                if sequence:
                    cursor.execute(f'SELECT max("{column}") FROM "{table}"')
                    sequences[sequence] = cursor.fetchone()[0] or 0
        keys = {target: _natural_keys(cursor, target) for target in _NATURAL_KEYS}
        snapshot = Snapshot(tables=copies, sequences=sequences, refs=refs, keys=keys)
        # CASCADE: tables pointing at these are empty (none was filled), but must be named.
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in filled) + " CASCADE")
        if _counts(cursor, tables) != before:
            raise RuntimeError(
                "emptying the loaded tables did not give the database back as it was"
            )
    return snapshot


def _restore(snapshot: Snapshot) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        # Replica mode: no triggers (the rows are already what they produced) and no foreign-key
        # checks while tables arrive in any order; both are back at the end of the transaction.
        cursor.execute("SET LOCAL session_replication_role = replica")
        for table, data in snapshot.tables.items():
            with cursor.cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as copy:
                copy.write(data)
        for target, then in snapshot.keys.items():
            now = {key: id_ for id_, key in _natural_keys(cursor, target).items()}
            moved = {old: now[key] for old, key in then.items() if now.get(key) not in (None, old)}
            for table, column, referenced in snapshot.refs:
                if referenced != target or not moved:
                    continue
                cases = " ".join(f"WHEN {int(old)} THEN {int(new)}" for old, new in moved.items())
                cursor.execute(
                    f'UPDATE "{table}" SET "{column}" = CASE "{column}" {cases} ELSE "{column}" END'
                )
        for sequence, largest in snapshot.sequences.items():
            # Never backwards: a sequence only has to stay above every id it has given.
            cursor.execute(
                f"SELECT setval(%s, GREATEST((SELECT last_value FROM {sequence}), %s))",
                [sequence, max(largest, 1)],
            )
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    # What the load's commit does outside the database: public content changed.
    bump_content_version()


def _load_committed() -> None:
    """The command, with what its commit runs (the change feed's and the caches' steps) run at
    once: a test's transaction never commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("load_south4care", stdout=io.StringIO())


def restore_or_load() -> None:
    """The state `load_south4care` leaves once committed: copied from the session's load where it
    can be, loaded by the command where it cannot."""
    if _snapshot is None:  # not PostgreSQL
        _load_committed()
        return
    with connection.cursor() as cursor:
        occupied = any(_counts(cursor, _snapshot.tables).values())
    if occupied:  # a test wrote first: only the add-only loader merges with what is there
        _load_committed()
    else:
        _restore(_snapshot)


@pytest.fixture(scope="session")
def _content_snapshot(django_db_setup, django_db_blocker):
    global _snapshot  # noqa: PLW0603 - one per test process, read by restore_or_load()
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock():
            _snapshot = take_snapshot()
    yield
    _snapshot = None


@pytest.fixture
def load_content(_content_snapshot):
    """Call it to have the shipped content: in the test's transaction, or committed under
    `transactional_db` (as the command would leave it)."""
    return restore_or_load
