import simple_history
from modeltranslation.translator import TranslationOptions, register

from core.history import StableHistoricalRecords

from .models import (
    BudgetFigure,
    Deliverable,
    Objective,
    OperationalPrinciple,
    Outcome,
    Plan,
    ProgressReport,
)


@register(Plan)
class PlanTranslation(TranslationOptions):
    fields = ("title", "summary", "source_document", "decision")


@register(OperationalPrinciple)
class PrincipleTranslation(TranslationOptions):
    fields = ("title", "text")


@register(Objective)
class ObjectiveTranslation(TranslationOptions):
    fields = ("title", "narrative")


@register(Outcome)
class OutcomeTranslation(TranslationOptions):
    fields = ("title", "narrative")


@register(Deliverable)
class DeliverableTranslation(TranslationOptions):
    fields = ("text",)


@register(ProgressReport)
class ProgressReportTranslation(TranslationOptions):
    fields = ("narrative",)


@register(BudgetFigure)
class BudgetFigureTranslation(TranslationOptions):
    fields = ("source", "note")


# Every change is kept with its author (history registered after translation).
for model in (Plan, OperationalPrinciple, Objective, Outcome, BudgetFigure):
    simple_history.register(model)
simple_history.register(
    Deliverable,
    records_class=StableHistoricalRecords,
    m2m_fields=["conclusion_paragraphs", "programme_outcomes"],
)
simple_history.register(ProgressReport, m2m_fields=["evidence"])
