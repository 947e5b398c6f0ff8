"""Writes to the site's own texts (core.models.SiteText), the library's one curated model.

Like the apps' services: an explicit actor, one permission rule (Django's model permission, as
`core.permissions.model_permission` reads it: site texts have no workflow) and a history entry
naming who. The library sits below the partner app, so these do not open a `captured()` block
themselves: their callers do (the admin's requests, the content loader), and a write outside one
is flushed right after its commit (partners/capture.py): the texts are on every public page, and
either way their change starts a new content version.
"""

from core.errors import FORBIDDEN, DomainError
from core.history import record_author
from core.models import SiteText
from core.permissions import model_permission


def _check(actor, obj: SiteText, action: str) -> None:
    if not model_permission(actor, obj, action):
        raise DomainError(FORBIDDEN, code="forbidden")


def save_object(*, obj: SiteText, actor, links: dict | None = None) -> SiteText:
    if links:
        raise TypeError(f"a site text has no choices {sorted(links)}")
    _check(actor, obj, "change" if obj.pk else "add")
    record_author(obj, actor)
    obj.save()
    return obj


def delete_object(*, obj: SiteText, actor) -> None:
    _check(actor, obj, "delete")
    record_author(obj, actor)
    obj.delete()
