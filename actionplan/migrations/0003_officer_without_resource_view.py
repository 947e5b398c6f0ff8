from functools import partial

from django.db import migrations

from core.groups import grant, revoke

# Officers had hub.view_resource for the evidence autocomplete, which also let them browse draft
# resources in the admin and on the site. The autocomplete no longer needs it (hub/admin.py:
# ResourceAdmin answers it with published resources for whoever may edit progress reports).
RESOURCE_VIEW = ["hub.view_resource"]


class Migration(migrations.Migration):
    dependencies = [("actionplan", "0002_roles")]

    operations = [
        migrations.RunPython(
            partial(revoke, name="Officer", permissions=RESOURCE_VIEW),
            partial(grant, name="Officer", permissions=RESOURCE_VIEW),
        ),
    ]
