import time

import pytest
from django.core import mail

from learning.models import Application

from .test_applications import FORM


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_acknowledgement_in_arabic(client, cohort, celery_worker):
    response = client.post("/ar/learning/lh-test/apply/", FORM)
    assert response.status_code == 302
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    [message] = mail.outbox
    assert message.to == ["amina@example.org"]
    assert message.subject == "استلمنا طلبك إلى مركز التعلم التجريبي"
    deadline = time.monotonic() + 5
    while Application.objects.get().acknowledged_at is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert Application.objects.get().acknowledged_at is not None
