"""A second PostgreSQL connection to the test database, beside Django's (to lock a table, or to
end Django's session as a restart would)."""

import psycopg
from django.db import connection


def second_connection(**options) -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        **options,
    )
