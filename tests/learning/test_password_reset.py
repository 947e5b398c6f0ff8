"""The admin's password-reset e-mail: written by the mailer through the outbox after commit, never
inside the request; its link built from SITE_URL, never from the request's Host; the same work
in the request for any address; delivered once, even through a mail server's outage."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import outbox
from core.models import OutboxTask
from learning import tasks
from learning.models import PasswordResetEmail

pytestmark = pytest.mark.django_db
SITE = "https://south4care.example.org"


class FlakyBackend(EmailBackend):
    """locmem, with a mail server that refuses connections while `down` is set."""

    down = False

    def send_messages(self, messages):
        if FlakyBackend.down:
            raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)


@pytest.fixture
def staff(db):
    return User.objects.create_user(
        "curator", "curator@example.org", "a-long-password-123", is_staff=True
    )


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["south4care.example.org", "s4c.test", "testserver"]
    settings.EMAIL_BACKEND = "tests.learning.test_password_reset.FlakyBackend"
    FlakyBackend.down = False
    yield settings
    FlakyBackend.down = False


@pytest.mark.parametrize(("lang", "words"), [("en", "Password reset on"), ("ar", "كلمة المرور")])
def test_the_link_is_the_sites_whatever_the_host_of_the_request(
    client, staff, production, django_capture_on_commit_callbacks, eager_tasks, lang, words
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/{lang}/admin/password_reset/",
            {"email": staff.email},
            HTTP_HOST="s4c.test:6666",
            secure=True,
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [staff.email]
    assert "s4c.test" not in message.subject + message.body
    assert "south4care.example.org" in message.subject
    assert words in message.subject
    link = re.search(r"https?://\S+/admin/reset/\S+/\S+/", message.body).group(0)
    assert link.startswith(f"{SITE}/{lang}/admin/reset/")
    # The link works: it opens the form to choose a new password.
    opened = client.get(link.removeprefix(SITE), HTTP_HOST="south4care.example.org", secure=True)
    assert opened.status_code == 302
    assert opened["Location"].endswith("/set-password/")


def _ask(client, email):
    """One request, its queries counted; the commit's callbacks are not run (nothing is sent)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/en/admin/password_reset/", {"email": email})
    assert response.status_code == 302
    return response, len(queries)


def test_the_request_sends_nothing_and_does_the_same_work_for_any_address(
    client, staff, production
):
    FlakyBackend.down = True  # nothing in the request may need the mail server
    _ask(client, "first@example.org")  # the client address's hourly counter now exists
    OutboxTask.objects.all().delete()
    known, known_queries = _ask(client, staff.email)
    unknown, unknown_queries = _ask(client, "nobody@example.org")
    assert mail.outbox == []
    assert known["Location"] == unknown["Location"]
    assert known_queries == unknown_queries
    rows = list(OutboxTask.objects.order_by("pk").values("task_name", "kwargs"))
    assert rows == [
        {
            "task_name": "learning.send_password_reset",
            "kwargs": {"user_ids": [staff.pk], "language": "en"},
        },
        {"task_name": "learning.send_password_reset", "kwargs": {"user_ids": [], "language": "en"}},
    ]
    assert "token" not in repr(rows)  # the worker makes it: never in the outbox or the broker


def test_the_outbox_delivers_it_after_a_mail_server_outage(
    client, staff, production, django_capture_on_commit_callbacks, eager_tasks
):
    FlakyBackend.down = True
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, staff.email)
    assert mail.outbox == []
    row = OutboxTask.objects.get()
    assert row.sent_at is None  # waits for the relay
    assert row.attempts == 1
    assert not PasswordResetEmail.objects.exists()
    FlakyBackend.down = False
    assert outbox.relay(older_than=dt.timedelta(0)) == 1
    (message,) = mail.outbox
    assert f"{SITE}/en/admin/reset/" in message.body
    assert OutboxTask.objects.get().completed_at is not None


def test_a_task_delivered_twice_is_one_email(staff, production, eager_tasks):
    kwargs = {"user_ids": [staff.pk], "language": "ar"}
    first = tasks.send_password_reset.apply(kwargs=kwargs, task_id="outbox-7").get()
    again = tasks.send_password_reset.apply(kwargs=kwargs, task_id="outbox-7").get()
    assert (first, again) == (1, 0)
    assert len(mail.outbox) == 1
    assert f"{SITE}/ar/admin/reset/" in mail.outbox[0].body
    # Nobody to write to: an unknown address, or an account deactivated since the request.
    assert tasks.send_password_reset.apply(kwargs={"user_ids": [], "language": "en"}).get() == 0
    User.objects.filter(pk=staff.pk).update(is_active=False)
    assert tasks.send_password_reset.apply(kwargs=kwargs, task_id="outbox-8").get() == 0
    assert len(mail.outbox) == 1


def test_the_daily_prune_forgets_markers_older_than_any_redelivery(settings):
    now = timezone.now()
    old = PasswordResetEmail.objects.create(key="password_reset:outbox-1:1")
    recent = PasswordResetEmail.objects.create(key="password_reset:outbox-2:1")
    PasswordResetEmail.objects.filter(pk=old.pk).update(sent_at=now - dt.timedelta(days=8))
    PasswordResetEmail.objects.filter(pk=recent.pk).update(sent_at=now - dt.timedelta(days=6))
    entry = settings.CELERY_BEAT_SCHEDULE["learning-prune-password-reset-markers"]
    assert entry["task"] == tasks.prune_password_reset_markers.name
    assert tasks.prune_password_reset_markers() == 1
    assert list(PasswordResetEmail.objects.values_list("key", flat=True)) == [recent.key]
    assert tasks.prune_password_reset_markers() == 0  # safe twice
