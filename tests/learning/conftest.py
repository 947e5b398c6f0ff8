import datetime as dt

import pytest
from django.utils import timezone

from learning.models import Application, Cohort, Phase, Session


@pytest.fixture
def cohort(db):
    cohort = Cohort.objects.create(
        slug="lh-test",
        name_en="Learning Hub test",
        name_ar="مركز التعلم التجريبي",
        year=2027,
        status=Cohort.Status.OPEN,
        capacity=2,
        applications_open_at=timezone.now() - dt.timedelta(days=1),
        applications_close_at=timezone.now() + dt.timedelta(days=30),
    )
    Phase.objects.create(
        cohort=cohort,
        name_en="Doha",
        name_ar="الدوحة",
        mode="in_person",
        start_date=dt.date(2027, 9, 15),
        end_date=dt.date(2027, 9, 18),
        city_en="Doha",
        city_ar="الدوحة",
        country="QA",
        time_zone="Asia/Qatar",
    )
    return cohort


@pytest.fixture
def timed_session(cohort):
    phase = cohort.phases.get()
    start = dt.datetime(2027, 9, 16, 7, 0, tzinfo=dt.UTC)  # 10:00 in Doha
    return Session.objects.create(
        cohort=cohort,
        phase=phase,
        slug="plenary",
        title_en="Plenary on care financing",
        title_ar="جلسة عامة عن تمويل الرعاية",
        kind="plenary",
        date=dt.date(2027, 9, 16),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1, minutes=30),
    )


@pytest.fixture
def date_only_session(cohort):
    return Session.objects.create(
        cohort=cohort,
        phase=cohort.phases.get(),
        slug="study-visit",
        title_en="Study visit",
        title_ar="زيارة دراسية",
        kind="study_visit",
        date=dt.date(2027, 9, 17),
    )


# What an applicant fills in (the apply form's fields).
APPLICANT = {
    "name": "Amina Haddad",
    "email": "amina@example.org",
    "country": "JO",
    "organisation": "Ministry of Labour",
    "constituency": "government",
    "working_languages": "Arabic, English",
    "motivation": "I want to bring care policy practices back to my ministry.",
}


def make_application(cohort, email, **extra):
    return Application.objects.create(cohort=cohort, **{**APPLICANT, "email": email, **extra})
