"""The one way s4c defines staff roles: groups with permissions, created by data migrations."""

from django.contrib.auth.management import create_permissions


def _permissions(apps, permissions: list[str]):
    # Django creates permissions after migrations: create the ones needed here first.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    found = []
    for dotted in permissions:
        app_label, codename = dotted.split(".", 1)
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def define_group(apps, schema_editor, *, name: str, permissions: list[str]) -> None:
    """Create (or update) group `name` with exactly `permissions` ("app_label.codename").

    Meant for RunPython in data migrations.
    """
    group, _created = apps.get_model("auth", "Group").objects.get_or_create(name=name)
    group.permissions.set(_permissions(apps, permissions))


def grant(apps, schema_editor, *, name: str, permissions: list[str]) -> None:
    """Add `permissions` to an existing role defined by another app (e.g. Reviewer)."""
    group, _created = apps.get_model("auth", "Group").objects.get_or_create(name=name)
    group.permissions.add(*_permissions(apps, permissions))


def revoke(apps, schema_editor, *, name: str, permissions: list[str]) -> None:
    group = apps.get_model("auth", "Group").objects.filter(name=name).first()
    if group:
        group.permissions.remove(*_permissions(apps, permissions))


def remove_group(apps, schema_editor, *, name: str) -> None:
    apps.get_model("auth", "Group").objects.filter(name=name).delete()
