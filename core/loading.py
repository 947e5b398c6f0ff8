"""Add-only content loading shared by every app's `content.load()`.

Loading the shipped South-4-Care content is a one-time act: once an object exists (found by its
natural key), it belongs to the staff who curate it. `add_missing()` therefore only creates what
is absent and never compares or rewrites what is there, so running `load_south4care` again, by
hand or by mistake in a deploy, changes nothing: no field, no timestamp, no history row, no change
event or webhook, and a theme renamed or a cohort opened in the admin stays as staff left it.

What the loader cannot tell apart is an object staff deleted from one never loaded: a deleted
row comes back if the loader runs again (hub resources are soft-deleted, so they do not).
"""

from collections.abc import Callable

from django.db import models


def add_missing(
    model: type[models.Model],
    *,
    lookup: dict,
    values: dict,
    save: Callable[[models.Model, dict | None], object],
    m2m: dict | None = None,
) -> tuple[models.Model, bool]:
    """Return `(obj, created)`: the stored object untouched, or a new one made from the seeds and
    written with its many-to-many links by `save(obj, m2m)` (the owning app's service, see
    `adder`)."""
    obj = model.objects.filter(**lookup).first()
    if obj is not None:
        return obj, False
    obj = model(**lookup, **values)
    save(obj, m2m)
    return obj, True


def adder(save_object: Callable[..., object], *, actor) -> Callable[..., tuple]:
    """`add_missing` writing through an app's `services.save_object` as `actor` (its `links`
    are the object's many-to-many choices)."""

    def save(obj, m2m):
        # Only the apps whose objects have links to set take `links`.
        return save_object(obj=obj, actor=actor, **({"links": m2m} if m2m else {}))

    def add(model: type[models.Model], **kwargs) -> tuple[models.Model, bool]:
        return add_missing(model, save=save, **kwargs)

    return add


def set_links(obj: models.Model, links: dict | None) -> None:
    """Set an object's many-to-many choices ({field name: objects}); for the services' `links`."""
    for name, related in (links or {}).items():
        getattr(obj, name).set(related)
