import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from core.bilingual import TranslatedModel
from core.countries import Countries
from core.formats import local_date, local_digits
from core.text import latin_slug
from core.uploads import validate_document, validate_image

# ISO 639-1 codes of the languages documents exist in (the UN languages plus Portuguese).
# The publication years a resource may give (the messages below say them in words).
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
MONTHS_IN_YEAR = 12

DOCUMENT_LANGUAGES = [
    ("ar", _("Arabic")),
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("ru", _("Russian")),
    ("zh", _("Chinese")),
]


class Region(TranslatedModel):
    """One of the five ILO regions."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    countries = CountryField(_("countries"), countries=Countries, multiple=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("ILO region")
        verbose_name_plural = _("ILO regions")

    def __str__(self) -> str:
        return self.name


class Organisation(TranslatedModel):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        EMPLOYERS = "employers", _("Employers' organisation")
        WORKERS = "workers", _("Workers' organisation")
        UN_AGENCY = "un_agency", _("UN agency")
        DEVELOPMENT_BANK = "development_bank", _("Development bank")
        DEVELOPMENT_PARTNER = "development_partner", _("Development partner")
        ACADEMIC = "academic", _("Academic or research institution")
        SSE_ENTITY = "sse_entity", _("Social and solidarity economy entity")
        CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
        SOCIAL_PARTNERS = "social_partners", _("Social partners (employers and workers)")
        MEDIA = "media", _("Media")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    country = CountryField(_("country"), countries=Countries, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.FileField(
        _("logo"), upload_to="organisations/", blank=True, validators=[validate_image]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        # By name, an Arabic-only one by its Arabic name (not first, by its empty English one).
        ordering = [Coalesce(NullIf("name_en", Value("")), "name_ar").asc()]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Theme(TranslatedModel):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


def new_resource_identifier(title: str = "") -> str:
    """A stable public identifier: readable (an Arabic title spelled in Latin letters), unique,
    never changed after creation."""
    base = latin_slug(title, max_length=50) or "resource"
    return f"{base}-{secrets.token_hex(3)}"


class ResourceQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def published(self):
        return self.alive().filter(status=Resource.Status.PUBLISHED)

    def due_for_publication(self, now=None):
        now = now or timezone.now()
        return self.alive().filter(status=Resource.Status.IN_REVIEW, publish_at__lte=now)


class Resource(TranslatedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Type(models.TextChoices):
        PUBLICATION = "publication", pgettext_lazy("resource type", "Publication")
        POLICY = "policy", _("Policy or strategy")
        LEGISLATION = "legislation", _("Legislation")
        TOOL = "tool", _("Tool or guide")
        GOOD_PRACTICE = "good_practice", _("Good practice or case study")
        TRAINING = "training", _("Training material")
        VIDEO = "video", _("Video or recording")
        DATASET = "dataset", _("Dataset")
        NEWS = "news", _("News or event report")

    class Modality(models.TextChoices):
        NONE = "", _("Not applicable")
        SOUTH_SOUTH = "south_south", _("South–South cooperation")
        TRIANGULAR = "triangular", _("Triangular cooperation")
        OTHER = "other", _("Other cooperation")

    class LinkStatus(models.TextChoices):
        UNCHECKED = "", _("Not checked")
        OK = "ok", _("Working")
        BROKEN = "broken", _("Broken")

    identifier = models.SlugField(_("identifier"), max_length=80, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Rich text; it is cleaned on save."))
    resource_type = models.CharField(_("type"), max_length=32, choices=Type.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    publisher = models.ForeignKey(
        Organisation,
        verbose_name=_("publisher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_resources",
    )
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    publication_year = models.PositiveSmallIntegerField(_("publication year"))
    publication_month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    publication_day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)
    external_url = models.URLField(_("external link"), max_length=500, blank=True)
    file = models.FileField(
        _("file"), upload_to="resources/%Y/", blank=True, validators=[validate_document]
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="resources"
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("ILO regions"), blank=True, related_name="resources"
    )
    is_global = models.BooleanField(_("global"), default=False)
    modality = models.CharField(
        _("cooperation modality"), max_length=16, choices=Modality.choices, blank=True, default=""
    )
    providing_countries = CountryField(
        _("providing countries"), countries=Countries, multiple=True, blank=True
    )
    receiving_countries = CountryField(
        _("receiving countries"), countries=Countries, multiple=True, blank=True
    )
    licence = models.CharField(_("licence"), max_length=120, blank=True)
    arabic_pending = models.BooleanField(
        _("Arabic not yet available"),
        default=False,
        help_text=_("Tick to publish without the Arabic title or summary, saying so explicitly."),
    )
    # The countries' codes as of this version (the rows of ResourceCountry are what the facets
    # count): kept here so each version in the history, and a restore, knows them.
    country_codes = models.JSONField(_("countries"), default=list, blank=True, editable=False)
    featured = models.BooleanField(_("featured"), default=False)
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("Scheduled publication: a resource in review is published at this time."),
    )
    published_at = models.DateTimeField(
        pgettext_lazy("date of publication", "published"), null=True, blank=True, editable=False
    )
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)
    link_status = models.CharField(
        _("link status"),
        max_length=8,
        choices=LinkStatus.choices,
        blank=True,
        default="",
        editable=False,
    )
    link_checked_at = models.DateTimeField(_("link checked"), null=True, blank=True, editable=False)
    link_error = models.CharField(_("link problem"), max_length=300, blank=True, editable=False)
    # Search: a weighted PostgreSQL tsvector, and normalised tokens for the SQLite fallback.
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-publication_year", "-published_at", "-created_at"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        permissions = [
            ("submit_resource", _("Can submit a resource for review")),
            ("publish_resource", _("Can publish, unpublish and archive resources")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(publication_month__isnull=True)
                | Q(publication_month__gte=1, publication_month__lte=12),
                name="resource_month_valid",
                violation_error_code="invalid_month",
                violation_error_message=_("The month must be between 1 and 12."),
            ),
            models.CheckConstraint(
                condition=Q(publication_day__isnull=True)
                | Q(
                    publication_month__isnull=False, publication_day__gte=1, publication_day__lte=31
                ),
                name="resource_day_needs_month",
                violation_error_code="invalid_day",
                violation_error_message=_(
                    "The day must be between 1 and 31, and needs a month: give the month too, or leave the day empty."
                ),
            ),
            models.CheckConstraint(
                condition=Q(publication_year__gte=EARLIEST_YEAR, publication_year__lte=LATEST_YEAR),
                name="resource_year_plausible",
                violation_error_code="implausible_year",
                violation_error_message=_("The publication year must be between 1900 and 2100."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deleted_at", "-publication_year"]),
            models.Index(fields=["updated_at"]),
            # The API's ?ordering=created_at pages through published resources by creation time.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(status="published", deleted_at__isnull=True),
                name="resource_published_created",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.identifier:
            self.identifier = new_resource_identifier(self.title_en or self.title_ar or "")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("hub:detail", kwargs={"identifier": self.identifier})

    def clean(self):
        errors = {}
        # Said on the field, in the user's language (the check constraint says it for writes
        # that skip the form, with the same message).
        if self.publication_year is not None and not (
            EARLIEST_YEAR <= self.publication_year <= LATEST_YEAR
        ):
            errors["publication_year"] = _("The publication year must be between 1900 and 2100.")
        if self.publication_day and not self.publication_month:
            errors["publication_day"] = _("Give the month too, or leave the day empty.")
        if self.publication_month and not 1 <= self.publication_month <= MONTHS_IN_YEAR:
            errors["publication_month"] = _("The month must be between 1 and 12.")
        if self.publication_day and self.publication_month:
            import calendar

            last = calendar.monthrange(self.publication_year or 2000, self.publication_month)[1]
            if not 1 <= self.publication_day <= last:
                errors["publication_day"] = _("This day does not exist in that month.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.deleted_at is None

    @property
    def publication_date_iso(self) -> str:
        """The publication date as precise as it is known, in ISO 8601 (2025, 2025-09 or
        2025-09-01): what the API, JSON-LD and OAI-PMH give."""
        parts = [f"{self.publication_year:04d}"]
        if self.publication_month:
            parts.append(f"{self.publication_month:02d}")
            if self.publication_day:
                parts.append(f"{self.publication_day:02d}")
        return "-".join(parts)

    @property
    def publication_date_display(self):
        """The publication date as precise as it is known: a date, a month or a year."""
        import datetime as dt

        if self.publication_month and self.publication_day:
            return local_date(
                dt.date(self.publication_year, self.publication_month, self.publication_day)
            )
        if self.publication_month:
            return local_date(
                dt.date(self.publication_year, self.publication_month, 1), "YEAR_MONTH_FORMAT"
            )
        return local_digits(self.publication_year)


class ResourceCountry(models.Model):
    """A country a resource is about (a row per country, so facets can count them)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="country_links")
    country = CountryField(_("country"), countries=Countries)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "country"], name="resource_country_once")
        ]
        indexes = [models.Index(fields=["country"])]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return str(self.country.name)


