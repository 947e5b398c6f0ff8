"""Every write of the Learning Hub: applications, decisions, commitments, sign-in links."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import send_mail
from django.db import IntegrityError
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import FORBIDDEN, DomainError
from core.history import record_author
from core.loading import set_links
from core.outbox import enqueue_on_commit
from core.text import clean_text, clean_text_fields
from partners.capture import captured

from . import permissions
from .models import (
    Application,
    Cohort,
    Commitment,
    PasswordResetEmail,
    ProgressUpdate,
    SentEmail,
    Session,
    SignInToken,
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@captured()
def application_submit(*, cohort: Cohort, data: dict, language: str, actor) -> Application:
    """A person applies; the acknowledgement e-mail goes out (in their language) after commit.

    An address that already applied to the cohort gets the same answer as a new one, and its
    owner an e-mail saying the first application stands: the form must not tell anyone who has
    applied. Returns the new application, or the existing one."""
    if not permissions.can_apply(actor):
        raise DomainError(FORBIDDEN, code="forbidden")
    if not cohort.applications_open():
        raise DomainError(_("Applications to this cohort are closed."), code="closed")
    email = data["email"].strip().lower()
    existing = Application.objects.filter(cohort=cohort, email__iexact=email).first()
    if existing is None:
        try:
            with captured():
                application = Application(
                    cohort=cohort, **{**data, "email": email}, language=language
                )
                clean_text_fields(application)
                application.save()
        except IntegrityError:  # a concurrent duplicate
            existing = Application.objects.get(cohort=cohort, email__iexact=email)
        else:
            enqueue_on_commit("learning.send_acknowledgement", application_id=application.pk)
            return application
    enqueue_on_commit(
        "learning.send_already_applied", application_id=existing.pk, language=language
    )
    return existing


@captured()
def application_decide(*, application: Application, status: str, actor) -> Application:
    """Accept, waitlist, decline… Accepting respects the cohort's capacity even under concurrency."""
    if not permissions.can_decide(actor):
        raise DomainError(
            _("You do not have permission to decide on applications."), code="forbidden"
        )
    # Lock the cohort row: two concurrent accepts are serialised, so capacity cannot be exceeded.
    cohort = Cohort.objects.select_for_update().get(pk=application.cohort_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if status == Application.Status.ACCEPTED and application.status != status and cohort.capacity:
        accepted = Application.objects.filter(
            cohort=cohort, status=Application.Status.ACCEPTED
        ).count()
        if accepted >= cohort.capacity:
            raise DomainError(
                _("The cohort is full (%(capacity)s places): waitlist this application instead.")
                % {"capacity": cohort.capacity},
                code="full",
            )
    application.status = status
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])
    return application


# A change to any of these reaches subscribers' calendars only with a higher SEQUENCE (RFC 5545).
CALENDAR_FIELDS = (
    "title_en",
    "title_ar",
    "description_en",
    "description_ar",
    "date",
    "starts_at",
    "ends_at",
    "cancelled",
    "phase_id",
)


@captured()
def session_save(*, session: Session, actor, links: dict | None = None) -> Session:
    """Create or change a session; bumps its iCalendar SEQUENCE when calendars must update.
    `links`: many-to-many choices to set ({field name: objects}), with the same permission."""
    if not permissions.can_save(actor, session):
        raise DomainError(_("You do not have permission to edit sessions."), code="forbidden")
    if session.pk:
        before = (
            Session.objects.select_for_update(no_key=True)
            .filter(pk=session.pk)
            .values(*CALENDAR_FIELDS)
        )
        before = before.first()
        if before and any(getattr(session, f) != before[f] for f in CALENDAR_FIELDS):
            session.sequence = Session.objects.get(pk=session.pk).sequence + 1
    session.full_clean()
    record_author(session, actor)
    session.save()
    set_links(session, links)
    return session


