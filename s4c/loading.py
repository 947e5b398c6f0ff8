"""Idempotent content loading shared by every app's `content.load()`.

`upsert()` writes only what differs, so a second run of `load_south4care` changes nothing:
no new rows, no new history entries, no moved timestamps.
"""

from collections.abc import Iterable

from django.db import models


def upsert(model: type[models.Model], *, lookup: dict, values: dict, m2m: dict | None = None):
    """Create or update one object; returns `(obj, changed)`."""
    obj = model.objects.filter(**lookup).first()
    changed = False
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        changed = True
    else:
        dirty = [name for name, value in values.items() if getattr(obj, name) != value]
        if dirty:
            for name in dirty:
                setattr(obj, name, values[name])
            obj.save()
            changed = True
    for name, related in (m2m or {}).items():
        manager = getattr(obj, name)
        wanted = {item.pk for item in related}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(related)
            changed = True
    return obj, changed


def count_changes(results: Iterable[tuple[models.Model, bool]]) -> int:
    return sum(1 for _obj, changed in results if changed)
