"""Search documents read in one pass: vectors kept in the row, facet sets grouped by a text key,
related resources found in date order (PostgreSQL only; figures in docs/performance.md).

- A document row (vector, bilingual titles, facet arrays) is often just over PostgreSQL's 2 KB
  TOAST threshold, so the vector, its largest value, was moved out of the row: a broad query then
  fetched most vectors from the TOAST table through its index, one lookup per document. With a
  row target of 8160 bytes (the most PostgreSQL allows) the vectors stay in the row.
- The list's facet counts group the matching documents by their set of themes (regions, countries,
  languages) before unnesting each distinct set once; hashing a text[] is several times slower
  than hashing the same values as one text. Each set is also kept as its values joined by spaces
  (slugs and codes have none), a generated column the counts group by.

- Related resources are the newest documents sharing the resource's themes: an index in that
  order lets the query stop at the first ones found instead of sorting every document sharing a
  theme (the vectors, now in the row, made that scan longer).

Adding the columns rewrites the table: existing rows take the new layout (their vectors back in the
row) without a rebuild, which would leave every old row dead behind the new ones.
"""

from django.db import migrations

# Array column → its key column.
KEYS = {
    "theme_slugs": "theme_key",
    "region_codes": "region_key",
    "countries": "country_key",
    "languages": "language_key",
}

CREATE = (
    """
-- array_to_string is STABLE for any array (its elements' output functions could be); for text[]
-- it depends on nothing but its argument, which a generated column requires.
CREATE FUNCTION hub_facet_key(text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT array_to_string($1, ' ') $$;
ALTER TABLE hub_search_document SET (toast_tuple_target = 8160);
ALTER TABLE hub_search_document
"""
    + ",\n".join(
        f"    ADD COLUMN {key} text GENERATED ALWAYS AS (hub_facet_key({column})) STORED"
        for column, key in KEYS.items()
    )
    + """;
CREATE INDEX hub_search_document_newest
    ON hub_search_document (publication_year DESC, published_at DESC NULLS FIRST, resource_id);
"""
)

DROP = (
    "DROP INDEX IF EXISTS hub_search_document_newest;\n"
    "ALTER TABLE hub_search_document\n"
    + ",\n".join(f"    DROP COLUMN {key}" for key in KEYS.values())
    + """;
ALTER TABLE hub_search_document RESET (toast_tuple_target);
DROP FUNCTION hub_facet_key(text[]);
"""
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("hub", "0007_search_sync_in_order")]

    operations = [migrations.RunPython(create, drop)]
