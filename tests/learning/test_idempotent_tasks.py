"""Each Learning Hub task run twice (a redelivery) has its effect once."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from learning import tasks
from learning.models import Application, Commitment, SentEmail, SignInToken

from .conftest import make_application

pytestmark = pytest.mark.django_db


def test_acknowledgement_twice_is_one_email(cohort):
    application = make_application(cohort, "amina@example.org")
    assert tasks.send_acknowledgement(application_id=application.pk) is True
    assert tasks.send_acknowledgement(application_id=application.pk) is False
    assert [m.to for m in mail.outbox] == [["amina@example.org"]]
    assert Application.objects.get().acknowledged_at is not None
    assert list(SentEmail.objects.values_list("key", "kind")) == [
        (f"acknowledgement:{application.pk}", "acknowledgement")
    ]


def test_one_sign_in_request_delivered_twice_is_one_email_and_one_token(cohort, eager_tasks):
    application = make_application(cohort, "amina@example.org")
    kwargs = {"application_id": application.pk, "language": "ar"}
    first = tasks.send_sign_in_link.apply(kwargs=kwargs, task_id="outbox-7").get()
    again = tasks.send_sign_in_link.apply(kwargs=kwargs, task_id="outbox-7").get()
    assert (first, again) == (True, False)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "رابط تسجيل الدخول إلى منصة جنوب من أجل الرعاية"
    assert SignInToken.objects.count() == 1  # the repeated run's token was rolled back
    # A new request (another outbox row) is a new link.
    assert tasks.send_sign_in_link.apply(kwargs=kwargs, task_id="outbox-8").get() is True
    assert (len(mail.outbox), SignInToken.objects.count()) == (2, 2)


def test_a_reminder_delivered_twice_is_one_email(cohort, settings):
    settings.COMMITMENT_INACTIVE_DAYS = 30
    owner = make_application(cohort, "amina@example.org")
    commitment = Commitment.objects.create(
        cohort=cohort, owner=owner, country="JO", text_en="A commitment", lever="reward"
    )
    assert tasks.send_commitment_reminder(commitment_id=commitment.pk) is True
    assert tasks.send_commitment_reminder(commitment_id=commitment.pk) is False
    assert len(mail.outbox) == 1
    reminded = Commitment.objects.get().reminded_at
    assert reminded is not None
    # A period later the next reminder is due, and is sent once too.
    Commitment.objects.update(reminded_at=timezone.now() - dt.timedelta(days=31))
    assert tasks.send_commitment_reminder(commitment_id=commitment.pk) is True
    assert tasks.send_commitment_reminder(commitment_id=commitment.pk) is False
    assert len(mail.outbox) == 2
    assert SentEmail.objects.filter(kind="reminder").count() == 2
