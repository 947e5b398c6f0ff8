import datetime as dt
import re

import pytest
from icalendar import Calendar

from learning import services
from learning.models import Session

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"<[^>]+>", "", response.content.decode())


def test_a_timed_session_shows_in_the_venue_zone_with_its_offset(client, timed_session):
    assert timed_session.starts_at == dt.datetime(2027, 9, 16, 7, 0, tzinfo=dt.UTC)
    assert "10:00–11:30 (UTC+03:00)" in _text(client.get("/en/learning/lh-test/"))
    # Arabic: the times and the UTC offset in Arabic-Indic digits (one digit system on a line);
    # "UTC" is a technical name, kept as is.
    assert "١٠:٠٠–١١:٣٠ (UTC+٠٣:٠٠)" in _text(client.get("/ar/learning/lh-test/"))
    assert "١٠:٠٠–١١:٣٠ (UTC+٠٣:٠٠)" in _text(client.get("/ar/learning/lh-test/plenary/"))


def test_times_in_the_visitors_own_zone_on_request(client, timed_session):
    html = _text(client.get("/en/learning/lh-test/", {"tz": "Europe/Rome"}))
    assert "09:00–10:30 (UTC+02:00, Rome, Turin)" in html
    html = _text(client.get("/ar/learning/lh-test/", {"tz": "Europe/Rome"}))
    assert "٠٩:٠٠–١٠:٣٠ (UTC+٠٢:٠٠، روما، تورينو)" in html
    html = _text(client.get("/en/learning/lh-test/", {"tz": "Mars/Olympus"}))
    assert "10:00–11:30 (UTC+03:00)" in html
    assert "That time zone is not known" in html


def test_the_time_zone_is_chosen_from_cities_named_in_the_page_language(client, timed_session):
    html = client.get("/ar/learning/lh-test/", {"tz": "Asia/Qatar"}).content.decode()
    assert '<select id="tz" name="tz">' in html
    assert "IANA" not in html
    assert '<option value="Asia/Qatar" selected>الدوحة</option>' in html
    assert '<optgroup label="الدول العربية">' in html
    # A valid zone that is not in the list (a shared link, the browser's zone) is still offered.
    html = client.get("/en/learning/lh-test/", {"tz": "America/Anchorage"}).content.decode()
    assert '<option value="America/Anchorage" selected>America/Anchorage</option>' in html


def test_date_only_sessions_are_shown_as_such(client, date_only_session):
    html = client.get("/ar/learning/lh-test/").content.decode()
    assert "يُعلَن الوقت لاحقاً" in html
    assert "UTC+" not in html


def test_cohort_calendar_parses_with_stable_uids_tzid_and_all_day_events(
    client, timed_session, date_only_session
):
    raw = client.get("/ar/learning/lh-test/calendar.ics")
    assert raw["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(raw.content)
    assert str(calendar["NAME"]) == "مركز التعلم التجريبي"
    assert "REFRESH-INTERVAL" in calendar
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Qatar"]
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    timed = events[f"session-{timed_session.pk}@south4care"]
    assert timed["DTSTART"].params["TZID"] == "Asia/Qatar"
    assert timed["DTSTART"].dt.astimezone(dt.UTC) == dt.datetime(2027, 9, 16, 7, 0, tzinfo=dt.UTC)
    assert timed["SUMMARY"].params["LANGUAGE"] == "ar"
    assert str(timed["SUMMARY"]) == "جلسة عامة عن تمويل الرعاية"
    all_day = events[f"session-{date_only_session.pk}@south4care"]
    assert type(all_day["DTSTART"].dt) is dt.date
    assert b"DTSTART;VALUE=DATE:20270917" in raw.content
    assert all_day["DTSTART"].dt == dt.date(2027, 9, 17)
    assert all_day["DTEND"].dt == dt.date(2027, 9, 18)
    assert "DTSTAMP" in timed
    assert "LAST-MODIFIED" in timed
    assert int(timed["SEQUENCE"]) == 0


def test_a_changed_session_has_a_new_sequence_in_its_feed(admin_user, client, timed_session):
    timed_session.cancelled = True
    services.session_save(session=timed_session, actor=admin_user)
    event = Calendar.from_ical(
        client.get("/en/learning/lh-test/plenary/calendar.ics").content
    ).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"session-{timed_session.pk}@south4care"


def test_cohort_page_offers_a_webcal_subscription(client, date_only_session, settings):
    # On the configured site, never on the Host header the client sent (core.links).
    settings.SITE_URL = "https://south4care.example.org"
    html = client.get("/en/learning/lh-test/").content.decode()
    assert 'href="webcal://south4care.example.org/en/learning/lh-test/calendar.ics"' in html


def test_an_open_cohort_shows_its_deadline_and_no_empty_programme(client, cohort):
    deadline = cohort.applications_close_at
    html = _text(client.get("/en/learning/lh-test/"))
    assert f"Applications close on {deadline.day} {deadline:%B} {deadline.year}." in html
    # Its phase is there with its dates, and says its sessions are to come: no bare heading.
    assert "15 September – 18 September 2027" in html
    assert "The sessions of this phase will be announced here." in html
    # No session has a time: no time-zone choice to make.
    assert 'name="tz"' not in html


def test_a_past_date_only_session_gives_its_day_and_never_to_be_announced(client, cohort):
    phase = cohort.phases.get()
    phase.start_date, phase.end_date = dt.date(2025, 9, 15), dt.date(2025, 9, 18)
    phase.save()
    cohort.status = cohort.Status.COMPLETED
    cohort.save()
    Session.objects.create(
        cohort=cohort,
        phase=phase,
        slug="visit",
        title_en="Visit",
        kind="study_visit",
        date=dt.date(2025, 9, 16),
    )
    Session.objects.create(
        cohort=cohort, phase=phase, slug="talks", title_en="Talks", kind="partners"
    )
    for path in ("/en/learning/lh-test/", "/en/learning/lh-test/visit/"):
        html = _text(client.get(path))
        assert "Tuesday 16 September 2025" in html
        assert "to be announced" not in html.lower()
        assert "to be confirmed" not in html.lower()
    html = _text(client.get("/en/learning/lh-test/talks/"))
    assert "During the phase (15 September – 18 September 2025); the day is not recorded" in html
    assert "to be confirmed" not in html.lower()
    assert "Time" not in html.split("Where")[0]
