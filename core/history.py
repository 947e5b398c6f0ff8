"""Model history (django-simple-history) with a stable shape from one process to the next, and
the author of each version."""

from simple_history.models import HistoricalRecords

from core.permissions import as_user


def record_author(obj, actor) -> None:
    """Name `actor` as the author of `obj`'s next history row (nobody for a system actor or a
    visitor). simple-history reads `_history_user`, its documented attribute, and otherwise the
    request's user: a service called outside a request (a command, a shell) would record nobody."""
    obj._history_user = as_user(actor)


class StableHistoricalRecords(HistoricalRecords):
    """Registers a model's m2m history models in the order its `m2m_fields` name them.

    simple-history keeps the names in a set, so with hash randomisation each process registers
    them in another order, and `dumpdata` (which backups and the "a second load changes
    nothing" check compare) lists their rows in another order although nothing changed.
    """

    def get_m2m_fields_from_model(self, model):
        return sorted(super().get_m2m_fields_from_model(model), key=lambda field: field.name)
