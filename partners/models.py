"""What serves partners: the public-state ledger, the change feed, API keys and webhooks.

The tables keep the names they had before this app was split out of the project package
(``s4c_…``), so deployed databases, their triggers and their backups carry over unchanged.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import whole_number


class PublicState(models.Model):
    """What the API last published of an object: a hash of its public representation.

    A save that changes nothing public leaves this row (and so the object's `updated_at` and ETag)
    untouched; an object that stops being public keeps its row as a tombstone (`deleted`).
    """

    kind = models.CharField(max_length=40)
    object_id = models.CharField(max_length=100)
    content_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField()
    deleted = models.BooleanField(default=False)

    class Meta:
        db_table = "s4c_publicstate"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="public_state_once")
        ]
        indexes = [
            # OAI-PMH's `from`/`until` windows, its earliest datestamp and the API's
            # `updated_since` all read one kind's states by time.
            models.Index(fields=["kind", "updated_at"], name="public_state_kind_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class ChangeEvent(models.Model):
    """The API's change feed: one row per change of a public object, in order (id is the cursor)."""

    class Action(models.TextChoices):
        UPSERT = "upsert", "upsert"
        DELETE = "delete", "delete"

    kind = models.CharField(max_length=40)
    object_id = models.CharField(max_length=100)
    action = models.CharField(max_length=8, choices=Action.choices)
    changed_at = models.DateTimeField()

    class Meta:
        db_table = "s4c_changeevent"
        ordering = ["id"]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.kind}:{self.object_id}"


class CapturedRow(models.Model):
    """A row written to a table that public representations are built from, copied there by the
    database's triggers in the writer's transaction (partners/capture.py), until it is flushed into
    the change feed. `data` holds the row's key columns (its id, the ids it links to, its public
    id); an update leaves both its old and its new image."""

    id = models.BigAutoField(primary_key=True)
    table_name = models.CharField(max_length=63)
    data = models.JSONField()

    class Meta:
        db_table = "s4c_capturedrow"

    def __str__(self) -> str:
        return f"{self.table_name} {self.data}"


class FeedEpoch(models.Model):
    """A period of the change feed's history. Each restore of a backup starts a new one.

    A restore brings back an older history: cursors handed out since the backup name events that
    no longer exist, and objects changed back without a feed entry of their own. Cursors carry the
    epoch they were given in (partners/views.py), so a cursor of an earlier epoch is refused with
    409 and a request to re-crawl, instead of silently skipping the restore's changes.
    No row means the first epoch (a portal that was never restored).
    """

    number = models.PositiveIntegerField(primary_key=True)
    started_at = models.DateTimeField()
    restored_from = models.DateTimeField(
        null=True, blank=True, help_text="When the backup this epoch was restored from was taken."
    )

    class Meta:
        db_table = "s4c_feedepoch"
        ordering = ["number"]

    def __str__(self) -> str:
        return f"feed epoch {self.number}"

    @classmethod
    def current(cls) -> int:
        return cls.objects.order_by("-number").values_list("number", flat=True).first() or 1

    @staticmethod
    def cursor(*, epoch: int, event_id: int) -> str:
        """A feed cursor: the event id, prefixed by the epoch after the first one ("2-1042"), so
        that cursors handed out before any restore keep their plain form."""
        return str(event_id) if epoch == 1 else f"{epoch}-{event_id}"

    @staticmethod
    def parse_cursor(text: str) -> tuple[int, int] | None:
        """(epoch, event id) of a cursor, or None if it is malformed. At most 18 digits keeps the
        id inside a 64-bit integer (and out of PostgreSQL's "bigint out of range")."""
        epoch_text, dash, id_text = text.rpartition("-")
        if epoch_text.startswith("0"):
            return None  # "01-5": the schema's pattern gives epochs without leading zeros
        epoch = whole_number(epoch_text, max_digits=9) if dash else 1
        event_id = whole_number(id_text, max_digits=18)
        if not epoch or event_id is None:
            return None
        return epoch, event_id


# --- partners: API keys and webhooks ------------------------------------------------------------

PARTNER_PERMISSION = "partners.manage_partner_access"


