import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from learning.models import Commitment, Session, Speaker

from .conftest import make_application

pytestmark = pytest.mark.django_db

# The smallest valid PNG (1×1 pixel).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f0a0000000049454e44ae426082"
)


def test_a_session_is_timed_or_date_only_in_the_database(cohort):
    phase = cohort.phases.get()
    start = dt.datetime(2027, 9, 16, 7, 0, tzinfo=dt.UTC)
    common = {"cohort": cohort, "phase": phase, "kind": "workshop", "title_en": "W"}
    for bad in (
        {"date": dt.date(2027, 9, 16), "starts_at": start},  # no end
        {"date": dt.date(2027, 9, 16), "starts_at": start, "ends_at": start},  # ends as it starts
        {"starts_at": start, "ends_at": start + dt.timedelta(hours=1)},  # timed, without a date
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Session.objects.create(slug=f"s{len(bad)}", **common, **bad)
    Session.objects.create(slug="date-only", date=dt.date(2027, 9, 16), **common)


def test_a_session_date_must_fall_within_its_phase(cohort):
    session = Session(
        cohort=cohort,
        phase=cohort.phases.get(),
        slug="late",
        kind="workshop",
        title_en="Late",
        date=dt.date(2027, 10, 1),
    )
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "date" in error.value.message_dict


def test_one_application_per_email_and_cohort_in_the_database(cohort):
    make_application(cohort, "amina@example.org")
    with pytest.raises(IntegrityError):
        make_application(cohort, "amina@example.org")


def test_nothing_is_published_without_consent(cohort):
    with pytest.raises(IntegrityError):
        Commitment.objects.create(
            cohort=cohort, country="JO", text_en="X", lever="reward", published=True
        )


def test_speaker_photos_must_be_images():
    speaker = Speaker(slug="s", name_en="Speaker", name_ar="متحدث")
    speaker.photo = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>")
    with pytest.raises(ValidationError) as error:
        speaker.full_clean()
    assert "photo" in error.value.message_dict
    speaker.photo = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    speaker.full_clean()
