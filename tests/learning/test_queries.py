import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.models import Commitment, ProgressUpdate, Session, SessionSpeaker, Speaker

pytestmark = pytest.mark.django_db


def add_sessions(cohort, n, offset=0):
    phase = cohort.phases.get()
    for i in range(offset, offset + n):
        session = Session.objects.create(
            cohort=cohort,
            phase=phase,
            slug=f"s{i}",
            title_en=f"Session {i}",
            title_ar=f"جلسة {i}",
            kind="workshop",
            date=dt.date(2027, 9, 15 + i % 4),
        )
        speaker = Speaker.objects.create(
            slug=f"sp{i}", name_en=f"Speaker {i}", name_ar=f"متحدث {i}"
        )
        SessionSpeaker.objects.create(session=session, speaker=speaker)


def add_commitments(cohort, n):
    for i in range(n):
        commitment = Commitment.objects.create(
            cohort=cohort,
            country="JO",
            text_en=f"Commitment {i}",
            lever="reward",
            consent_to_publish=True,
            published=True,
        )
        ProgressUpdate.objects.create(commitment=commitment, light="on_track", text_en="Progress")


@pytest.mark.parametrize(
    ("url", "grow"),
    [
        ("/ar/learning/lh-test/", add_sessions),
        ("/ar/learning/speakers/", add_sessions),
        ("/ar/learning/lh-test/calendar.ics", add_sessions),
        ("/ar/learning/commitments/", add_commitments),
    ],
)
def test_public_pages_do_a_constant_number_of_queries(client, cohort, url, grow, settings):
    # The view's own queries: with the page cache on, the second request would be answered from
    # it (the growth is written in the test's transaction, which never commits its invalidation).
    settings.PAGE_CACHE_SECONDS = 0
    grow(cohort, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    if grow is add_sessions:
        add_sessions(cohort, 6, offset=2)
    else:
        grow(cohort, 6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) >= 1, [q["sql"] for q in many.captured_queries]
