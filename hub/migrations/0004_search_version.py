"""A committed version number for the search documents (PostgreSQL only).

The public list keeps the published documents' facet values and per-word ranks in memory
(`hub.search_memory`); it must know, at every request, whether what it holds is still what the
database holds. `hub_search_version.version` changes whenever a transaction that changed
`hub_search_document` commits:

- the bump runs from a *deferred* constraint trigger, so at commit time: the version row is the last
  lock such a transaction takes (no deadlock with the rows it wrote) and is held only while it
  commits. A transaction that reads the version and the documents in one snapshot sees them agree.
- values come from a sequence, which never goes back: a rolled-back change cannot bring back a
  version number that an in-memory table was built for.
- until it commits, a transaction that changed documents is "dirty" (a transaction-local setting):
  its own reads must not use the in-memory tables (they would miss its changes), so the list falls
  back to the database for them.

The sync function also stops rewriting documents that did not change (a link check or a history
write updates `hub_resource` without changing what is searched): such writes no longer bump the
version, so they do not throw away what the list holds in memory.
"""

from importlib import import_module

from django.db import migrations

# The document's columns, as 0003 defined them (a module name that starts with a digit).
sql = import_module("hub.migrations.0003_search_document")

CREATE = f"""
CREATE SEQUENCE hub_search_version_seq;
CREATE TABLE hub_search_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version bigint NOT NULL
);
INSERT INTO hub_search_version (version) VALUES (nextval('hub_search_version_seq'));

CREATE FUNCTION hub_search_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Once per transaction, however many documents it changed.
    IF coalesce(current_setting('s4c.hub_search_bumped', true), '') <> 'on' THEN
        PERFORM set_config('s4c.hub_search_bumped', 'on', true);
        UPDATE hub_search_version SET version = nextval('hub_search_version_seq');
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION hub_search_version_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('s4c.hub_search_dirty', 'on', true);
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER hub_search_version_bump
    AFTER INSERT OR UPDATE OR DELETE ON hub_search_document
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hub_search_version_bump();
CREATE TRIGGER hub_search_version_dirty
    AFTER INSERT OR UPDATE OR DELETE ON hub_search_document
    FOR EACH STATEMENT EXECUTE FUNCTION hub_search_version_mark_dirty();

CREATE OR REPLACE FUNCTION hub_search_document_sync(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('s4c.defer_search_sync', true), '') = 'on' THEN
        RETURN;
    END IF;
    -- Nothing to do when the documents already say what the resources say.
    IF NOT EXISTS (
        (SELECT {sql.SYNC_COLUMNS} FROM hub_resource r WHERE r.id = ANY(ids) AND {sql.PUBLIC}
         EXCEPT ALL
         SELECT {sql.DOCUMENT_COLUMNS} FROM hub_search_document WHERE resource_id = ANY(ids))
        UNION ALL
        (SELECT {sql.DOCUMENT_COLUMNS} FROM hub_search_document WHERE resource_id = ANY(ids)
         EXCEPT ALL
         SELECT {sql.SYNC_COLUMNS} FROM hub_resource r WHERE r.id = ANY(ids) AND {sql.PUBLIC})
    ) THEN
        RETURN;
    END IF;
    DELETE FROM hub_search_document WHERE resource_id = ANY(ids);
    INSERT INTO hub_search_document ({sql.DOCUMENT_COLUMNS})
    SELECT {sql.SYNC_COLUMNS} FROM hub_resource r WHERE r.id = ANY(ids) AND {sql.PUBLIC};
END $$;
"""

DROP = f"""
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
    DELETE FROM hub_search_document WHERE resource_id = ANY(ids);
    INSERT INTO hub_search_document ({sql.DOCUMENT_COLUMNS})
    SELECT {sql.SYNC_COLUMNS} FROM hub_resource r WHERE r.id = ANY(ids) AND {sql.PUBLIC};
END $$;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("hub", "0003_search_document")]

    operations = [migrations.RunPython(create, drop)]