def email_send_once(
    *, key: str, kind: str, application: Application, subject: str, body: str, actor
) -> bool:
    """Send one e-mail to an applicant once, whatever the number of runs; False if already sent.

    The SentEmail row (unique `key`) is inserted, the e-mail handed to the mail server and the
    row committed in one transaction. A run killed before the commit leaves no row, so the
    redelivered task sends again; a run after the commit finds the row and sends nothing; two
    concurrent runs meet on the unique key and the second waits for the first, then stops.
    Only a crash between the mail server's acceptance and the commit (milliseconds) can repeat.
    """
    if not permissions.can_write_to_applicants(actor):
        raise DomainError(FORBIDDEN, code="forbidden")
    if application.erased_at is not None:
        return False  # nobody left to write to
    with captured():
        try:
            with captured():
                SentEmail.objects.create(
                    key=key,
                    kind=kind,
                    application=application,
                    recipient=application.email,
                    subject=subject[:300],
                )
        except IntegrityError:
            return False
        send_mail(subject, body, None, [application.email])
    return True


def acknowledgement_mark_sent(*, application_id: int, actor) -> bool:
    """Marks the acknowledgement as sent once; False if it was already sent (idempotent task)."""
    if not permissions.can_write_to_applicants(actor):
        raise DomainError(FORBIDDEN, code="forbidden")
    return bool(
        Application.objects.filter(pk=application_id, acknowledged_at__isnull=True).update(
            acknowledged_at=timezone.now()
        )
    )


def sign_in_link_request(*, email: str, language: str, actor) -> None:
    """Someone asks for a sign-in link for `email`; the mailer sends it after commit.

    The same answer, and the same work, whether or not the address is known: one outbox row and
    one message to the broker either way (the worker finds nobody to write to for an unknown
    address), so neither the reply nor its timing tells who has applied."""
    if not permissions.can_sign_in(actor):
        raise DomainError(FORBIDDEN, code="forbidden")
    application = (
        Application.objects.filter(email__iexact=email, erased_at__isnull=True)
        .order_by("-submitted_at")
        .first()
    )
    enqueue_on_commit(
        "learning.send_sign_in_link",
        application_id=application.pk if application is not None else None,
        language=language,
    )


def password_reset_request(*, email: str, language: str, actor) -> None:
    """Someone asks the admin's "forgotten your password?" for `email`; the mailer writes the
    e-mail (its link and token made by the worker, never stored in the outbox) after commit.

    The same work whether or not the address is a staff account's: one query, one outbox row and
    one message to the broker either way (an empty list of users for an unknown address), and no
    mail server inside the request, so neither the reply nor its timing tells whose address it
    is, and a mail server or broker that is down only delays the e-mail."""
    if not permissions.can_request_password_reset(actor):
        raise DomainError(FORBIDDEN, code="forbidden")
    # Django's own choice of accounts: active, with a usable password, the same address.
    users = PasswordResetForm().get_users(email)
    enqueue_on_commit(
        "learning.send_password_reset",
        user_ids=sorted(user.pk for user in users),
        language=language,
    )


def password_reset_send_once(*, key: str, user, subject: str, body: str, actor) -> bool:
    """Send one password-reset e-mail once, whatever the number of runs; False if already sent
    (the marker row commits with the sending, as in `email_send_once`)."""
    if not permissions.can_write_to_applicants(actor):
        raise DomainError(FORBIDDEN, code="forbidden")
    with captured():
        try:
            with captured():
                PasswordResetEmail.objects.create(key=key)
        except IntegrityError:
            return False
        send_mail(subject, body, None, [user.email])
    return True


# A marker only has to outlive any redelivery of its task (within the broker's visibility timeout,
# hours) and the reset link it sent (PASSWORD_RESET_TIMEOUT, 3 days by default).
PASSWORD_RESET_MARKER_DAYS = 7


def password_reset_markers_prune(*, actor, now=None) -> int:
    """Deletes the send-once markers of password-reset e-mails older than a week."""
    if not permissions.can_write_to_applicants(actor):
        raise DomainError(FORBIDDEN, code="forbidden")
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=PASSWORD_RESET_MARKER_DAYS)
    deleted, _ = PasswordResetEmail.objects.filter(sent_at__lt=cutoff).delete()
    return deleted


def sign_in_link_issue(*, application: Application, actor) -> str:
    """A new one-time link; call it inside the transaction that sends it (never half-issued)."""
    if not permissions.can_write_to_applicants(actor):
        raise DomainError(FORBIDDEN, code="forbidden")
    token = secrets.token_urlsafe(32)
    SignInToken.objects.create(
        application=application,
        token_hash=_hash(token),
        expires_at=timezone.now() + dt.timedelta(minutes=settings.SIGN_IN_LINK_MINUTES),
    )
    return token


