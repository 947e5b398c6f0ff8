import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from core.bilingual import TranslatedModel
from core.countries import Countries
from core.uploads import validate_image


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(zone)s” is not a known IANA time zone."), params={"zone": value}
        )


class Cohort(TranslatedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Applications open")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    applications_open_at = models.DateTimeField(_("applications open"), null=True, blank=True)
    applications_close_at = models.DateTimeField(_("applications close"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), default=0, help_text=_("0 means no limit.")
    )
    partners = models.ManyToManyField(
        "hub.Organisation", verbose_name=_("partners"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year", "slug"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(
                condition=Q(applications_close_at__isnull=True)
                | Q(applications_open_at__isnull=True)
                | Q(applications_close_at__gt=F("applications_open_at")),
                name="cohort_window_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("learning:cohort", kwargs={"slug": self.slug})

    def applications_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.OPEN
            and (self.applications_open_at is None or self.applications_open_at <= now)
            and (self.applications_close_at is None or now < self.applications_close_at)
        )


class Phase(TranslatedModel):
    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="phases"
    )
    name = models.CharField(_("name"), max_length=200)
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), countries=Countries, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("IANA time zone of the venue, e.g. Asia/Qatar."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["cohort", "start_date", "order"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="phase_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Speaker(TranslatedModel):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role and affiliation"), max_length=300, blank=True)
    bio = models.TextField(_("short biography"), blank=True)
    organisation = models.ForeignKey(
        "hub.Organisation",
        verbose_name=pgettext_lazy("of a person", "organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    photo = models.FileField(
        _("photo"), upload_to="speakers/", blank=True, validators=[validate_image]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        # By name, an Arabic-only one by its Arabic name (not first, by its empty English one).
        ordering = [Coalesce(NullIf("name_en", Value("")), "name_ar").asc()]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name


class Session(TranslatedModel):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        SOUTH_SOUTH_PLENARY = "south_south_plenary", _("South–South plenary")
        PARTNERS = "partners", _("Partners session")
        WORKSHOP = "workshop", _("Workshop")
        LAUNCH = "launch", _("Launch event")
        STUDY_VISIT = "study_visit", _("Study visit")
        OTHER = "other", _("Other")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="sessions"
    )
    phase = models.ForeignKey(
        Phase, verbose_name=_("phase"), on_delete=models.PROTECT, related_name="sessions"
    )
    slug = models.SlugField(_("slug"), max_length=80)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    # Either a timed slot (aware start and end) or a date-only entry when the time is not known.
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Empty while the date is to be confirmed.")
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("e.g. en, ar, es")
    )
    interpretation = models.BooleanField(_("interpretation provided"), default=False)
    partners = models.ManyToManyField(
        "hub.Organisation", verbose_name=_("partner organisations"), blank=True, related_name="+"
    )
    materials = models.ManyToManyField(
        "hub.Resource", verbose_name=_("materials"), blank=True, related_name="+"
    )
    recording_url = models.URLField(_("recording"), blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    sequence = models.PositiveIntegerField(_("order in the programme"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = [F("date").asc(nulls_last=True), "starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "slug"], name="session_slug_once"),
            models.CheckConstraint(
                condition=(Q(starts_at__isnull=True) & Q(ends_at__isnull=True))
                | (
                    Q(starts_at__isnull=False)
                    & Q(ends_at__isnull=False)
                    & Q(ends_at__gt=F("starts_at"))
                ),
                name="session_timed_or_date_only",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(date__isnull=False),
                name="timed_session_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("learning:session", kwargs={"slug": self.cohort.slug, "session": self.slug})

    @property
    def is_timed(self) -> bool:
        return self.starts_at is not None

    def clean(self):
        if (self.starts_at is None) != (self.ends_at is None):
            raise ValidationError(
                _("Give both a start and an end time, or neither for a date-only session.")
            )
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The session must end after it starts.")})
        if (
            self.phase_id
            and self.date
            and not (self.phase.start_date <= self.date <= self.phase.end_date)
        ):
            raise ValidationError(
                {
                    "date": _("The date must fall within the phase (%(start)s – %(end)s).")
                    % {"start": self.phase.start_date, "end": self.phase.end_date}
                }
            )


class SessionSpeaker(models.Model):
    class Role(models.TextChoices):
        MODERATOR = "moderator", _("Moderator")
        SPEAKER = "speaker", _("Speaker")
        KEYNOTE = "keynote", _("Keynote speaker")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speaker_links")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="session_links")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.SPEAKER)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "speaker"], name="speaker_once_per_session")
        ]
        verbose_name = _("session speaker")
        verbose_name_plural = _("session speakers")

    def __str__(self) -> str:
        return f"{self.speaker} ({self.get_role_display()})"


class Application(models.Model):
    """A person applying to a cohort. Personal data: never shown publicly or in the API."""

    class Constituency(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        EMPLOYERS = "employers", _("Employers' organisation")
        WORKERS = "workers", _("Workers' organisation")
        EXPERT = "expert", _("Policy expert")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        COMPLETED = "completed", _("Completed")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="applications"
    )
    name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    country = CountryField(_("country"), countries=Countries)
    organisation = models.CharField(pgettext_lazy("of a person", "organisation"), max_length=200)
    constituency = models.CharField(
        _("constituency group"), max_length=12, choices=Constituency.choices
    )
    working_languages = models.CharField(_("working languages"), max_length=100)
    motivation = models.TextField(_("motivation"), max_length=3000)
    language = models.CharField(_("language of correspondence"), max_length=2, default="en")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledgement sent"), null=True, blank=True)
    # Set when the personal data was erased (on request or after the retention period): the row
    # stays, anonymised, so the cohort's statistics (country, constituency, status) still add up.
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        permissions = [("erase_personal_data", _("Can erase and export a person's data"))]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "email"], name="one_application_per_email_and_cohort"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.cohort}"


class Attendance(models.Model):
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    attended = models.BooleanField(_("attended"), default=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "session"], name="attendance_once")
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.application} · {self.session}"