class ResourceLanguage(models.Model):
    """A language the document itself exists in (ISO 639-1)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="language_links")
    language = models.CharField(_("document language"), max_length=2, choices=DOCUMENT_LANGUAGES)
    url = models.URLField(
        _("online copy"),
        max_length=500,
        blank=True,
        help_text=_(
            "The address of the document in this language. Leave empty when there is no online copy."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "language"], name="resource_language_once")
        ]
        indexes = [models.Index(fields=["language"])]
        verbose_name = _("document language")
        verbose_name_plural = _("document languages")

    def __str__(self) -> str:
        return self.get_language_display()

    @property
    def format_label(self) -> str:
        """What opening the link gives: "PDF", "Word", or a web page."""
        return document_format(self.url)


# A document's format as the API names it (a stable code), from its address's suffix.
DOCUMENT_FORMATS = {
    "pdf": "pdf",
    "doc": "word",
    "docx": "word",
    "xls": "excel",
    "xlsx": "excel",
    "epub": "epub",
}
FORMAT_LABELS = {"pdf": "PDF", "word": "Word", "excel": "Excel", "epub": "EPUB"}


def document_format_code(url: str) -> str:
    """The format of a document from its address ("pdf" for ….pdf), "html" (a web page) otherwise."""
    from urllib.parse import urlsplit

    path = urlsplit(url).path
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return DOCUMENT_FORMATS.get(suffix, "html")


def document_format(url: str) -> str:
    """The format of a document from its address ("PDF" for ….pdf), a web page otherwise."""
    code = document_format_code(url)
    return FORMAT_LABELS.get(code) or str(_("web page"))


class StatusChange(models.Model):
    """Who moved a resource through the workflow, and when."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=16, choices=Resource.Status.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=Resource.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    changed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
