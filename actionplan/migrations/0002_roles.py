from functools import partial

from django.db import migrations

from core.groups import define_group, grant, remove_group, revoke

STRUCTURE = [
    f"actionplan.{action}_{model}"
    for model in ("plan", "operationalprinciple", "objective", "outcome", "deliverable", "budgetfigure",
                  "conclusionparagraph", "programmeoutcome")
    for action in ("view", "add", "change", "delete")
] + ["actionplan.view_progressreport", "actionplan.change_progressreport"]
OFFICER = [
    "actionplan.view_progressreport", "actionplan.add_progressreport", "actionplan.change_progressreport",
    "actionplan.view_plan", "actionplan.view_objective", "actionplan.view_outcome", "actionplan.view_deliverable",
    "hub.view_resource",
]


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0001_initial"),
        ("hub", "0002_roles_and_search_index"),
    ]

    operations = [
        # Reviewers edit the plan's structure; officers add and edit progress reports only.
        migrations.RunPython(partial(grant, name="Reviewer", permissions=STRUCTURE), partial(revoke, name="Reviewer", permissions=STRUCTURE)),
        migrations.RunPython(partial(define_group, name="Officer", permissions=OFFICER), partial(remove_group, name="Officer")),
    ]
