from functools import partial

from django.db import migrations

from core.groups import define_group, remove_group

CURATOR = [
    "hub.view_resource", "hub.add_resource", "hub.change_resource", "hub.submit_resource",
    "hub.view_organisation", "hub.add_organisation", "hub.change_organisation",
    "hub.view_theme", "hub.view_region", "hub.view_statuschange",
    "hub.view_historicalresource",
]
REVIEWER = CURATOR + [
    "hub.delete_resource", "hub.publish_resource",
    "hub.delete_organisation",
    "hub.add_theme", "hub.change_theme",
    "hub.change_region",
    "hub.view_historicalorganisation", "hub.view_historicaltheme",
]


def create_search_index(apps, schema_editor):
    # GIN index over the weighted tsvector: PostgreSQL only (SQLite uses the token fallback).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS hub_resource_search_gin ON hub_resource USING gin (search_vector)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS hub_resource_search_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(partial(define_group, name="Curator", permissions=CURATOR), partial(remove_group, name="Curator")),
        migrations.RunPython(partial(define_group, name="Reviewer", permissions=REVIEWER), partial(remove_group, name="Reviewer")),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
