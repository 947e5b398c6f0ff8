"""The one way s4c defines staff roles: groups with permissions, created by data migrations."""

from django.contrib.auth.management import create_permissions


def define_group(apps, schema_editor, *, name: str, permissions: list[str]) -> None:
    """Create (or update) group `name` with exactly `permissions` ("app_label.codename").

    Meant for RunPython in data migrations: Django creates permissions after migrations, so the
    ones this group needs are created here first.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=name)
    wanted = []
    for dotted in permissions:
        app_label, codename = dotted.split(".", 1)
        wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    group.permissions.set(wanted)


def remove_group(apps, schema_editor, *, name: str) -> None:
    apps.get_model("auth", "Group").objects.filter(name=name).delete()
