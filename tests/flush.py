"""A transactional test's flush that empties what the test filled, not every table.

Django ends each transactional test with `flush`: one TRUNCATE of every table (on PostgreSQL each
truncated table and index gets new files, about half a second for this schema) and then the
post-migrate signal, which makes the content types and permissions again under new ids (and
`tests.conftest._roles_after_a_flush` the role groups). Most tests write to a few tables.

The session remembers, right after the migrations, what the tables they fill hold (content types,
permissions, role groups: a fingerprint of their rows). A flush then truncates the tables that
hold rows and are not as the migrations left them, with CASCADE (a table pointing at them goes
too, as TRUNCATE requires). The database ends exactly as a full flush followed by the migrations'
post-migrate steps would leave it, with the migrations' rows under their first ids. When a test
changed one of those tables, all of them are emptied and made again as Django's flush would (the
signal runs), and the state is remembered again at the next test's setup.
"""

from django.core.management.commands import flush as flush_command
from django.db import connections

_baseline: dict[str, dict[str, str | None]] = {}  # database alias -> table -> fingerprint


def _quote(connection, table: str) -> str:
    return connection.ops.quote_name(table)


def _tables(connection) -> list[str]:
    """Every table but the migrations' record, the models' and those made in SQL alike (the search
    documents, which a TRUNCATE of the resources empties by a trigger, not by a reference)."""
    return [
        table
        for table in connection.introspection.table_names(include_views=False)
        if table != "django_migrations"
    ]


def _fingerprints(connection, tables) -> dict[str, str | None]:
    """Each table's rows in one hash (None when it is empty)."""
    if not tables:
        return {}
    sql = " UNION ALL ".join(
        f"SELECT %s, md5(string_agg(t::text, ',' ORDER BY t::text)) FROM {_quote(connection, name)} t"
        for name in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(tables))
        return dict(cursor.fetchall())


def _occupied(connection, tables) -> list[str]:
    if not tables:
        return []
    checks = ", ".join(
        f"CASE WHEN EXISTS (SELECT 1 FROM {_quote(connection, name)}) THEN %s END"
        for name in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT array_remove(ARRAY[{checks}]::text[], NULL)", list(tables))
        return cursor.fetchone()[0]


def remember_migrated_state(alias: str = "default") -> None:
    """Called when the test database is as the migrations leave it (their post-migrate steps and
    the role groups included), unless it is remembered already."""
    connection = connections[alias]
    if alias in _baseline or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW is_superuser")
        if cursor.fetchone()[0] != "on":
            return  # replica mode needs a superuser: Django's own flush then
    _baseline[alias] = _fingerprints(connection, _occupied(connection, _tables(connection)))


def _sql_flush(style, connection, reset_sequences=True, allow_cascade=False):
    baseline = _baseline.get(connection.alias)
    if connection.vendor != "postgresql" or baseline is None or reset_sequences:
        return _django_sql_flush(
            style, connection, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    occupied = _occupied(connection, _tables(connection))
    kept = _fingerprints(connection, [t for t in occupied if t in baseline])
    dirty = [t for t in occupied if t not in baseline or kept[t] != baseline[t]]
    # Emptied by the migrations' tables themselves (a test deleted their rows): made again below.
    dirty += [t for t in baseline if t not in occupied and baseline[t] is not None]
    if not dirty:
        return []  # nothing to empty, and no post-migrate signal needed
    if any(t in baseline for t in dirty):
        # All of them go and are made again together, as after Django's flush: the post-migrate
        # signal makes content types and permissions under new ids, the next test's setup the
        # role groups (`tests.conftest._roles_after_a_flush`), which then remembers them again.
        dirty += [t for t in baseline if t not in dirty]
        del _baseline[connection.alias]
    # DELETE, not TRUNCATE: a few hundred rows go faster than new files for each table and index.
    # Replica mode (for this transaction: `flush` runs the statements in one) lets the tables go in
    # any order and fires no trigger (the search documents, which a trigger on TRUNCATE empties,
    # are among the tables); every table pointing at these is empty or goes too, so no reference
    # is left dangling.
    return [
        "SET LOCAL session_replication_role = replica",
        *(f"DELETE FROM {_quote(connection, table)}" for table in dirty),
        "SET LOCAL session_replication_role = DEFAULT",
    ]


_django_sql_flush = flush_command.sql_flush


def install() -> None:
    flush_command.sql_flush = _sql_flush
