"""Every write to the Knowledge Hub: the admin, tasks and loaders all call these functions."""

import logging
from collections.abc import Iterable, Mapping

from django.contrib.postgres.search import SearchVectorField
from django.db import connection
from django.db.models import Prefetch
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.caching import bump_content_version
from core.errors import FORBIDDEN, DomainError
from core.history import record_author
from core.html import sanitize_html
from core.outbox import enqueue_on_commit
from core.permissions import as_user, note_for, require_actor
from partners.capture import captured

from . import permissions
from .linkcheck import check_urls
from .models import (
    Organisation,
    Region,
    Resource,
    ResourceCountry,
    ResourceLanguage,
    StatusChange,
    Theme,
)
from .search import (
    VECTOR_PARAMETER_ORDER,
    VECTOR_SQL,
    document_parts,
    search_text_from_parts,
)
from .search_backends import search_backend

logger = logging.getLogger(__name__)
Status = Resource.Status

# Kept for callers that read the workflow's table; hub.permissions decides.
TRANSITIONS = permissions.TRANSITIONS
RICH_TEXT_FIELDS = ("body_en", "body_ar")


def publication_problems(resource: Resource) -> dict[str, str]:
    """What keeps a resource from going public, by form field (empty: it may be published).

    A public resource has a title and a summary in at least one language (and, without its
    Arabic text, says so explicitly), a publisher, a theme, and a document: a link or a file, or
    the online copy of one of its languages.
    """
    problems = {}
    has = {
        code: bool(
            getattr(resource, f"title_{code}", "") and getattr(resource, f"summary_{code}", "")
        )
        for code in ("en", "ar")
    }
    if not any(has.values()):
        problems["summary_en"] = _("Give a title and a summary in at least one language.")
    elif not has["ar"] and not resource.arabic_pending:
        problems["arabic_pending"] = _(
            "The Arabic title or summary is missing: write it, or tick “Arabic not yet available”."
        )
    if resource.publisher_id is None:
        problems["publisher"] = _("Choose the publisher.")
    if resource.pk is None or not resource.themes.exists():
        problems["themes"] = _("Choose at least one theme.")
    has_copy_in_a_language = (
        resource.pk is not None and resource.language_links.exclude(url="").exists()
    )
    if not (resource.external_url or resource.file or has_copy_in_a_language):
        problems["external_url"] = _("Give a link to the document, or upload its file.")
    return problems


def _clean_rich_text(resource: Resource) -> None:
    for name in RICH_TEXT_FIELDS:
        setattr(resource, name, sanitize_html(getattr(resource, name)))


@captured()
def resource_save(  # noqa: PLR0912 - each choice list (countries, themes…) its own step
    *,
    resource: Resource,
    actor,
    countries: Iterable[str] | None = None,
    languages: Iterable[str] | None = None,
    themes: Iterable | None = None,
    regions: Iterable | None = None,
    reason: str = "",
) -> Resource:
    """Create or update a resource's fields and choices (not its status), as one history entry.

    Rich text is sanitised here. Themes and regions given here are set before the version is
    recorded, so the history holds one entry per edit, with the choices it made.
    """
    # The row first, before any of its links or its search document: every writer of a resource
    # queues here (re-indexing and a theme's delete take their rows in id order), so none holds a
    # link or a document that another, already holding this row, waits for.
    current = (
        Resource.objects.select_for_update(no_key=True).filter(pk=resource.pk).first()
        if resource.pk
        else None
    )
    if current is not None:
        # The workflow fields belong to resource_transition and resource_delete: an edit, or an
        # earlier version being restored, never changes them (a restore would otherwise publish or
        # unpublish a resource behind the workflow's back), and permission is decided on the
        # resource as it is now.
        for name in ("status", "published_at", "deleted_at", "identifier"):
            setattr(resource, name, getattr(current, name))
    if not permissions.can_edit_resource(actor, current or resource):
        raise DomainError(
            _("You may not edit this resource in its current status."), code="forbidden"
        )
    gaps_before = (
        set(publication_problems(current))
        if current is not None
        and current.status == Status.PUBLISHED
        and not permissions.skips_quality_gate(actor)
        else None
    )
    if not permissions.can_schedule(actor):
        if resource.publish_at and (current is None or current.publish_at != resource.publish_at):
            raise DomainError(_("Only reviewers can schedule a publication."), code="forbidden")
        if resource.featured and (current is None or not current.featured):
            raise DomainError(_("Only reviewers can feature a resource."), code="forbidden")
    if current is not None and (resource._state.adding or resource._state.db is None):
        # An earlier version being restored (from the history): it updates the existing row,
        # and its choices are set on that row.
        resource._state.adding = False
        resource._state.db = current._state.db
    _clean_rich_text(resource)
    resource.full_clean(exclude=["identifier", "file", "search_vector", "themes", "regions"])
    if countries is not None:
        resource.country_codes = sorted({c.upper() for c in countries if c})
    if resource.pk is None and (themes is not None or regions is not None):
        # The choices need the row: the first save records no version, the last one does.
        resource.skip_history_when_saving = True
        resource.save()
        del resource.skip_history_when_saving
    resource.skip_history_when_saving = True
    try:
        if themes is not None:
            resource.themes.set(themes)
        if regions is not None:
            resource.regions.set(regions)
    finally:
        del resource.skip_history_when_saving
    resource._change_reason = reason
    record_author(resource, actor)
    resource.save()
    if countries is not None:
        set_countries(resource=resource, countries=countries)
    if languages is not None:
        set_document_languages(resource=resource, languages=languages)
    if gaps_before is not None:
        # A public resource stays as complete as it was: an edit, or an earlier version being
        # restored, that takes away its publisher, theme or document is refused (all of it: this
        # is one transaction), never left public half-empty. What it lacked already (a seeded
        # document with no online copy) does not stop an edit.
        problems = {
            field: problem
            for field, problem in publication_problems(resource).items()
            if field not in gaps_before
        }
        if problems:
            raise DomainError(
                _("A published resource must stay complete: %(problems)s")
                % {"problems": " ".join(str(p) for p in problems.values())},
                code="not_ready",
            )
    search_backend().index(resource)
    return resource


