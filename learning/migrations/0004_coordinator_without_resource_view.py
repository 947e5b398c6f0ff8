from functools import partial

from django.db import migrations

from core.groups import grant, revoke

# Learning coordinators had hub.view_resource for the session materials autocomplete, which also
# let them browse draft resources in the admin and on the site. The autocomplete no longer needs
# it (hub/admin.py: ResourceAdmin answers it with published resources for whoever may edit
# sessions).
RESOURCE_VIEW = ["hub.view_resource"]


class Migration(migrations.Migration):
    dependencies = [("learning", "0003_privacy")]

    operations = [
        migrations.RunPython(
            partial(revoke, name="Learning coordinator", permissions=RESOURCE_VIEW),
            partial(grant, name="Learning coordinator", permissions=RESOURCE_VIEW),
        ),
    ]
