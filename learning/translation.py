import simple_history
from modeltranslation.translator import TranslationOptions, register

from core.history import StableHistoricalRecords

from .models import Cohort, Commitment, Phase, ProgressUpdate, Session, Speaker


@register(Cohort)
class CohortTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Phase)
class PhaseTranslation(TranslationOptions):
    fields = ("name", "city")


@register(Speaker)
class SpeakerTranslation(TranslationOptions):
    fields = ("name", "role", "bio")


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Commitment)
class CommitmentTranslation(TranslationOptions):
    fields = ("text", "deliverable")


@register(ProgressUpdate)
class ProgressUpdateTranslation(TranslationOptions):
    fields = ("text",)


for model in (Cohort, Phase, Speaker, Commitment, ProgressUpdate):
    simple_history.register(model)
simple_history.register(
    Session, records_class=StableHistoricalRecords, m2m_fields=["partners", "materials"]
)
