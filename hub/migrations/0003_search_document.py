"""A narrow, published-only copy of what the public list searches and counts (PostgreSQL only).

`hub_resource` rows are wide (bilingual titles, summaries, bodies, links…): a broad query such as
"care" matches most of them, and reading ~4 KB rows to test the vector, rank and count facets made
a search take seconds. `hub_search_document` keeps, for published resources only, the search vector
and the facet values as arrays (~1.4 KB a row), so the list's whole summary (ranked page, total and
six facet counts) is one pass over the matching documents. Triggers keep it in step with every
write path — services, the admin's history revert, restores, raw SQL — so no caller can forget it.
Bulk loaders may `SET LOCAL s4c.defer_search_sync = 'on'` and call hub_search_document_rebuild().
"""

from django.db import migrations

SYNC_COLUMNS = """
    r.id, r.search_vector, r.resource_type, r.publication_year, r.published_at,
    r.title_en, r.title_ar,
    ARRAY(SELECT t.slug::text FROM hub_resource_themes rt JOIN hub_theme t ON t.id = rt.theme_id
          WHERE rt.resource_id = r.id ORDER BY 1),
    ARRAY(SELECT g.code::text FROM hub_resource_regions rg JOIN hub_region g ON g.id = rg.region_id
          WHERE rg.resource_id = r.id ORDER BY 1),
    ARRAY(SELECT c.country::text FROM hub_resourcecountry c WHERE c.resource_id = r.id ORDER BY 1),
    ARRAY(SELECT l.language::text FROM hub_resourcelanguage l WHERE l.resource_id = r.id ORDER BY 1)
"""
DOCUMENT_COLUMNS = """
    resource_id, vector, resource_type, publication_year, published_at, title_en, title_ar,
    theme_slugs, region_codes, countries, languages
"""
PUBLIC = "r.status = 'published' AND r.deleted_at IS NULL"

CREATE = f"""
CREATE TABLE hub_search_document (
    resource_id bigint PRIMARY KEY,
    vector tsvector,
    resource_type varchar(32) NOT NULL,
    publication_year smallint NOT NULL,
    published_at timestamptz,
    -- The same types (and so the same collation) as hub_resource: title sorting is identical.
    title_en varchar(300),
    title_ar varchar(300),
    theme_slugs text[] NOT NULL DEFAULT '{{}}',
    region_codes text[] NOT NULL DEFAULT '{{}}',
    countries text[] NOT NULL DEFAULT '{{}}',
    languages text[] NOT NULL DEFAULT '{{}}'
);
CREATE INDEX hub_search_document_vector ON hub_search_document USING gin (vector);

CREATE FUNCTION hub_search_document_sync(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('s4c.defer_search_sync', true), '') = 'on' THEN
        RETURN;
    END IF;
    DELETE FROM hub_search_document WHERE resource_id = ANY(ids);
    INSERT INTO hub_search_document ({DOCUMENT_COLUMNS})
    SELECT {SYNC_COLUMNS} FROM hub_resource r WHERE r.id = ANY(ids) AND {PUBLIC};
END $$;

CREATE FUNCTION hub_search_document_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    made bigint;
BEGIN
    DELETE FROM hub_search_document;
    INSERT INTO hub_search_document ({DOCUMENT_COLUMNS})
    SELECT {SYNC_COLUMNS} FROM hub_resource r WHERE {PUBLIC};
    GET DIAGNOSTICS made = ROW_COUNT;
    RETURN made;
END $$;

-- Statement-level triggers with transition tables: a bulk statement syncs its rows in one go.
CREATE FUNCTION hub_search_document_on_resources() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hub_search_document_sync(ARRAY(SELECT DISTINCT id FROM changed_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION hub_search_document_on_links() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hub_search_document_sync(ARRAY(SELECT DISTINCT resource_id FROM changed_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION hub_search_document_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM hub_search_document;
    RETURN NULL;
END $$;

CREATE FUNCTION hub_search_document_on_theme() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hub_search_document_sync(
        ARRAY(SELECT resource_id FROM hub_resource_themes WHERE theme_id = NEW.id));
    RETURN NULL;
END $$;

CREATE FUNCTION hub_search_document_on_region() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hub_search_document_sync(
        ARRAY(SELECT resource_id FROM hub_resource_regions WHERE region_id = NEW.id));
    RETURN NULL;
END $$;

CREATE TRIGGER hub_search_document_truncate AFTER TRUNCATE ON hub_resource
    FOR EACH STATEMENT EXECUTE FUNCTION hub_search_document_on_truncate();
CREATE TRIGGER hub_search_document_theme AFTER UPDATE OF slug ON hub_theme
    FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug)
    EXECUTE FUNCTION hub_search_document_on_theme();
CREATE TRIGGER hub_search_document_region AFTER UPDATE OF code ON hub_region
    FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code)
    EXECUTE FUNCTION hub_search_document_on_region();
"""

# (table, function): one trigger per event, as transition tables require.
WATCHED = [
    ("hub_resource", "hub_search_document_on_resources"),
    ("hub_resource_themes", "hub_search_document_on_links"),
    ("hub_resource_regions", "hub_search_document_on_links"),
    ("hub_resourcecountry", "hub_search_document_on_links"),
    ("hub_resourcelanguage", "hub_search_document_on_links"),
]
for table, function in WATCHED:
    for event, transition in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        CREATE += (
            f"CREATE TRIGGER hub_search_document_{event.lower()} AFTER {event} ON {table} "
            f"REFERENCING {transition} TABLE AS changed_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}();\n"
        )
CREATE += "SELECT hub_search_document_rebuild();\n"

DROP = """
DROP TABLE IF EXISTS hub_search_document;
DROP FUNCTION IF EXISTS hub_search_document_sync(bigint[]) CASCADE;
DROP FUNCTION IF EXISTS hub_search_document_rebuild() CASCADE;
DROP FUNCTION IF EXISTS hub_search_document_on_resources() CASCADE;
DROP FUNCTION IF EXISTS hub_search_document_on_links() CASCADE;
DROP FUNCTION IF EXISTS hub_search_document_on_truncate() CASCADE;
DROP FUNCTION IF EXISTS hub_search_document_on_theme() CASCADE;
DROP FUNCTION IF EXISTS hub_search_document_on_region() CASCADE;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("hub", "0002_roles_and_search_index")]

    operations = [migrations.RunPython(create, drop)]
