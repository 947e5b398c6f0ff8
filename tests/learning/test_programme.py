import datetime as dt

import pytest
from icalendar import Calendar

from learning import services

pytestmark = pytest.mark.django_db


def test_a_timed_session_shows_in_the_venue_zone_with_its_offset(client, timed_session):
    assert timed_session.starts_at == dt.datetime(2027, 9, 16, 7, 0, tzinfo=dt.UTC)
    for language in ("en", "ar"):
        html = client.get(f"/{language}/learning/lh-test/").content.decode()
        assert "10:00–11:30 (UTC+03:00)" in html, language
    session_html = client.get("/ar/learning/lh-test/plenary/").content.decode()
    assert "10:00–11:30 (UTC+03:00)" in session_html


def test_times_in_the_visitors_own_zone_on_request(client, timed_session):
    html = client.get("/en/learning/lh-test/", {"tz": "Europe/Rome"}).content.decode()
    assert "09:00–10:30 (UTC+02:00, Europe/Rome)" in html
    html = client.get("/en/learning/lh-test/", {"tz": "Mars/Olympus"}).content.decode()
    assert "10:00–11:30 (UTC+03:00)" in html and "That time zone is not known" in html


def test_date_only_sessions_are_shown_as_such(client, date_only_session):
    html = client.get("/ar/learning/lh-test/").content.decode()
    assert "طوال اليوم (يُعلَن الوقت لاحقاً)" in html
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
    assert (
        timed["SUMMARY"].params["LANGUAGE"] == "ar"
        and str(timed["SUMMARY"]) == "جلسة عامة عن تمويل الرعاية"
    )
    all_day = events[f"session-{date_only_session.pk}@south4care"]
    assert type(all_day["DTSTART"].dt) is dt.date
    assert b"DTSTART;VALUE=DATE:20270917" in raw.content
    assert all_day["DTSTART"].dt == dt.date(2027, 9, 17) and all_day["DTEND"].dt == dt.date(
        2027, 9, 18
    )
    assert "DTSTAMP" in timed and "LAST-MODIFIED" in timed and int(timed["SEQUENCE"]) == 0


def test_a_changed_session_has_a_new_sequence_in_its_feed(admin_user, client, timed_session):
    timed_session.cancelled = True
    services.session_save(session=timed_session, actor=admin_user)
    event = Calendar.from_ical(
        client.get("/en/learning/lh-test/plenary/calendar.ics").content
    ).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1 and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"session-{timed_session.pk}@south4care"


def test_cohort_page_offers_a_webcal_subscription(client, date_only_session):
    html = client.get("/en/learning/lh-test/").content.decode()
    assert 'href="webcal://testserver/en/learning/lh-test/calendar.ics"' in html
