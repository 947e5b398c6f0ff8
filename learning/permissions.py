"""Who may do what in the Learning Hub: the one place the services and the admin ask.

Roles are groups with Django permissions (README "Roles"): the Learning coordinator runs cohorts,
sessions, applications and commitments; participants act only on their own commitments.
"""

from core.permissions import has_perm, model_permission
from learning.models import Application


def can_save(actor, obj) -> bool:
    return model_permission(actor, obj, "change" if obj.pk else "add")


def can_delete(actor, obj) -> bool:
    return model_permission(actor, obj, "delete")


def can_decide(actor) -> bool:
    """Accept, waitlist or decline applications."""
    return has_perm(actor, "learning.change_application")


def can_review_commitments(actor) -> bool:
    """Mark commitments inactive (the daily task, or a coordinator)."""
    return has_perm(actor, "learning.change_commitment")


def can_erase(actor) -> bool:
    return has_perm(actor, "learning.erase_personal_data")


def can_update_commitment(actor, commitment) -> bool:
    """A participant (the actor is their signed-in application) reports on their own
    commitments only; staff need the permission to add progress updates."""
    if isinstance(actor, Application):
        return commitment.owner_id == actor.pk
    return has_perm(actor, "learning.add_progressupdate")
