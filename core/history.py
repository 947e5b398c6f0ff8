"""Model history (django-simple-history) with a stable shape from one process to the next."""

from simple_history.models import HistoricalRecords


class StableHistoricalRecords(HistoricalRecords):
    """Registers a model's m2m history models in the order its `m2m_fields` name them.

    simple-history keeps the names in a set, so with hash randomisation each process registers
    them in another order, and `dumpdata` (which backups and the "a second load changes
    nothing" check compare) lists their rows in another order although nothing changed.
    """

    def get_m2m_fields_from_model(self, model):
        return sorted(super().get_m2m_fields_from_model(model), key=lambda field: field.name)
