"""Search documents synced in one order by every writer, as upserts (PostgreSQL only).

The sync deleted a batch's documents and inserted them again. Two writers syncing overlapping
resources (a theme rename's re-index while curators edit) locked the same documents in different
orders — "deadlock detected" — and two inserting the same new document raced to a duplicate key.
Now each sync locks the batch's documents in resource order, upserts the public ones in that
order (rewriting only what differs) and deletes the rest: every writer takes locks in the same
order, and an insert that meets another's waits for it and updates instead.

The committed search version of 0004 fed the in-memory engine, which is gone: its deferred
trigger took one shared row at every commit that changed documents — the last lock, but before
the deferred foreign-key checks, so it deadlocked with them. It is dropped.
"""

from importlib import import_module

from django.db import migrations

sql = import_module("hub.migrations.0003_search_document")

COLUMNS = [c.strip() for c in sql.DOCUMENT_COLUMNS.split(",")]
UPDATES = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS if c != "resource_id")
CHANGED = " OR ".join(
    f"hub_search_document.{c} IS DISTINCT FROM EXCLUDED.{c}" for c in COLUMNS if c != "resource_id"
)

CREATE = f"""
DROP TRIGGER IF EXISTS hub_search_version_bump ON hub_search_document;
DROP TRIGGER IF EXISTS hub_search_version_dirty ON hub_search_document;
DROP FUNCTION IF EXISTS hub_search_version_bump();
DROP FUNCTION IF EXISTS hub_search_version_mark_dirty();
DROP TABLE IF EXISTS hub_search_version;
DROP SEQUENCE IF EXISTS hub_search_version_seq;
CREATE OR REPLACE FUNCTION hub_search_document_sync(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('s4c.defer_search_sync', true), '') = 'on' THEN
        RETURN;
    END IF;
    PERFORM 1 FROM hub_search_document WHERE resource_id = ANY(ids)
        ORDER BY resource_id FOR UPDATE;
    INSERT INTO hub_search_document ({sql.DOCUMENT_COLUMNS})
    SELECT {sql.SYNC_COLUMNS} FROM hub_resource r WHERE r.id = ANY(ids) AND {sql.PUBLIC}
    ORDER BY r.id
    ON CONFLICT (resource_id) DO UPDATE SET {UPDATES} WHERE {CHANGED};
    DELETE FROM hub_search_document d WHERE d.resource_id = ANY(ids) AND NOT EXISTS (
        SELECT 1 FROM hub_resource r WHERE r.id = d.resource_id AND {sql.PUBLIC});
END $$;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0006_refold_search_text"),
        ("hub", "0006_document_language_url"),
        ("hub", "0006_curation_gate_and_history"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
