import datetime as dt

import pytest

from learning import content
from learning.models import Cohort, Session, Speaker

pytestmark = pytest.mark.django_db


def history_rows() -> int:
    return sum(model.history.count() for model in (Cohort, Session, Speaker))


def test_the_inaugural_cohort_as_the_seeds_describe_it(load_content):
    load_content()
    cohort = Cohort.objects.get(slug="learning-hub-2025")
    assert (cohort.year, cohort.name_ar) == (2025, "مركز التعلم لمنصة جنوب من أجل الرعاية ٢٠٢٥")
    online, doha = cohort.phases.order_by("start_date")
    assert (online.mode, online.start_date, online.end_date) == (
        "online",
        dt.date(2025, 9, 1),
        dt.date(2025, 9, 11),
    )
    assert (doha.mode, doha.city_en, doha.city_ar, doha.country.code, doha.time_zone) == (
        "in_person",
        "Doha",
        "الدوحة",
        "QA",
        "Asia/Qatar",
    )
    assert (doha.start_date, doha.end_date) == (dt.date(2025, 9, 15), dt.date(2025, 9, 18))
    by_kind = {s.kind: s for s in cohort.sessions.all()}
    assert by_kind["plenary"].date == dt.date(2025, 9, 1)
    assert by_kind["launch"].date == dt.date(2025, 9, 15)
    assert by_kind["south_south_plenary"].date == dt.date(2025, 9, 16)
    assert "partners" in by_kind
    # The seeds give no clock times: nothing is invented.
    assert not cohort.sessions.filter(starts_at__isnull=False).exists()
    assert all(s.title_en and s.title_ar for s in cohort.sessions.all())
    roles = {
        s.slug: (s.role_en, s.organisation and s.organisation.slug) for s in Speaker.objects.all()
    }
    assert roles["anita-amorim"][0] == "Head, Emerging and South-South Partnerships unit, ILO"
    assert roles["peter-van-rooij"][0] == "Director, PARTNERSHIPS department, ILO"
    assert roles["monica-salmito"][0] == "Brazilian Cooperation Agency (ABC)"
    assert roles["jamil-chade"][0] == "Journalist, UOL"
    plenary = by_kind["south_south_plenary"]
    assert {link.speaker.slug for link in plenary.speaker_links.all()} >= {
        "monica-salmito",
        "peter-van-rooij",
        "jamil-chade",
    }


def test_loading_twice_changes_nothing_and_writes_no_history(load_content):
    load_content()  # what the command leaves
    before = history_rows()
    assert content.load() == 0
    assert history_rows() == before
