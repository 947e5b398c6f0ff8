from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from s4c.outbox import enqueue_on_commit

from . import services
from .models import Application, Commitment


@shared_task(
    name="learning.send_acknowledgement",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=8,
)
def send_acknowledgement(*, application_id: int) -> bool:
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
            {"application": application, "site_url": settings.SITE_URL},
        )
    send_mail(subject, body, None, [application.email])
    return services.acknowledgement_mark_sent(application_id=application_id)


@shared_task(
    name="learning.send_sign_in_link",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def send_sign_in_link(*, application_id: int, language: str) -> bool:
    # The token is made here, not in the request, so it never sits in the outbox or the broker.
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        return False
    token = services.sign_in_link_issue(application=application)
    with translation.override(language):
        link = settings.SITE_URL + reverse("learning:sign-in-link", kwargs={"token": token})
        subject = gettext("Your South-4-Care sign-in link")
        body = render_to_string(
            "learning/email/sign_in.txt", {"link": link, "minutes": settings.SIGN_IN_LINK_MINUTES}
        )
    send_mail(subject, body, None, [application.email])
    return True


@shared_task(
    name="learning.send_commitment_reminder",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=8,
)
def send_commitment_reminder(*, commitment_id: int) -> bool:
    commitment = (
        Commitment.objects.select_related("owner", "cohort").filter(pk=commitment_id).first()
    )
    if commitment is None or commitment.owner is None:
        return False
    with translation.override(commitment.owner.language):
        subject = render_to_string(
            "learning/email/reminder_subject.txt", {"commitment": commitment}
        ).strip()
        body = render_to_string(
            "learning/email/reminder.txt", {"commitment": commitment, "site_url": settings.SITE_URL}
        )
    send_mail(subject, body, None, [commitment.owner.email])
    Commitment.objects.filter(pk=commitment_id).update(reminded_at=timezone.now())
    return True


@shared_task(name="learning.mark_inactive_commitments")
def mark_inactive_commitments() -> int:
    ids = services.commitments_mark_inactive()
    for commitment_id in ids:
        enqueue_on_commit("learning.send_commitment_reminder", commitment_id=commitment_id)
    return len(ids)
