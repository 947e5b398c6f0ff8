"""Learning Hub tasks. Each may run twice (a worker killed mid-way, a relay race): each says why
that is safe. E-mails go through `services.email_send_once`, whose marker row commits with the
sending, so a redelivered task sends nothing already sent."""

import datetime as dt
import uuid
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from core.links import absolute_url, site_domain, site_origin
from core.outbox import enqueue_on_commit
from core.permissions import MAILER, SCHEDULER

from . import privacy, services
from .models import Application, Commitment, SentEmail

# Every e-mail task: a mail server that refuses or drops the connection (OSError) is tried again,
# with growing delays, eight times.
MAIL_RETRIES = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 8}


@shared_task(
    name="learning.send_acknowledgement",
    **MAIL_RETRIES,
)
def send_acknowledgement(*, application_id: int) -> bool:
    """Safe twice: the e-mail is keyed "acknowledgement:<id>" (one per application ever), and
    `acknowledged_at` is set in the transaction that records the sending."""
    application = Application.objects.select_related("cohort").filter(pk=application_id).first()
    if application is None or application.acknowledged_at is not None:
        return False  # already sent: a redelivered task has its effect once
    # A worker has no request language: write in the applicant's.
    with translation.override(application.language):
        subject = render_to_string(
            "learning/email/acknowledgement_subject.txt", {"application": application}
        ).strip()
        body = render_to_string(
            "learning/email/acknowledgement.txt",
            {"application": application, "site_url": site_origin()},
        )
    with transaction.atomic():
        if not services.email_send_once(
            key=f"acknowledgement:{application.pk}",
            kind=SentEmail.Kind.ACKNOWLEDGEMENT,
            application=application,
            subject=subject,
            body=body,
            actor=MAILER,
        ):
            return False
        return services.acknowledgement_mark_sent(application_id=application_id, actor=MAILER)


@shared_task(
    bind=True,
    name="learning.send_already_applied",
    **MAIL_RETRIES,
)
def send_already_applied(self, *, application_id: int, language: str) -> bool:
    """Safe twice: one repeated application is one task id (the outbox row's), and the e-mail is
    keyed by it."""
    application = Application.objects.select_related("cohort").filter(pk=application_id).first()
    if application is None:
        return False
    with translation.override(language):
        subject = render_to_string(
            "learning/email/already_applied_subject.txt", {"application": application}
        ).strip()
        body = render_to_string(
            "learning/email/already_applied.txt",
            {"application": application, "site_url": settings.SITE_URL},
        )
    return services.email_send_once(
        key=f"already_applied:{self.request.id or uuid.uuid4()}",
        kind=SentEmail.Kind.ALREADY_APPLIED,
        application=application,
        subject=subject,
        body=body,
        actor=MAILER,
    )


@shared_task(
    bind=True,
    name="learning.send_sign_in_link",
    **{**MAIL_RETRIES, "max_retries": 3},  # a sign-in link is wanted now or not at all
)
def send_sign_in_link(self, *, application_id: int | None, language: str) -> bool:
    """Safe twice: one request for a link is one task id (the outbox row's), and the e-mail is
    keyed by it; the token is issued in the transaction that sends it, so a killed run leaves no
    usable token behind and a repeated run issues none.

    `application_id` is None for an address nobody applied with: the request did the same work
    as for a known one (see views.sign_in), and there is nobody to write to."""
    # The token is made here, not in the request, so it never sits in the outbox or the broker.
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        return False
    with transaction.atomic():
        token = services.sign_in_link_issue(application=application, actor=MAILER)
        with translation.override(language):
            link = absolute_url(reverse("learning:sign-in-link", kwargs={"token": token}))
            subject = gettext("Your South-4-Care sign-in link")
            body = render_to_string(
                "learning/email/sign_in.txt",
                {"link": link, "minutes": settings.SIGN_IN_LINK_MINUTES},
            )
        sent = services.email_send_once(
            key=f"sign_in:{self.request.id or uuid.uuid4()}",
            kind=SentEmail.Kind.SIGN_IN,
            application=application,
            subject=subject,
            body=body,
            actor=MAILER,
        )
        if not sent:
            transaction.set_rollback(True)  # the token was never sent: it must not exist
        return sent


