"""The public forms' rate limits as people meet them: only accepted submissions count, colleagues
behind one address are not one bucket, e-mails to one address are bounded, the refusal says when
to come back, and a forged X-Forwarded-For prefix is still the same client."""

import datetime as dt
import itertools
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.formats import arabic_text_digits
from core.models import OutboxTask
from learning import ratelimits
from learning.models import Application, FormRateCounter

from .conftest import make_application
from .test_applications import FORM

pytestmark = pytest.mark.django_db
_n = itertools.count(1)


def _next_hour() -> str:
    return (timezone.now() + dt.timedelta(hours=1)).strftime("%H:00")


def _apply(client, email=None, **meta):
    return client.post(
        "/en/learning/lh-test/apply/",
        {**FORM, "email": email or f"p{next(_n)}@example.org"},
        **meta,
    )


def test_failed_validations_do_not_count(client, cohort, settings):
    settings.APPLICATION_RATE_LIMIT = 2
    typos = [_apply(client, email="not-an-address").status_code for _ in range(6)]
    accepted = [_apply(client).status_code for _ in range(2)]
    refused = _apply(client)
    assert typos == [400] * 6
    assert accepted == [302, 302]
    assert refused.status_code == 429
    assert Application.objects.count() == 2


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "en",
            "Too many requests from your connection or for this e-mail address. Please try "
            "again after {} (UTC).",
        ),
        (
            "ar",
            "طلبات كثيرة جداً من اتصالك أو لهذا البريد الإلكتروني. يُرجى المحاولة مرة أخرى "
            "بعد الساعة {} (بالتوقيت العالمي المنسّق).",
        ),
    ],
)
def test_the_refusal_says_when_to_come_back_and_keeps_the_form(
    client, cohort, settings, language, sentence
):
    settings.APPLICATION_RATE_LIMIT = 1
    client.post(f"/{language}/learning/lh-test/apply/", {**FORM, "email": "a@example.org"})
    response = client.post(
        f"/{language}/learning/lh-test/apply/", {**FORM, "email": "b@example.org"}
    )
    assert response.status_code == 429
    html = response.content.decode()
    # The hour in the page's digits: "بعد الساعة ١٦:٠٠", not 16:00 beside Arabic-Indic digits.
    assert (
        sentence.format(_next_hour() if language == "en" else arabic_text_digits(_next_hour()))
        in html
    )
    assert 0 < int(response["Retry-After"]) <= 3600
    assert 'value="b@example.org"' in html  # nothing typed is lost


def test_colleagues_behind_one_address_are_not_one_bucket(client, cohort, settings):
    """The per-address limit is generous; what is tight is e-mails to one recipient."""
    settings.APPLICATION_RATE_LIMIT = 20
    settings.EMAIL_RATE_LIMIT = 2
    office = {"REMOTE_ADDR": "192.0.2.10"}
    colleagues = [_apply(client, **office).status_code for _ in range(8)]
    assert colleagues == [302] * 8
    # Sign-in requests for one address (none of the colleagues' p<n>@…), from anywhere: the
    # third e-mail in the hour is refused.
    statuses = [
        client.post(
            "/en/learning/sign-in/",
            {"email": "one-person@example.org"},
            REMOTE_ADDR=f"198.51.100.{i}",
        ).status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]
    # A colleague's address is not affected.
    assert (
        client.post(
            "/en/learning/sign-in/", {"email": "another-person@example.org"}, **office
        ).status_code
        == 200
    )


def test_a_forged_x_forwarded_for_prefix_does_not_escape_the_form_limit(client, cohort, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.APPLICATION_RATE_LIMIT = 2
    statuses = [
        _apply(
            client,
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.7",
        ).status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    # Another client behind the same proxy applies.
    assert (
        _apply(client, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 302
    )


def test_counters_hold_no_personal_data_and_old_hours_are_dropped(client, cohort):
    FormRateCounter.objects.create(
        bucket="x" * 64, window_start=timezone.now() - dt.timedelta(hours=3), count=4
    )
    _apply(client, email="amina@example.org", REMOTE_ADDR="203.0.113.7")
    rows = list(FormRateCounter.objects.values_list("bucket", "count"))
    assert len(rows) == 2
    assert all(count == 1 for _bucket, count in rows)
    assert not any("amina" in bucket or "203.0" in bucket for bucket, _count in rows)


def test_sign_in_does_the_same_work_for_known_and_unknown_addresses(
    client, cohort, django_capture_on_commit_callbacks
):
    make_application(cohort, "amina@example.org")
    client.post("/en/learning/sign-in/", {"email": "warm-up@example.org"})  # session, caches
    runs = {}
    for email in ("amina@example.org", "nobody@example.org"):
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=False) as callbacks,
        ):
            response = client.post("/en/learning/sign-in/", {"email": email})
        runs[email] = (response.status_code, len(queries), len(callbacks))
    assert runs["amina@example.org"] == runs["nobody@example.org"]
    assert runs["amina@example.org"][2] == 1  # one message to the broker either way
    assert OutboxTask.objects.filter(task_name="learning.send_sign_in_link").count() == 3


def test_an_unknown_address_gets_no_mail(
    client, cohort, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post("/en/learning/sign-in/", {"email": "nobody@example.org"}).status_code == 200
        )
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("lang", "refusal"),
    [("en", "Please try again after"), ("ar", "يُرجى المحاولة مرة أخرى")],
)
def test_the_admin_password_reset_is_rate_limited(
    client, settings, django_capture_on_commit_callbacks, eager_tasks, lang, refusal
):
    from django.contrib.auth.models import User

    settings.PASSWORD_RESET_RATE_LIMIT = 2
    User.objects.create_user("curator", "curator@example.org", "a-long-password-123", is_staff=True)
    url = f"/{lang}/admin/password_reset/"
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):  # the mailer writes after commit
            response = client.post(url, {"email": "curator@example.org"})
        assert response.status_code == 302, response.content.decode()[:2000]
    assert len(mail.outbox) == 2
    # Another address from the same connection: the per-address limit is used up.
    response = client.post(url, {"email": "someone@example.org"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert refusal in response.content.decode()
    # The time to come back, in the page's digits (the admin's Arabic convention covers the
    # staff's password pages too).
    shown = _next_hour() if lang == "en" else arabic_text_digits(_next_hour())
    assert shown in response.content.decode()
    assert len(mail.outbox) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_submissions_at_the_same_moment_cannot_pass_a_limit_together():
    # Fifteen sign-in requests for one address at once, limit five: five e-mails, not seven.
    limit = ratelimits.Limit("mail", "amina@example.org", 5)
    start = threading.Barrier(15)
    taken = []

    def submit():
        try:
            start.wait(10)
            with transaction.atomic():
                taken.append(ratelimits.take([limit]))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(15)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(taken) == 15
    assert taken.count(None) == 5
