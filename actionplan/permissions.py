"""Who may do what in the plans of action: the one place the services and the admin ask.

Reviewers maintain the plan's structure; Officers write progress reports (README "Roles").
"""

from django.utils.translation import gettext_noop

from core.permissions import model_permission

# The roles (groups) this app's migrations make, by name: marked for translation, shown in the
# user's language by the admin (core.admin.role_name).
ROLES = (gettext_noop("Officer"),)


def can_save(actor, obj) -> bool:
    return model_permission(actor, obj, "change" if obj.pk else "add")


def can_delete(actor, obj) -> bool:
    return model_permission(actor, obj, "delete")
