from functools import partial

from django.db import migrations

from core.groups import define_group, remove_group

COORDINATOR = [
    f"learning.{action}_{model}"
    for model in ("cohort", "phase", "session", "sessionspeaker", "speaker", "application", "attendance", "commitment", "progressupdate")
    for action in ("view", "add", "change")
] + ["hub.view_organisation", "hub.view_resource"]


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial"), ("hub", "0002_roles_and_search_index")]

    operations = [
        migrations.RunPython(
            partial(define_group, name="Learning coordinator", permissions=COORDINATOR),
            partial(remove_group, name="Learning coordinator"),
        ),
    ]
