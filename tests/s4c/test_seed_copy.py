"""The copied content (tests/seed.py) is what the command makes: the suite's many tests that use the
copy would otherwise test a state no deployment has."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from tests import seed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _state() -> dict:
    """Per table the copy fills: its rows, without the columns a second load dates differently."""
    state = {}
    with connection.cursor() as cursor:
        for table in seed._snapshot.tables:
            columns = [
                c.name
                for c in connection.introspection.get_table_description(cursor, table)
                # Moments (timestamp, timestamptz), row ids (integers) and hashes of
                # representations holding moments differ from one load to another.
                if c.type_code not in {1114, 1184}
                and not (c.name == "id" or (c.name.endswith("_id") and c.type_code in {20, 23}))
                and c.name
                not in {"content_hash", "object_id"}  # a deliverable's public id is its row id
                # A loaded seed's key names its parent by row id (core.loading).
                and (table, c.name) != ("s4c_loadedseed", "key")
            ]
            listed = ", ".join(f'"{c}"::text' for c in columns)
            cursor.execute(f'SELECT {listed} FROM "{table}"')
            state[table] = sorted(map(repr, cursor.fetchall()))
    return state


def test_the_copy_holds_what_the_command_loads(load_content):
    load_content()
    copied = _state()
    with connection.cursor() as cursor:
        copied_counts = seed._counts(cursor, seed._tables())
    assert copied["hub_resource"]  # the content is there
    # In a savepoint: the copied rows go, the command loads the content afresh.
    sid = transaction.savepoint()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE " + ", ".join(f'"{t}"' for t in seed._snapshot.tables) + " CASCADE"
        )
    call_command("load_south4care", stdout=io.StringIO())
    loaded = _state()
    with connection.cursor() as cursor:
        loaded_counts = seed._counts(cursor, seed._tables())
    transaction.savepoint_rollback(sid)
    assert copied_counts == loaded_counts  # no table the load fills is left out of the copy
    assert copied.keys() == loaded.keys()
    for table in copied:
        assert copied[table] == loaded[table], table