class Commitment(TranslatedModel):
    class Lever(models.TextChoices):
        RECOGNISE = "recognise", _("Recognise unpaid care work")
        REDUCE = "reduce", _("Reduce unpaid care work")
        REDISTRIBUTE = "redistribute", _("Redistribute unpaid care work")
        REWARD = "reward", _("Reward care workers")
        REPRESENT = "represent", _("Representation, social dialogue and collective bargaining")

    class Light(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        DELAYED = "delayed", _("Delayed")
        AT_RISK = "at_risk", _("At risk")
        ACHIEVED = "achieved", _("Achieved")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="commitments"
    )
    owner = models.ForeignKey(
        Application,
        verbose_name=_("participant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        help_text=_("The participant who made it (never shown publicly)."),
    )
    country = CountryField(_("country"), countries=Countries)
    text = models.TextField(_("commitment"))
    lever = models.CharField(_("5R lever"), max_length=12, choices=Lever.choices)
    outcome = models.ForeignKey(
        "actionplan.Outcome",
        verbose_name=_("action-plan outcome served"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    deliverable = models.TextField(_("SMART deliverable"), blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    light = models.CharField(
        _("status"), max_length=10, choices=Light.choices, default=Light.ON_TRACK
    )
    consent_to_publish = models.BooleanField(_("consent to publish"), default=False)
    published = models.BooleanField(_("published"), default=False)
    inactive = models.BooleanField(_("inactive"), default=False, editable=False)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["country", "-created_at"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            # Nothing is published without the participant's consent.
            models.CheckConstraint(
                condition=Q(published=False) | Q(consent_to_publish=True),
                name="published_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ProgressUpdate(TranslatedModel):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), default=dt.date.today)
    light = models.CharField(_("status"), max_length=10, choices=Commitment.Light.choices)
    text = models.TextField(_("progress"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.commitment} · {self.date}"


class SignInToken(models.Model):
    """A one-time sign-in link for an applicant (no password): stored hashed, single use, expiring."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="sign_in_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self) -> str:
        return f"{self.application_id} until {self.expires_at}"


class SentEmail(models.Model):
    """One e-mail sent to an applicant: the log of what was sent, and the send-once marker.

    The row is written in the same transaction as the sending: a run killed before it commits
    leaves no row (the redelivered task sends again), and a second run finds the row and sends
    nothing. `key` names the e-mail's purpose, e.g. "acknowledgement:12".
    """

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
        SIGN_IN = "sign_in", _("Sign-in link")
        REMINDER = "reminder", _("Commitment reminder")
        ALREADY_APPLIED = "already_applied", _("Repeated application")

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="sent_emails",
    )
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("e-mail sent")
        verbose_name_plural = _("e-mails sent")

    def __str__(self) -> str:
        return f"{self.kind} · {self.sent_at:%Y-%m-%d %H:%M}"


class PasswordResetEmail(models.Model):
    """The send-once marker of an admin password-reset e-mail (to a staff account, not an
    applicant: SentEmail is the applicants' log). Written in the transaction that sends it, as
    SentEmail is, so a redelivered task sends nothing already sent. Holds no address and no
    token: the key is "password_reset:<task id>:<user id>"."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.key} · {self.sent_at:%Y-%m-%d %H:%M}"


class DeletedApplication(models.Model):
    """What an erasure needs to find the traces of an application deleted before it: the admin's
    action log names the person ("Layla Haddad · Cohort 2027") under the application's (and its
    attendances') ids, which nothing else ties to the address once the row is gone. Written when
    an application is deleted (privacy.remember_deleted_application), removed by the erasure that
    uses it. Holds no personal data: a keyed hash of the address, as ErasureRecord does, and ids."""

    subject_hash = models.CharField(max_length=64, db_index=True)
    application_id = models.BigIntegerField()
    attendance_ids = models.JSONField(default=list)
    deleted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.subject_hash[:12]}… #{self.application_id}"


class ErasureRecord(models.Model):
    """The audit trail of an erasure. It holds no personal data: only a keyed hash of the address
    (to answer "was this person's data erased, and when?"), what was erased, when and by whom."""

    class Reason(models.TextChoices):
        REQUEST = "request", _("Request of the person")
        RETENTION = "retention", _("Retention period over")

    subject_hash = models.CharField(_("hash of the e-mail address"), max_length=64, db_index=True)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    counts = models.JSONField(_("what was erased"), default=dict)
    erased_at = models.DateTimeField(_("erased"), default=timezone.now)

    class Meta:
        ordering = ["-erased_at", "-pk"]
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")

    def __str__(self) -> str:
        return f"{self.subject_hash[:12]}… · {self.erased_at:%Y-%m-%d %H:%M}"


class FormRateCounter(models.Model):
    """Accepted submissions of the public forms in one hour, per bucket (learning/ratelimits.py).

    Kept in the database, not the cache: the limits hold, and the forms work, while Redis is
    down. `bucket` is a keyed hash of what is counted (an address, an e-mail address), so the
    table holds no personal data; rows older than two hours are deleted as new ones come.
    """

    bucket = models.CharField(max_length=64)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bucket", "window_start"], name="one_form_counter_per_bucket_and_hour"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bucket[:12]}… · {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
