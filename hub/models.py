import secrets

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from s4c.bilingual import TranslatedModel


class Region(TranslatedModel):
    """One of the five ILO regions."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    countries = CountryField(_("countries"), multiple=True, blank=True)
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
        MEDIA = "media", _("Media")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.FileField(_("logo"), upload_to="organisations/", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name_en"]
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
    """A stable public identifier: readable, unique, never changed after creation."""
    base = slugify(title)[:50].strip("-") or "resource"
    return f"{base}-{secrets.token_hex(3)}"


class Resource(TranslatedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Type(models.TextChoices):
        PUBLICATION = "publication", _("Publication")
        POLICY = "policy", _("Policy or strategy")
        LEGISLATION = "legislation", _("Legislation")
        TOOL = "tool", _("Tool or guide")
        GOOD_PRACTICE = "good_practice", _("Good practice or case study")
        TRAINING = "training", _("Training material")
        VIDEO = "video", _("Video or recording")
        DATASET = "dataset", _("Dataset")
        NEWS = "news", _("News or event report")

    identifier = models.SlugField(_("identifier"), max_length=80, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    resource_type = models.CharField(_("type"), max_length=32, choices=Type.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    publisher = models.ForeignKey(
        Organisation, verbose_name=_("publisher"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="published_resources",
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="resources")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.identifier:
            self.identifier = new_resource_identifier(self.title_en or self.title_ar or "")
        super().save(*args, **kwargs)
