from django.db import models
from django.utils.translation import gettext_lazy as _

from core.bilingual import TranslatedModel


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


class OutboxTask(models.Model):
    """A Celery task recorded in the same transaction as the change that needs it.

    If the broker is down when the transaction commits, the row stays unsent and the relay
    sends it once the broker is back: e-mails and deliveries are never lost. A task the broker
    took but that never completed (a broker that lost its messages) is sent again by the sweep
    (`core.outbox.redeliver`).
    """

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk}"


class LoadedSeed(models.Model):
    """An object the content loader created (core.loading): its model and natural key as the seeds
    name it, and its id. Loading again never creates it a second time, whatever staff did with it
    since: a changed slug or a deletion is theirs to keep."""

    key = models.CharField(max_length=300, unique=True)
    object_id = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("loaded seed object")
        verbose_name_plural = _("loaded seed objects")

    def __str__(self) -> str:
        return self.key
