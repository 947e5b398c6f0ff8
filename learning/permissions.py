"""Who may do what in the Learning Hub: the one place the services and the admin ask.

Roles are groups with Django permissions (README "Roles"): the Learning coordinator runs cohorts,
sessions, applications and commitments; participants act only on their own commitments.
"""

from django.utils.translation import gettext_noop

from core.permissions import has_perm, is_system, model_permission
from learning.models import Application

# The roles (groups) this app's migrations make, by name: marked for translation, shown in the
# user's language by the admin (core.admin.role_name).
ROLES = (gettext_noop("Learning coordinator"),)


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


def can_apply(actor) -> bool:
    """Anyone may apply to an open cohort, with or without an account; a job never applies on
    someone's behalf."""
    return not is_system(actor)


def can_sign_in(actor) -> bool:
    """Ask for or use a sign-in link: the participant themself, never a job."""
    return not is_system(actor)


def can_request_password_reset(actor) -> bool:
    """Ask the admin's "forgotten your password?" for an address: a person, never a job."""
    return not is_system(actor)


def can_write_to_applicants(actor) -> bool:
    """E-mails to applicants and the links they carry are sent by the mailer's jobs after commit,
    never inside a visitor's request (the reply must not depend on the mail server)."""
    return is_system(actor)


def can_update_commitment(actor, commitment) -> bool:
    """A participant (the actor is their signed-in application) reports on their own
    commitments only; staff need the permission to add progress updates."""
    if isinstance(actor, Application):
        return commitment.owner_id == actor.pk
    return has_perm(actor, "learning.add_progressupdate")