@shared_task(
    bind=True,
    name="learning.send_password_reset",
    **MAIL_RETRIES,
)
def send_password_reset(self, *, user_ids: list[int], language: str) -> int:
    """The admin's password-reset e-mail (Django's templates, in the language of the page it was
    asked from), with its link to SITE_URL (core/links.py), never to the Host of the request.
    Returns how many were sent.

    Safe twice: one request is one task id (the outbox row's), and each e-mail is keyed by it and
    the user; its marker commits with the sending. The token is made here, so it never sits in
    the outbox or the broker (a second run makes another, as valid as the first: Django's reset
    tokens are not stored). An empty `user_ids`: the address is nobody's account, the request did
    the same work (see services.password_reset_request), and there is nobody to write to."""
    users = get_user_model()._default_manager.filter(pk__in=user_ids, is_active=True)
    origin = urlsplit(site_origin())
    sent = 0
    for user in users.order_by("pk"):
        if not user.has_usable_password():
            continue  # changed since the request: Django would not have written either
        context = {
            "email": user.email,
            "domain": site_domain(),
            "site_name": site_domain(),
            "protocol": origin.scheme,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "user": user,
            "token": default_token_generator.make_token(user),
        }
        with translation.override(language):
            subject = render_to_string("registration/password_reset_subject.txt", context)
            body = render_to_string("registration/password_reset_email.html", context)
        sent += services.password_reset_send_once(
            key=f"password_reset:{self.request.id or uuid.uuid4()}:{user.pk}",
            user=user,
            subject="".join(subject.splitlines()),  # a header: one line
            body=body,
            actor=MAILER,
        )
    return sent


@shared_task(
    name="learning.send_commitment_reminder",
    **MAIL_RETRIES,
)
def send_commitment_reminder(*, commitment_id: int) -> bool:
    """Safe twice: the e-mail is keyed by the commitment and the reminder it follows
    ("reminder:<id>:<previous reminded_at>"), `reminded_at` moves in the same transaction, and a
    commitment reminded within the period is not due any more."""
    with transaction.atomic():
        commitment = (
            Commitment.objects.select_for_update(of=("self",))
            .select_related("owner", "cohort")
            .filter(pk=commitment_id)
            .first()
        )
        if commitment is None or commitment.owner is None:
            return False
        now = timezone.now()
        cutoff = now - dt.timedelta(days=settings.COMMITMENT_INACTIVE_DAYS)
        if commitment.reminded_at is not None and commitment.reminded_at >= cutoff:
            return False  # reminded within the period already
        with translation.override(commitment.owner.language):
            subject = render_to_string(
                "learning/email/reminder_subject.txt", {"commitment": commitment}
            ).strip()
            body = render_to_string(
                "learning/email/reminder.txt",
                {"commitment": commitment, "site_url": site_origin()},
            )
        previous = commitment.reminded_at.isoformat() if commitment.reminded_at else "none"
        if not services.email_send_once(
            key=f"reminder:{commitment.pk}:{previous}",
            kind=SentEmail.Kind.REMINDER,
            application=commitment.owner,
            subject=subject,
            body=body,
            actor=MAILER,
        ):
            return False
        services.commitment_mark_reminded(commitment_id=commitment_id, when=now, actor=MAILER)
        return True


@shared_task(name="learning.mark_inactive_commitments")
def mark_inactive_commitments() -> int:
    """Safe twice: marking inactive is an idempotent update, and a reminder enqueued twice is
    sent once (see send_commitment_reminder)."""
    ids = services.commitments_mark_inactive(actor=SCHEDULER)
    with transaction.atomic():
        for commitment_id in ids:
            enqueue_on_commit("learning.send_commitment_reminder", commitment_id=commitment_id)
    return len(ids)


@shared_task(name="learning.prune_password_reset_markers")
def prune_password_reset_markers() -> int:
    """Safe twice: a marker once deleted is not found again."""
    return services.password_reset_markers_prune(actor=SCHEDULER)


@shared_task(name="learning.erase_expired_applicants")
def erase_expired_applicants() -> int:
    """Safe twice: applications already erased are skipped, so a second run erases nothing."""
    return len(privacy.erase_expired(actor=SCHEDULER))
