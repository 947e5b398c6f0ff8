"""Re-index the resources whose text the search folding now reads differently.

`core.text.normalize_arabic` learnt to drop the zero-width (non-)joiners inside words, to read the
letters of Persian and Urdu keyboards as their Arabic forms (ی ک ۀ …) and to drop the conjunction
و typed apart from its word. Queries are folded the new way at once; stored documents (the SQLite
fallback's `search_text`, PostgreSQL's `search_vector`, and through its triggers the list's
`hub_search_document`) must be too, or the new spellings would find nothing in the old documents.
Only resources whose text (or whose themes' names) contain one of those characters or a detached
و can fold differently, so only they are rewritten, in primary key order, a batch at a time.
"""

import re

from django.db import migrations

# What folds differently since this migration (see core.text).
AFFECTED = re.compile(
    "[\u200c\u200d\u06cc\u06d2\u06a9\u06aa\u06c0\u06c1\u06c3\u06be\u06d5]|(?<!\\w)\u0648\\s+(?=\\w)"
)
TEXT_FIELDS = [f"{name}_{code}" for name in ("title", "summary", "body") for code in ("en", "ar")]
BATCH = 500


def refold(apps, schema_editor):
    # The current folding and document layout: the stored documents must match what queries are
    # folded with from now on (the functions only read the fields a historical model has).
    from hub.search import (
        VECTOR_PARAMETER_ORDER,
        VECTOR_SQL,
        document_parts,
        search_text_from_parts,
    )

    resource_model = apps.get_model("hub", "Resource")
    theme_model = apps.get_model("hub", "Theme")
    themes = [
        pk
        for pk, *names in theme_model.objects.values_list("pk", "name_en", "name_ar")
        if any(name and AFFECTED.search(name) for name in names)
    ]
    ids = set(
        resource_model.themes.through.objects.filter(theme_id__in=themes).values_list(
            "resource_id", flat=True
        )
    )
    rows = resource_model.objects.values_list("pk", "authors", *TEXT_FIELDS)
    for pk, *texts in rows.iterator(chunk_size=2000):
        if any(text and AFFECTED.search(text) for text in texts):
            ids.add(pk)
    ordered = sorted(ids)
    postgres = schema_editor.connection.vendor == "postgresql"
    for start in range(0, len(ordered), BATCH):
        batch = resource_model.objects.filter(pk__in=ordered[start : start + BATCH])
        resources = list(batch.order_by("pk").prefetch_related("themes"))
        text_rows, vector_rows = [], []
        for resource in resources:
            parts = document_parts(resource)
            text_rows.append((search_text_from_parts(parts), resource.pk))
            vector_rows.append(
                [parts[w][lang] for w, lang in VECTOR_PARAMETER_ORDER] + [resource.pk]
            )
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany("UPDATE hub_resource SET search_text = %s WHERE id = %s", text_rows)
            if postgres:
                cursor.executemany(
                    f"UPDATE hub_resource SET search_vector = {VECTOR_SQL} WHERE id = %s",
                    vector_rows,
                )


class Migration(migrations.Migration):
    dependencies = [("hub", "0005_resource_published_created")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
