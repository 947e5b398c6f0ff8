from django.db import models
from django.utils.translation import gettext_lazy as _

from .bilingual import TranslatedModel


class SiteTextQuerySet(models.QuerySet):
    def by_key(self) -> dict[str, "SiteText"]:
        return {text.key: text for text in self}


class SiteText(TranslatedModel):
    """A bilingual block of the site's own text (the home page's presentation of the platform)."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SiteTextQuerySet.as_manager()

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("site text")
        verbose_name_plural = _("site texts")

    def __str__(self) -> str:
        return self.title