def sign_in_links_expire_all(*, actor) -> int:
    """Every sign-in link still usable stops working now; returns how many.

    Run by a restore: the restored data has the links as they were at backup time, so a link
    used since (or issued since, and already in a mailbox) would sign in again. The rows stay,
    expired, as what was sent (the participant asks for a new link)."""
    if not permissions.can_write_to_applicants(actor):
        raise DomainError(FORBIDDEN, code="forbidden")
    now = timezone.now()
    return SignInToken.objects.filter(used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )


@captured()
def sign_in_link_use(*, token: str, actor) -> Application:
    """Consume a one-time link: it works once, and not after it expires."""
    if not permissions.can_sign_in(actor):
        raise DomainError(FORBIDDEN, code="forbidden")
    record = (
        SignInToken.objects.select_for_update()
        .filter(token_hash=_hash(token))
        .select_related("application")
        .first()
    )
    if record is None or record.used_at is not None or record.expires_at <= timezone.now():
        raise DomainError(
            _("This sign-in link is invalid, expired or already used. Ask for a new one."),
            code="invalid_link",
        )
    record.used_at = timezone.now()
    record.save(update_fields=["used_at"])
    return record.application


@captured()
def progress_update_add(
    *, commitment: Commitment, actor, light: str, text: str, language: str
) -> ProgressUpdate:
    """Progress on a commitment, reported by its participant (the actor is their signed-in
    application) or by staff."""
    if not permissions.can_update_commitment(actor, commitment):
        raise DomainError(_("You can only update your own commitments."), code="forbidden")
    if light not in Commitment.Light.values:
        raise DomainError(_("Choose a valid status."), field="light")
    text = clean_text(text).strip()
    if not text:
        raise DomainError(_("Describe the progress made."), field="text")
    update = ProgressUpdate(commitment=commitment, light=light, **{f"text_{language}": text})
    update.save()
    commitment.light = light
    commitment.inactive = False
    commitment.save(update_fields=["light", "inactive", "updated_at"])
    return update


@captured()
def commitment_mark_reminded(*, commitment_id: int, when, actor) -> None:
    """Record that its owner was reminded (bookkeeping: no history row, no public change)."""
    if not permissions.can_write_to_applicants(actor):
        raise DomainError(FORBIDDEN, code="forbidden")
    Commitment.objects.filter(pk=commitment_id).update(reminded_at=when)


@captured()
def commitments_mark_inactive(*, actor, now=None) -> list[int]:
    """Open commitments with no progress update for the configured period become inactive; returns
    the ids whose owner needs a reminder (each owner is reminded at most once per period)."""
    if not permissions.can_review_commitments(actor):
        raise DomainError(FORBIDDEN, code="forbidden")
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.COMMITMENT_INACTIVE_DAYS)
    stale = (
        Commitment.objects.exclude(light=Commitment.Light.ACHIEVED)
        .annotate(last_activity=Coalesce(Max("updates__created_at"), "created_at"))
        .filter(last_activity__lt=cutoff)
    )
    Commitment.objects.filter(pk__in=stale.filter(inactive=False).values("pk")).update(
        inactive=True
    )
    return list(
        stale.filter(owner__isnull=False)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=cutoff))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- the admin's one entry point for everything else it edits -----------------------------------


@captured()
def save_object(*, obj, actor, links: dict | None = None):
    """Save a Learning Hub object edited in the admin (cohorts, phases, speakers, commitments…).

    The admin's form validated it; the permission is decided by learning.permissions.
    `links`: many-to-many choices to set ({field name: objects}), with the same permission.
    """
    if isinstance(obj, Session):
        return session_save(session=obj, actor=actor, links=links)
    if not permissions.can_save(actor, obj):
        raise DomainError(FORBIDDEN, code="forbidden")
    record_author(obj, actor)
    obj.save()
    set_links(obj, links)
    return obj


@captured()
def delete_object(*, obj, actor) -> None:
    if not permissions.can_delete(actor, obj):
        raise DomainError(FORBIDDEN, code="forbidden")
    record_author(obj, actor)
    obj.delete()
