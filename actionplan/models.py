"""Plans of action as data: objectives → outcomes → deliverables, with references, budgets, progress.

General enough for any ILO plan (the SSE plan 2023–2029, the care economy plan 2024–2030…).
"""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bilingual import TranslatedModel

CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Plan(TranslatedModel):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    source_document = models.CharField(_("source document"), max_length=300, blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    source_date = models.DateField(_("date of the source document"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    currency = models.CharField(
        _("currency"), max_length=3, default="USD", help_text=_("ISO 4217 code, e.g. USD.")
    )
    decision = models.TextField(_("decision"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-start_year", "slug"]
        verbose_name = _("plan of action")
        verbose_name_plural = _("plans of action")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="plan_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=1990, end_year__lte=2100), name="plan_period_plausible"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.currency and not CURRENCY_CODE.match(self.currency):
            raise ValidationError({"currency": _("Use a three-letter ISO 4217 code such as USD.")})
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError(
                {"end_year": _("The last year cannot come before the first year.")}
            )

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("actionplan:plan", kwargs={"slug": self.slug})

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class OperationalPrinciple(TranslatedModel):
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan of action"), on_delete=models.CASCADE, related_name="principles"
    )
    letter = models.CharField(_("letter"), max_length=2)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["plan", "letter"]
        verbose_name = _("operational principle")
        verbose_name_plural = _("operational principles")
        constraints = [
            models.UniqueConstraint(fields=["plan", "letter"], name="principle_letter_once")
        ]

    def __str__(self) -> str:
        return f"({self.letter}) {self.title}"


class Objective(TranslatedModel):
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan of action"), on_delete=models.CASCADE, related_name="objectives"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    narrative = models.TextField(_("narrative"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="objective_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Outcome(TranslatedModel):
    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="outcomes"
    )
    code = models.CharField(_("code"), max_length=10, help_text=_("For example 1.2"))
    title = models.CharField(_("title"), max_length=300)
    narrative = models.TextField(_("narrative"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["objective__plan", "objective__number", "code"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(fields=["objective", "code"], name="outcome_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ConclusionParagraph(models.Model):
    """A paragraph of the Conference conclusions a deliverable answers, e.g. 7(a) or 16."""

    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan of action"),
        on_delete=models.CASCADE,
        related_name="conclusion_paragraphs",
    )
    code = models.CharField(_("paragraph"), max_length=12)
    paragraph = models.PositiveSmallIntegerField(_("paragraph number"))

    class Meta:
        ordering = ["plan", "paragraph", "code"]
        verbose_name = _("conclusions paragraph")
        verbose_name_plural = _("conclusions paragraphs")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="conclusion_code_once")
        ]

    def __str__(self) -> str:
        return self.code


class ProgrammeOutcome(models.Model):
    """A Programme and Budget outcome or output a deliverable relates to, e.g. A.2 or 4.1."""

    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan of action"),
        on_delete=models.CASCADE,
        related_name="programme_outcomes",
    )
    code = models.CharField(_("code"), max_length=12)

    class Meta:
        ordering = ["plan", "code"]
        verbose_name = _("Programme and Budget outcome")
        verbose_name_plural = _("Programme and Budget outcomes")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="pb_code_once")]

    def __str__(self) -> str:
        return self.code


class DeliverableQuerySet(models.QuerySet):
    def active_in(self, year: int):
        return self.filter(start_year__lte=year, end_year__gte=year)


class Deliverable(TranslatedModel):
    """A high-level result: a row of the plan's table."""

    outcome = models.ForeignKey(
        Outcome, verbose_name=_("outcome"), on_delete=models.CASCADE, related_name="deliverables"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("high-level result"))
    start_year = models.PositiveSmallIntegerField(_("from"))
    end_year = models.PositiveSmallIntegerField(_("to"))
    conclusion_paragraphs = models.ManyToManyField(
        ConclusionParagraph,
        verbose_name=_("conclusions paragraphs"),
        blank=True,
        related_name="deliverables",
    )
    programme_outcomes = models.ManyToManyField(
        ProgrammeOutcome,
        verbose_name=_("Programme and Budget outcomes"),
        blank=True,
        related_name="deliverables",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DeliverableQuerySet.as_manager()

    class Meta:
        ordering = ["outcome__objective__number", "outcome__code", "order", "pk"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="deliverable_timeframe_ordered"
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=1990, end_year__lte=2100),
                name="deliverable_timeframe_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outcome.code} · {self.text[:80]}"

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The timeframe ends before it starts.")})
        plan = self.outcome.objective.plan if self.outcome_id else None
        if (
            plan
            and self.start_year
            and self.end_year
            and not (plan.start_year <= self.start_year and self.end_year <= plan.end_year)
        ):
            raise ValidationError(
                {
                    "start_year": _(
                        "The timeframe must lie within the plan's period (%(start)s–%(end)s)."
                    )
                    % {"start": plan.start_year, "end": plan.end_year}
                }
            )

    @property
    def timeframe(self) -> str:
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{str(self.end_year)[-2:]}"


class ProgressReport(TranslatedModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        OFF_TRACK = "off_track", _("Off track")
        COMPLETED = "completed", _("Completed")

    deliverable = models.ForeignKey(
        Deliverable,
        verbose_name=_("deliverable"),
        on_delete=models.CASCADE,
        related_name="progress_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    narrative = models.TextField(_("narrative"), blank=True)
    expenditure = models.DecimalField(_("expenditure"), null=True, blank=True, **MONEY)
    evidence = models.ManyToManyField(
        "hub.Resource", verbose_name=_("evidence"), blank=True, related_name="+"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["deliverable", "-year"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "year"], name="one_report_per_deliverable_and_year"
            ),
            models.CheckConstraint(
                condition=Q(expenditure__gte=0) | Q(expenditure__isnull=True),
                name="expenditure_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deliverable} · {self.year}"

    def clean(self):
        if self.deliverable_id and self.year:
            plan = self.deliverable.outcome.objective.plan
            if not plan.start_year <= self.year <= plan.end_year:
                raise ValidationError(
                    {
                        "year": _("The year must lie within the plan's period (%(start)s–%(end)s).")
                        % {"start": plan.start_year, "end": plan.end_year}
                    }
                )


class BudgetFigure(TranslatedModel):
    """A resource estimate as of a date: the original figure and every later revision are kept."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("Original estimate")
        REVISION = "revision", _("Revision")

    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan of action"),
        on_delete=models.CASCADE,
        related_name="budget_figures",
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="budget_figures",
        help_text=_("Empty for the plan's total."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ORIGINAL)
    amount = models.DecimalField(_("amount"), **MONEY)
    as_of = models.DateField(_("as of"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "objective__number", "as_of", "pk"]
        verbose_name = _("budget figure")
        verbose_name_plural = _("budget figures")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} ({self.as_of})"
