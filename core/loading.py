"""Add-only content loading shared by every app's `content.load()`.

Loading the shipped South-4-Care content is a one-time act: once an object has been loaded, it
belongs to the staff who curate it. `add_missing()` therefore only creates what was never loaded
and never compares or rewrites what is there, so running `load_south4care` again, by hand or by
mistake in a deploy, changes nothing: no field, no timestamp, no history row, no change event or
webhook, and a theme renamed or a cohort opened in the admin stays as staff left it.

Each object it creates is remembered (core.models.LoadedSeed, by model and the seeds' natural
key), so an object staff gave another slug, or deleted, is not created again either; what belongs
to an object staff deleted (a phase of a deleted cohort) is not created.
"""

from collections.abc import Callable

from django.db import models

from core.models import LoadedSeed


def _seed_key(model: type[models.Model], lookup: dict) -> str:
    parts = []
    for name, value in sorted(lookup.items()):
        # A parent by its id, which a rename keeps.
        named = (
            f"{value._meta.label_lower}#{value.pk}" if isinstance(value, models.Model) else value
        )
        parts.append(f"{name}={named}")
    return f"{model._meta.label_lower}:{'&'.join(parts)}"


def _needs_a_deleted_object(model: type[models.Model], fields: dict) -> bool:
    """A required relation given as None: what it belongs to was loaded and deleted by staff."""
    for name, value in fields.items():
        field = model._meta.get_field(name)
        if value is None and field.is_relation and not field.null:
            return True
    return False


def add_missing(
    model: type[models.Model],
    *,
    lookup: dict,
    values: dict,
    save: Callable[[models.Model, dict | None], object],
    m2m: dict | None = None,
) -> tuple[models.Model | None, bool]:
    """Return `(obj, created)`: the object loaded before (None if staff deleted it), untouched, or
    a new one made from the seeds and written with its many-to-many links by `save(obj, m2m)`
    (the owning app's service, see `adder`)."""
    if _needs_a_deleted_object(model, lookup) or _needs_a_deleted_object(model, values):
        return None, False
    key = _seed_key(model, lookup)
    seed = LoadedSeed.objects.filter(key=key).first()
    if seed is not None:
        return model._base_manager.filter(pk=seed.object_id).first(), False
    # Not remembered: never loaded, or loaded before seeds were remembered (remembered now, as it
    # is).
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup, **values)
        save(obj, m2m)
    LoadedSeed.objects.create(key=key, object_id=str(obj.pk))
    return obj, created


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
