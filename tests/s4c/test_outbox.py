from datetime import timedelta

import pytest
from celery.result import AsyncResult
from django.db import transaction

from s4c.celery import app as celery_app
from s4c.models import OutboxTask
from s4c.outbox import enqueue_on_commit, relay
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
    with pytest.raises(RuntimeError), transaction.atomic():
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
    assert AsyncResult(f"outbox-{row.pk}", app=celery_app).get(timeout=20) == {"pong": 7}
    row.refresh_from_db()
    assert row.sent_at is not None
    assert relay(older_than=timedelta(0)) == 0
