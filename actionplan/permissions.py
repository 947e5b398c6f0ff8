"""Who may do what in the plans of action: the one place the services and the admin ask.

Reviewers maintain the plan's structure; Officers write progress reports (README "Roles").
"""

from core.permissions import model_permission


def can_save(actor, obj) -> bool:
    return model_permission(actor, obj, "change" if obj.pk else "add")


def can_delete(actor, obj) -> bool:
    return model_permission(actor, obj, "delete")
