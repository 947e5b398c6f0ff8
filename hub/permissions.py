"""Who may do what in the Knowledge Hub: the one place the services and the admin ask.

The roles are groups with Django permissions (README "Roles"); this module turns them, and the
workflow policy, into answers about one actor and one object. The services refuse what these
functions refuse; the admin only shows what they allow.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.errors import FORBIDDEN
from core.permissions import CONTENT_LOADER, SYSTEM, is_system

from .models import Organisation, Resource

# The roles (groups) this app's migrations make, by name: marked for translation, shown in the
# user's language by the admin (core.admin.role_name).
ROLES = (gettext_noop("Curator"), gettext_noop("Reviewer"))

Status = Resource.Status

# (from, to) → the permission a person needs.
TRANSITIONS = {
    (Status.DRAFT, Status.IN_REVIEW): "hub.submit_resource",
    (Status.IN_REVIEW, Status.DRAFT): "hub.submit_resource",
    (Status.IN_REVIEW, Status.PUBLISHED): "hub.publish_resource",
    (Status.DRAFT, Status.PUBLISHED): "hub.publish_resource",
    (Status.PUBLISHED, Status.ARCHIVED): "hub.publish_resource",
    (Status.PUBLISHED, Status.DRAFT): "hub.publish_resource",
    (Status.ARCHIVED, Status.PUBLISHED): "hub.publish_resource",
    (Status.ARCHIVED, Status.DRAFT): "hub.publish_resource",
}


def direct_publish_allowed() -> bool:
    """HUB_ALLOW_DIRECT_PUBLISH: may a person publish a draft that never went through review?

    Off by default: a resource is read by a second pair of eyes (submitted, then published by a
    reviewer). System actors (the seed loader) publish reviewed content directly either way.
    """
    return settings.HUB_ALLOW_DIRECT_PUBLISH


def skips_quality_gate(actor) -> bool:
    """May `actor` publish a resource that fails the quality gate (hub.services.publication_problems)?

    People and the scheduler may not (it carries out a reviewer's schedule, and the resource may
    have changed since it was set). Two named jobs may: the content loader, whose resources are
    written from the seed documents and reviewed in code (where the seeds give no online copy of
    a document, its page says so rather than link an address we would have to invent), and
    SYSTEM, the actor of code that writes an exact state on purpose (the test suite's fixtures,
    a maintainer's repair in a shell).
    """
    return actor in (SYSTEM, CONTENT_LOADER)


def _has(actor, perm: str) -> bool:
    return is_system(actor) or (actor.is_active and actor.has_perm(perm))


def can_add_resource(actor) -> bool:
    return _has(actor, "hub.add_resource")


def can_edit_resource(actor, resource: Resource) -> bool:
    """Curators edit drafts and resources in review; published and archived ones need a reviewer."""
    if resource.pk is None:
        return can_add_resource(actor)
    if not _has(actor, "hub.change_resource"):
        return False
    if resource.status in (Status.PUBLISHED, Status.ARCHIVED):
        return _has(actor, "hub.publish_resource")
    return True


def can_delete_resource(actor, resource: Resource | None = None) -> bool:
    return _has(actor, "hub.delete_resource")


def can_maintain(actor) -> bool:
    """Bookkeeping on resources (link checks, re-indexing): what changes no curated text."""
    return _has(actor, "hub.change_resource")


def can_submit(actor) -> bool:
    return _has(actor, "hub.submit_resource")


def can_publish(actor) -> bool:
    return _has(actor, "hub.publish_resource")


def can_schedule(actor) -> bool:
    """Setting a publication time or featuring a resource is a reviewer's decision."""
    return _has(actor, "hub.publish_resource")


def transition_refusal(actor, resource: Resource, to_status: str):
    """None if `actor` may move `resource` to `to_status`, else the reason (a translated text)."""
    permission = TRANSITIONS.get((resource.status, to_status))
    if permission is None:
        return _("A resource cannot go from “%(from)s” to “%(to)s”.") % {
            "from": Status(resource.status).label,
            "to": Status(to_status).label,
        }
    if not _has(actor, permission):
        return FORBIDDEN
    if (
        (resource.status, to_status) == (Status.DRAFT, Status.PUBLISHED)
        and not is_system(actor)
        and not direct_publish_allowed()
    ):
        return _("A draft is published only after review: submit it for review first.")
    return None


def can_transition(actor, resource: Resource, to_status: str) -> bool:
    return transition_refusal(actor, resource, to_status) is None


def allowed_transitions(actor, resource: Resource) -> list[str]:
    """The statuses `actor` may move `resource` to, in the workflow's order."""
    if resource.pk is None or resource.deleted_at is not None:
        return []
    return [
        status
        for status in (Status.IN_REVIEW, Status.PUBLISHED, Status.ARCHIVED, Status.DRAFT)
        if status != resource.status and can_transition(actor, resource, status)
    ]


def next_step(resource: Resource) -> str:
    """Who must act next on a resource, in words a curator reads on the edit page."""
    if resource.deleted_at is not None:
        return _("Nobody: the resource was deleted.")
    return {
        Status.DRAFT: _("A curator: finish the draft and submit it for review."),
        Status.IN_REVIEW: _("A reviewer: publish it, or send it back to draft."),
        Status.PUBLISHED: _("Nobody: it is public. A reviewer may archive or withdraw it."),
        Status.ARCHIVED: _("Nobody: it is archived. A reviewer may publish it again."),
    }[Status(resource.status)]


def organisation_shown_publicly(organisation: Organisation) -> bool:
    """Is the organisation the publisher of a published resource (its name, acronym, logo and
    website shown on the resource's page, the API and OAI)?"""
    return (
        organisation.pk is not None
        and Resource.objects.alive()
        .filter(publisher=organisation, status=Status.PUBLISHED)
        .exists()
    )


def can_edit_organisation(actor, organisation: Organisation) -> bool:
    """A curator edits organisations nothing public shows yet; renaming one shown on published
    resources changes those public pages, so it is a reviewer's edit, as editing a published
    resource is (HUB_CURATORS_EDIT_PUBLIC_ORGANISATIONS: the policy to let curators do it)."""
    action = "change" if organisation.pk else "add"
    if not _has(actor, f"hub.{action}_organisation"):
        return False
    if settings.HUB_CURATORS_EDIT_PUBLIC_ORGANISATIONS or not organisation_shown_publicly(
        organisation
    ):
        return True
    return _has(actor, "hub.publish_resource")


# --- the other hub objects: plain model permissions -------------------------------------------
def can_save(actor, obj) -> bool:
    opts = obj._meta
    action = "change" if obj.pk else "add"
    if isinstance(obj, Resource):
        return can_edit_resource(actor, obj)
    if isinstance(obj, Organisation):
        return can_edit_organisation(actor, obj)
    return _has(actor, f"{opts.app_label}.{action}_{opts.model_name}")


def can_delete(actor, obj) -> bool:
    opts = obj._meta
    return _has(actor, f"{opts.app_label}.delete_{opts.model_name}")