def set_countries(*, resource: Resource, countries: Iterable[str]) -> None:
    """The countries a resource is about: one row per country (facets count them), and their
    codes on the resource itself, so each version in its history knows them."""
    wanted = {c.upper() for c in countries if c}
    if sorted(wanted) != list(resource.country_codes or []):
        resource.country_codes = sorted(wanted)
        Resource.objects.filter(pk=resource.pk).update(country_codes=resource.country_codes)
    current = {str(code) for code in resource.country_links.values_list("country", flat=True)}
    resource.country_links.filter(country__in=current - wanted).delete()
    ResourceCountry.objects.bulk_create(
        [ResourceCountry(resource=resource, country=code) for code in sorted(wanted - current)]
    )


def set_document_languages(
    *, resource: Resource, languages: Iterable[str] | Mapping[str, str]
) -> None:
    """The languages the document exists in; a mapping gives each one's online copy ("" for none)."""
    urls = (
        {code.lower(): url for code, url in languages.items()}
        if isinstance(languages, Mapping)
        else None
    )
    wanted = {code.lower() for code in languages if code}
    current = set(resource.language_links.values_list("language", flat=True))
    resource.language_links.filter(language__in=current - wanted).delete()
    ResourceLanguage.objects.bulk_create(
        [
            ResourceLanguage(resource=resource, language=code, url=(urls or {}).get(code, ""))
            for code in sorted(wanted - current)
        ]
    )
    if urls is not None:
        for link in resource.language_links.filter(language__in=current & wanted):
            if link.url != urls.get(link.language, ""):
                link.url = urls.get(link.language, "")
                link.full_clean(exclude=["resource"])
                link.save(update_fields=["url"])


def _require_maintainer(actor) -> None:
    if not permissions.can_maintain(actor):
        raise DomainError(FORBIDDEN, code="forbidden")


def refresh_search(*, resource: Resource, actor) -> None:
    """Re-index after related data (themes) changed."""
    _require_maintainer(actor)
    search_backend().index(resource)


# --- themes: their names are part of every resource's indexed text -------------------------------

# The theme fields each resource's search data contains (hub.search.document_parts, weight C).
INDEXED_THEME_FIELDS = ("name_en", "name_ar")
REINDEX_BATCH = 500


@captured()
def theme_save(*, theme: Theme, actor) -> Theme:
    """Create or change a theme. A new name is re-indexed in its resources in the background.

    A theme can carry tens of thousands of resources: re-indexing them is a task (sent after
    commit through the outbox), not part of the request that renamed the theme.
    """
    if not permissions.can_save(actor, theme):
        raise DomainError(FORBIDDEN, code="forbidden")
    before = None
    if theme.pk:
        before = (
            Theme.objects.select_for_update(no_key=True)
            .filter(pk=theme.pk)
            .values(*INDEXED_THEME_FIELDS)
        ).first()
    theme.full_clean()
    record_author(theme, actor)
    theme.save()
    if before and any(getattr(theme, name) != before[name] for name in INDEXED_THEME_FIELDS):
        enqueue_on_commit("hub.reindex_theme", theme_id=theme.pk)
    return theme


