"""Every write to the Knowledge Hub: the admin, tasks and loaders all call these functions."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from s4c.errors import DomainError
from s4c.html import sanitize_html

from .models import Resource, ResourceCountry, ResourceLanguage, StatusChange
from .search import update_search_index

Status = Resource.Status

# (from, to) → the permission the actor needs.
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
RICH_TEXT_FIELDS = ("body_en", "body_ar")


def can_edit(*, resource: Resource, actor) -> bool:
    """Curators edit drafts and resources in review; published and archived ones need a reviewer."""
    if resource.pk is None:
        return actor.has_perm("hub.add_resource")
    if not actor.has_perm("hub.change_resource"):
        return False
    if resource.status in (Status.PUBLISHED, Status.ARCHIVED):
        return actor.has_perm("hub.publish_resource")
    return True


def _clean_rich_text(resource: Resource) -> None:
    for name in RICH_TEXT_FIELDS:
        setattr(resource, name, sanitize_html(getattr(resource, name)))


@transaction.atomic
def resource_save(
    *,
    resource: Resource,
    actor,
    countries: Iterable[str] | None = None,
    languages: Iterable[str] | None = None,
) -> Resource:
    """Create or update a resource's fields (not its status). Rich text is sanitised here."""
    current = Resource.objects.filter(pk=resource.pk).first() if resource.pk else None
    if current is not None:
        # The workflow fields belong to resource_transition and resource_delete: an edit, or an
        # earlier version being restored, never changes them (a restore would otherwise publish or
        # unpublish a resource behind the workflow's back), and permission is decided on the
        # resource as it is now.
        for name in ("status", "published_at", "deleted_at", "identifier"):
            setattr(resource, name, getattr(current, name))
    if actor is not None and not can_edit(resource=current or resource, actor=actor):
        raise DomainError(
            _("You may not edit this resource in its current status."), code="forbidden"
        )
    if resource.publish_at and actor is not None and not actor.has_perm("hub.publish_resource"):
        raise DomainError(_("Only reviewers can schedule a publication."), code="forbidden")
    if resource.pk and resource._state.adding and Resource.objects.filter(pk=resource.pk).exists():
        # An earlier version being restored (from the history): it updates the existing row.
        resource._state.adding = False
    _clean_rich_text(resource)
    resource.full_clean(exclude=["identifier", "file", "search_vector"])
    resource.save()
    if countries is not None:
        set_countries(resource=resource, countries=countries)
    if languages is not None:
        set_document_languages(resource=resource, languages=languages)
    update_search_index(resource)
    return resource


def set_countries(*, resource: Resource, countries: Iterable[str]) -> None:
    wanted = {c.upper() for c in countries if c}
    current = {str(code) for code in resource.country_links.values_list("country", flat=True)}
    resource.country_links.filter(country__in=current - wanted).delete()
    ResourceCountry.objects.bulk_create(
        [ResourceCountry(resource=resource, country=code) for code in sorted(wanted - current)]
    )


def set_document_languages(*, resource: Resource, languages: Iterable[str]) -> None:
    wanted = {code.lower() for code in languages if code}
    current = set(resource.language_links.values_list("language", flat=True))
    resource.language_links.filter(language__in=current - wanted).delete()
    ResourceLanguage.objects.bulk_create(
        [ResourceLanguage(resource=resource, language=code) for code in sorted(wanted - current)]
    )


def refresh_search(*, resource: Resource) -> None:
    """Re-index after related data (themes) changed."""
    update_search_index(resource)


@transaction.atomic
def resource_transition(*, resource: Resource, to_status: str, actor, note: str = "") -> Resource:
    """Move a resource through the workflow, recording who did it and when.

    `actor=None` is the system (scheduled publication); people need the transition's permission.
    """
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if resource.deleted_at is not None:
        raise DomainError(_("This resource was deleted."), code="deleted")
    if resource.status == to_status:
        return resource
    permission = TRANSITIONS.get((resource.status, to_status))
    if permission is None:
        raise DomainError(
            _("A resource cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(resource.status).label, "to": Status(to_status).label},
            code="invalid_transition",
        )
    if actor is not None and not actor.has_perm(permission):
        raise DomainError(_("You do not have permission to do this."), code="forbidden")
    if to_status == Status.PUBLISHED and not (resource.title_en or resource.title_ar):
        raise DomainError(_("A resource needs a title before it is published."))
    previous = resource.status
    resource.status = to_status
    if to_status == Status.PUBLISHED:
        resource.published_at = resource.published_at or timezone.now()
        resource.publish_at = None
    resource.save()
    StatusChange.objects.create(
        resource=resource, from_status=previous, to_status=to_status, actor=actor, note=note
    )
    return resource


def resource_submit(*, resource: Resource, actor) -> Resource:
    return resource_transition(resource=resource, to_status=Status.IN_REVIEW, actor=actor)


def resource_publish(*, resource: Resource, actor, note: str = "") -> Resource:
    return resource_transition(
        resource=resource, to_status=Status.PUBLISHED, actor=actor, note=note
    )


def resource_archive(*, resource: Resource, actor) -> Resource:
    return resource_transition(resource=resource, to_status=Status.ARCHIVED, actor=actor)


@transaction.atomic
def resource_delete(*, resource: Resource, actor) -> None:
    """Soft delete: the row stays as a tombstone (the API's change feed reports it)."""
    if actor is not None and not actor.has_perm("hub.delete_resource"):
        raise DomainError(_("You do not have permission to delete resources."), code="forbidden")
    resource.deleted_at = timezone.now()
    resource.featured = False
    resource.save()
    StatusChange.objects.create(
        resource=resource,
        from_status=resource.status,
        to_status=resource.status,
        actor=actor,
        note="deleted",
    )


def publish_scheduled(*, now=None) -> int:
    """Publish resources in review whose scheduled time has come (Celery beat)."""
    published = 0
    for resource in Resource.objects.due_for_publication(now):
        resource_transition(
            resource=resource, to_status=Status.PUBLISHED, actor=None, note="scheduled"
        )
        published += 1
    return published


def check_links(*, concurrency: int = 8, timeout: float = 10.0) -> dict[str, int]:
    """Check every external link of live resources and flag broken ones to curators."""
    from .linkcheck import check_urls

    resources = list(Resource.objects.alive().exclude(external_url="").only("pk", "external_url"))
    results = check_urls(
        [r.external_url for r in resources], concurrency=concurrency, timeout=timeout
    )
    now = timezone.now()
    counts = {"ok": 0, "broken": 0}
    for resource in resources:
        result = results[resource.external_url]
        status = Resource.LinkStatus.OK if result.ok else Resource.LinkStatus.BROKEN
        counts[status] += 1
        # update(): a link check is bookkeeping, not a curated change (no history row, no
        # new updated_at for API consumers).
        Resource.objects.filter(pk=resource.pk).update(
            link_status=status, link_checked_at=now, link_error=result.error
        )
    return counts