class ApiKey(models.Model):
    """A partner's key to the API (higher rate limit). Only a SHA-256 hash of the key is stored."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("partner organisation"), max_length=200)
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("Name and e-mail address of the person responsible at the partner."),
    )
    prefix = models.CharField(_("prefix"), max_length=12, editable=False, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        "auth.User",
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        db_table = "s4c_apikey"
        ordering = ["-created_at", "-id"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        # Given to no role by default: only superusers and the users it is given to see partners.
        permissions = [("manage_partner_access", _("Can manage partner API keys and webhooks"))]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


WEBHOOK_PRIVATE_ADDRESS_REFUSAL = _(
    "A webhook URL must not lead to a loopback, private, link-local or reserved address."
)


def webhook_url_refusal(url: str, *, check_addresses: bool = True):
    """Why a webhook URL is refused (a translatable message), or None if it is acceptable.

    `check_addresses`: also resolve the host and refuse internal addresses (partners/addresses.py;
    a name that does not resolve now is accepted: each delivery checks again, and connects only
    to the addresses it checked)."""
    from urllib.parse import urlsplit

    from django.conf import settings

    from partners.addresses import refused_addresses, resolve

    parts = urlsplit(url or "")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        port = None
    if parts.scheme not in {"http", "https"} or not parts.hostname or port is None:
        return _("A webhook URL must be an http(s) address.")
    if parts.scheme != "https" and not settings.WEBHOOK_ALLOW_HTTP:
        return _("A webhook URL must use https.")
    if check_addresses and not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        try:
            addresses = resolve(parts.hostname, port)
        except OSError:
            addresses = []
        if refused_addresses(addresses):
            return WEBHOOK_PRIVATE_ADDRESS_REFUSAL
    return None


# The shortest signing secret an endpoint may have (its help text and message say it in words).
WEBHOOK_SECRET_MIN_CHARS = 32


def _webhook_secret() -> str:
    import secrets

    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """A partner's URL that receives a signed POST for each change of the public objects it wants."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("partner organisation"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        default=_webhook_secret,
        help_text=_(
            "Shared with the partner, who checks the X-S4C-Signature header with it. "
            "At least 32 characters."
        ),
    )
    kinds = models.JSONField(
        _("kinds of object"),
        default=list,
        blank=True,
        help_text=_("The kinds of object whose changes are sent; none selected means all."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "s4c_webhookendpoint"
        ordering = ["name", "id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        refusal = webhook_url_refusal(self.url)
        if refusal:
            raise ValidationError({"url": refusal})
        if len(self.secret or "") < WEBHOOK_SECRET_MIN_CHARS:
            raise ValidationError(
                {"secret": _("The signing secret must have at least 32 characters.")}
            )

    def wants(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


class WebhookEvent(models.Model):
    """One change of a public object, written in the change's own transaction (an outbox).

    Its id is the idempotency key sent as X-S4C-Event-Id: the same on every retry and endpoint.
    """

    id = models.UUIDField(primary_key=True, editable=False)
    kind = models.CharField(_("kind"), max_length=40)
    object_id = models.CharField(_("object"), max_length=100)
    action = models.CharField(_("action"), max_length=8, choices=ChangeEvent.Action.choices)
    changed_at = models.DateTimeField(_("changed"))
    cursor = models.BigIntegerField(_("change feed cursor"))

    class Meta:
        db_table = "s4c_webhookevent"
        ordering = ["cursor"]
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")

    def __str__(self) -> str:
        return f"{self.action} {self.kind}:{self.object_id}"


class WebhookDelivery(models.Model):
    """The delivery of one event to one endpoint: pending until delivered or given up."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("given up")

    event = models.ForeignKey(
        WebhookEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="deliveries"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("webhook endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        db_table = "s4c_webhookdelivery"
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="webhook_delivery_once")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"


class WebhookAttempt(models.Model):
    """The log of one HTTP attempt of a delivery."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        verbose_name=_("webhook delivery"),
        on_delete=models.CASCADE,
        related_name="attempt_log",
    )
    number = models.PositiveIntegerField(_("attempt"))
    attempted_at = models.DateTimeField(_("time"))
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))

    class Meta:
        db_table = "s4c_webhookattempt"
        ordering = ["delivery", "number"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self) -> str:
        return f"{self.delivery} #{self.number}"