@captured()
def theme_delete(*, theme: Theme, actor) -> None:
    """Delete a theme. Its name leaves its former resources' search data in the background."""
    if not permissions.can_delete(actor, theme):
        raise DomainError(FORBIDDEN, code="forbidden")
    ids = list(
        Resource.themes.through.objects.filter(theme_id=theme.pk)
        .order_by("resource_id")
        .values_list("resource_id", flat=True)
    )
    # Its resources first, in id order (as re-indexing takes them; an edit takes its one row
    # first, see resource_save): the cascade's link deletes then wait for no writer that could be
    # waiting for this delete.
    list(
        Resource.objects.filter(pk__in=ids)
        .select_for_update(no_key=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    record_author(theme, actor)
    theme.delete()
    # The links are gone now: the task is told which resources carried it.
    for start in range(0, len(ids), REINDEX_TASK_SIZE):
        enqueue_on_commit("hub.reindex_resources", ids=ids[start : start + REINDEX_TASK_SIZE])


REINDEX_TASK_SIZE = 5000  # resource ids per task message


def reindex_resources(*, ids: list[int], actor, batch_size: int = REINDEX_BATCH) -> int:
    """Recompute these resources' search data, batch by batch; returns how many."""
    done = 0
    for start in range(0, len(ids), batch_size):
        done += resources_reindex(ids=ids[start : start + batch_size], actor=actor)
    if done:
        bump_content_version()  # bulk updates send no signal: cached results are stale
    return done


def theme_reindex(*, theme_id: int, actor, batch_size: int = REINDEX_BATCH) -> int:
    """Recompute the search data of every resource carrying a theme; returns how many.

    Batch by batch, each in its own short transaction: one query reads a batch's texts, one its
    themes, one statement writes all its vectors (and the search documents' trigger then syncs
    the batch once), whatever the number of resources.
    """
    links = Resource.themes.through.objects.filter(theme_id=theme_id).order_by("resource_id")
    done, after = 0, 0
    while ids := list(
        links.filter(resource_id__gt=after).values_list("resource_id", flat=True)[:batch_size]
    ):
        done += resources_reindex(ids=ids, actor=actor)
        after = ids[-1]
    if done:
        bump_content_version()  # bulk updates send no signal: cached results are stale
    return done


# What hub.search.document_parts reads of a resource.
_INDEXED_RESOURCE_FIELDS = (
    *(f"{name}_{code}" for name in ("title", "summary", "body") for code in ("en", "ar")),
    "authors",
)


@captured()
def resources_reindex(*, ids: Iterable[int], actor) -> int:
    """Recompute the search data of these resources in one statement (as update_search_index
    does for one). The rows are locked first: an edit committing meanwhile waits, then writes its
    own index from its own text, so an older text never overwrites a newer one's index. The lock
    is FOR NO KEY UPDATE, in id order: it does not block the foreign-key checks of writers adding
    theme links to these resources (FOR UPDATE did, and deadlocked with them)."""
    _require_maintainer(actor)
    resources = list(
        Resource.objects.filter(pk__in=list(ids))
        .select_for_update(no_key=True)
        .only(*_INDEXED_RESOURCE_FIELDS)
        .order_by("pk")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.only(*INDEXED_THEME_FIELDS)))
    )
    fields = ["search_text"]
    if connection.vendor == "postgresql":
        fields.append("search_vector")
    for resource in resources:
        parts = document_parts(resource)
        resource.search_text = search_text_from_parts(parts)
        if connection.vendor == "postgresql":
            resource.search_vector = RawSQL(  # noqa: S611 - a constant expression; values are parameters
                VECTOR_SQL,
                [parts[w][lang] for w, lang in VECTOR_PARAMETER_ORDER],
                output_field=SearchVectorField(),
            )
    return Resource.objects.bulk_update(resources, fields)


