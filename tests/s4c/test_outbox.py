import time
from datetime import timedelta

import pytest
from django.db import transaction

from core.models import OutboxTask
from core.outbox import enqueue_on_commit, redeliver, relay
from s4c.celery import app as celery_app
from tests.conftest import reset_celery_pools


@pytest.mark.django_db(transaction=True)
def test_in_eager_mode_the_task_runs_after_commit_and_is_marked_sent(settings):
    if not celery_app.conf.task_always_eager:
        pytest.skip("eager mode only (no REDIS_URL)")
    with transaction.atomic():
        row = enqueue_on_commit("s4c.ping", value=1)
        assert OutboxTask.objects.get(pk=row.pk).sent_at is None
    row.refresh_from_db()
    assert row.sent_at is not None
    assert row.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_nothing_is_enqueued_when_the_transaction_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012 - the raise inside the atomic block is what rolls it back
        enqueue_on_commit("s4c.ping", value=1)
        raise RuntimeError("the change failed")
    assert OutboxTask.objects.count() == 0


def _point_broker_at(url: str) -> None:
    """Switch the broker and drop pooled connections made to the previous one."""
    celery_app.conf.broker_url = url
    reset_celery_pools(celery_app)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_while_the_broker_is_down_goes_out_once_it_is_back(celery_worker):
    real_broker = celery_app.conf.broker_url
    _point_broker_at("redis://127.0.0.1:1/0")  # nothing listens there
    try:
        with transaction.atomic():
            row = enqueue_on_commit("s4c.ping", value=7)
        row.refresh_from_db()
        assert row.sent_at is None
        assert row.attempts == 1
        assert "Error" in row.last_error
    finally:
        _point_broker_at(real_broker)

    assert relay(older_than=timedelta(0)) == 1
    row.refresh_from_db()
    assert row.sent_at is not None
    deadline = time.monotonic() + 20
    while row.completed_at is None and time.monotonic() < deadline:
        time.sleep(0.1)
        row.refresh_from_db()
    assert row.completed_at is not None  # the worker ran it
    assert relay(older_than=timedelta(0)) == 0


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_an_email_the_broker_lost_is_sent_again_by_the_sweep_and_arrives_once(settings):
    """The broker took the acknowledgement, then lost it (Redis restarted without persistence):
    the row says sent, nobody will ever run it. The sweep sends it again; it arrives once."""
    import redis
    from celery.contrib.testing.worker import start_worker
    from django.core import mail

    from learning.models import Cohort
    from tests.learning.conftest import make_application

    cohort = Cohort.objects.create(slug="lh-lost", name_en="Lost mail cohort", year=2027)
    application = make_application(cohort, "amina@example.org")
    celery_app.conf.task_always_eager = False
    try:
        with transaction.atomic():
            row = enqueue_on_commit("learning.send_acknowledgement", application_id=application.pk)
        row.refresh_from_db()
        assert row.sent_at is not None  # the broker has it...
        broker = redis.Redis.from_url(celery_app.conf.broker_url)
        assert broker.delete("celery") == 1  # ...and loses it
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            assert redeliver() == 0  # not yet: it may only be slow
            assert redeliver(older_than=timedelta(0)) == 1
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                row.refresh_from_db()
                if row.completed_at is not None:
                    break
                time.sleep(0.2)
            assert row.completed_at is not None
            assert redeliver(older_than=timedelta(0)) == 0  # done: never sent again
    finally:
        celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        reset_celery_pools(celery_app)
    assert [m.to for m in mail.outbox] == [["amina@example.org"]]


@pytest.mark.django_db(transaction=True)
def test_tasks_that_completed_are_never_sent_again_and_others_only_a_few_times(
    settings, eager_tasks
):
    with transaction.atomic():
        done = enqueue_on_commit("s4c.ping", value=1)
    done.refresh_from_db()
    assert done.completed_at is not None  # in eager mode too
    settings.OUTBOX_REDELIVER_TASKS = ["s4c.ping"]
    stuck = OutboxTask.objects.create(
        task_name="s4c.ping", kwargs={"value": 2}, sent_at=done.sent_at, attempts=5
    )
    assert redeliver(older_than=timedelta(0)) == 0  # OUTBOX_MAX_ATTEMPTS reached
    stuck.attempts = 1
    stuck.save()
    assert redeliver(older_than=timedelta(0)) == 1
    stuck.refresh_from_db()
    assert (stuck.attempts, stuck.completed_at is not None) == (2, True)