@captured()
def resource_transition(*, resource: Resource, to_status: str, actor, note: str = "") -> Resource:
    """Move a resource through the workflow, recording who did it and when.

    hub.permissions decides who may (and whether a draft may skip review); whoever publishes,
    a person or a job, publishes only what passes the quality gate (`publication_problems`).
    """
    resource = Resource.objects.select_for_update(no_key=True).get(pk=resource.pk)
    if resource.deleted_at is not None:
        raise DomainError(_("This resource was deleted."), code="deleted")
    if resource.status == to_status:
        return resource
    refusal = permissions.transition_refusal(actor, resource, to_status)
    if refusal is not None:
        code = (
            "invalid_transition" if (resource.status, to_status) not in TRANSITIONS else "forbidden"
        )
        raise DomainError(refusal, code=code)
    if to_status == Status.PUBLISHED and not (resource.title_en or resource.title_ar):
        raise DomainError(_("A resource needs a title before it is published."))
    if to_status == Status.PUBLISHED and not permissions.skips_quality_gate(actor):
        problems = publication_problems(resource)
        if problems:
            raise DomainError(
                _("Not ready to publish: %(problems)s")
                % {"problems": " ".join(str(p) for p in problems.values())},
                code="not_ready",
            )
    previous = resource.status
    resource.status = to_status
    if to_status == Status.PUBLISHED:
        resource.published_at = resource.published_at or timezone.now()
        resource.publish_at = None
    record_author(resource, actor)
    resource.save()
    StatusChange.objects.create(
        resource=resource,
        from_status=previous,
        to_status=to_status,
        actor=as_user(actor),
        note=note_for(actor, note),
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


@captured()
def resource_delete(*, resource: Resource, actor) -> None:
    """Soft delete: the row stays as a tombstone (the API's change feed reports it)."""
    if not permissions.can_delete_resource(actor, resource):
        raise DomainError(_("You do not have permission to delete resources."), code="forbidden")
    resource.deleted_at = timezone.now()
    resource.featured = False
    record_author(resource, actor)
    resource.save()
    StatusChange.objects.create(
        resource=resource,
        from_status=resource.status,
        to_status=resource.status,
        actor=as_user(actor),
        note="deleted",
    )


def publish_scheduled(*, actor, now=None) -> int:
    """Publish resources in review whose scheduled time has come (Celery beat)."""
    require_actor(actor)  # also when nothing is due
    published = 0
    for resource in Resource.objects.due_for_publication(now):
        try:
            resource_transition(
                resource=resource, to_status=Status.PUBLISHED, actor=actor, note="scheduled"
            )
        except DomainError as refusal:
            # Incomplete since it was scheduled: it stays in review (and on the reviewers'
            # dashboard) until someone completes it; the others are published.
            logger.warning("scheduled publication of %s refused: %s", resource.identifier, refusal)
            continue
        published += 1
    return published


def check_links(*, actor, concurrency: int = 8, timeout: float = 10.0) -> dict[str, int]:
    """Check every external link of live resources and flag broken ones to curators."""
    _require_maintainer(actor)
    resources = list(Resource.objects.alive().exclude(external_url="").only("pk", "external_url"))
    results = check_urls(
        [r.external_url for r in resources], concurrency=concurrency, timeout=timeout
    )
    now = timezone.now()
    counts = {"ok": 0, "broken": 0}
    # The results in one captured transaction once every link is checked (none is held open
    # while the checks wait on the network).
    with captured():
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


# --- organisations and regions, and the admin's one entry point ----------------------------------
@captured()
def organisation_save(*, organisation: Organisation, actor) -> Organisation:
    if not permissions.can_save(actor, organisation):
        raise DomainError(FORBIDDEN, code="forbidden")
    organisation.full_clean()
    record_author(organisation, actor)
    organisation.save()
    return organisation


@captured()
def organisation_delete(*, organisation: Organisation, actor) -> None:
    if not permissions.can_delete(actor, organisation):
        raise DomainError(FORBIDDEN, code="forbidden")
    record_author(organisation, actor)  # the deletion's history row names who did it
    organisation.delete()


@captured()
def region_save(*, region: Region, actor) -> Region:
    if not permissions.can_save(actor, region):
        raise DomainError(FORBIDDEN, code="forbidden")
    region.full_clean()
    record_author(region, actor)
    region.save()
    return region


@captured()
def region_delete(*, region: Region, actor) -> None:
    """Delete a region: its resources leave it (their change events follow from the capture)."""
    if not permissions.can_delete(actor, region):
        raise DomainError(FORBIDDEN, code="forbidden")
    record_author(region, actor)
    region.delete()


def save_object(*, obj, actor, links: dict | None = None):
    """Save any hub object through its service (the admin's save, inlines and reverts).
    `links`: many-to-many choices to set ({field name: objects}); only resources have any."""
    links = dict(links or {})
    if isinstance(obj, Resource):
        themes, regions = links.pop("themes", None), links.pop("regions", None)
        if links:
            raise TypeError(f"a resource has no choices {sorted(links)}")
        return resource_save(resource=obj, actor=actor, themes=themes, regions=regions)
    if links:
        raise TypeError(f"{type(obj).__name__} has no choices {sorted(links)}")
    if isinstance(obj, Theme):
        return theme_save(theme=obj, actor=actor)
    if isinstance(obj, Organisation):
        return organisation_save(organisation=obj, actor=actor)
    if isinstance(obj, Region):
        return region_save(region=obj, actor=actor)
    raise TypeError(f"hub.services cannot save {type(obj).__name__}")


def delete_object(*, obj, actor) -> None:
    if isinstance(obj, Resource):
        return resource_delete(resource=obj, actor=actor)
    if isinstance(obj, Theme):
        return theme_delete(theme=obj, actor=actor)
    if isinstance(obj, Organisation):
        return organisation_delete(organisation=obj, actor=actor)
    if isinstance(obj, Region):
        return region_delete(region=obj, actor=actor)
    raise TypeError(f"hub.services cannot delete {type(obj).__name__}")
