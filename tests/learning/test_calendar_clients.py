"""The cohort and session calendars read by three iCalendar libraries people's tools are built on
(icalendar, vobject, ics), served by the portal under gunicorn (DEBUG off, page cache on,
tests/live_portal.py) from this test's database: every client gets the same UTC instants, in
Rome summer and winter time and in Doha, and the same all-day dates."""

import datetime as dt
import urllib.error
import urllib.request

import icalendar
import ics
import pytest
import vobject

from learning.models import Cohort, Phase, Session

pytestmark = pytest.mark.django_db(transaction=True)

UTC = dt.UTC


@pytest.fixture
def server(gunicorn_server):
    return gunicorn_server()


@pytest.fixture
def programme():
    cohort = Cohort.objects.create(
        slug="lh-zones",
        name_en="Learning Hub zones",
        name_ar="مركز التعلم والمناطق الزمنية",
        year=2027,
        status=Cohort.Status.OPEN,
        applications_open_at=dt.datetime(2027, 1, 1, tzinfo=UTC),
        applications_close_at=dt.datetime(2027, 6, 1, tzinfo=UTC),
    )
    online = Phase.objects.create(
        cohort=cohort,
        name_en="Online",
        name_ar="عبر الإنترنت",
        mode="online",
        start_date=dt.date(2027, 9, 1),
        end_date=dt.date(2027, 11, 5),
        time_zone="Europe/Rome",
    )
    doha = Phase.objects.create(
        cohort=cohort,
        name_en="Doha",
        name_ar="الدوحة",
        mode="in_person",
        start_date=dt.date(2027, 11, 15),
        end_date=dt.date(2027, 11, 18),
        city_en="Doha",
        city_ar="الدوحة",
        country="QA",
        time_zone="Asia/Qatar",
        order=1,
    )

    def timed(slug, phase, start):
        return Session.objects.create(
            cohort=cohort,
            phase=phase,
            slug=slug,
            title_en=slug,
            title_ar=slug,
            kind="plenary",
            date=start.astimezone(phase.zone).date(),
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
        )

    sessions = {
        # 14:00 in Rome in summer (CEST, UTC+2), the case vobject read an hour late.
        "rome-summer": timed("rome-summer", online, dt.datetime(2027, 9, 1, 12, 0, tzinfo=UTC)),
        # 14:00 in Rome in winter (CET, UTC+1), after the change of 31 October 2027.
        "rome-winter": timed("rome-winter", online, dt.datetime(2027, 11, 2, 13, 0, tzinfo=UTC)),
        "doha": timed("doha", doha, dt.datetime(2027, 11, 16, 7, 0, tzinfo=UTC)),
        "all-day": Session.objects.create(
            cohort=cohort,
            phase=doha,
            slug="all-day",
            title_en="Study visit",
            title_ar="زيارة دراسية",
            kind="study_visit",
            date=dt.date(2027, 11, 17),
        ),
    }
    undated = Session.objects.create(
        cohort=cohort, phase=doha, slug="tbc", title_en="TBC", title_ar="يحدد لاحقاً", kind="other"
    )
    return cohort, sessions, undated


def _expected(session):
    if session.is_timed:
        return (session.starts_at, session.ends_at)
    return (session.date, session.date + dt.timedelta(days=1))


def _read_icalendar(raw: bytes):
    events = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    return {
        str(e["UID"]): tuple(
            v if type(v) is dt.date else v.astimezone(UTC)
            for v in (e.decoded("DTSTART"), e.decoded("DTEND"))
        )
        for e in events
    }


def _read_vobject(raw: bytes):
    calendar = vobject.readOne(raw.decode())
    return {
        e.uid.value: tuple(
            v if type(v) is dt.date else v.astimezone(UTC) for v in (e.dtstart.value, e.dtend.value)
        )
        for e in calendar.vevent_list
    }


def _read_ics(raw: bytes):
    calendar = ics.Calendar(raw.decode())
    result = {}
    for e in calendar.events:
        if e.all_day:
            result[e.uid] = (e.begin.date(), e.end.date())
        else:
            result[e.uid] = (e.begin.to("UTC").datetime, e.end.to("UTC").datetime)
    return result


READERS = {"icalendar": _read_icalendar, "vobject": _read_vobject, "ics": _read_ics}


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        return response.read()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_client_reads_the_same_instants_from_the_cohort_calendar(server, programme, language):
    cohort, sessions, _ = programme
    raw = _get(f"{server.url}/{language}/learning/{cohort.slug}/calendar.ics")
    expected = {f"session-{s.pk}@south4care": _expected(s) for s in sessions.values()}
    for name, read in READERS.items():
        assert read(raw) == expected, name


def test_every_client_reads_the_same_instants_from_each_session_calendar(server, programme):
    cohort, sessions, _ = programme
    for slug, session in sessions.items():
        raw = _get(f"{server.url}/en/learning/{cohort.slug}/{slug}/calendar.ics")
        expected = {f"session-{session.pk}@south4care": _expected(session)}
        for name, read in READERS.items():
            assert read(raw) == expected, (name, slug)


def test_the_time_zones_are_single_onsets_around_the_events(server, programme):
    cohort, _, _ = programme
    raw = _get(f"{server.url}/en/learning/{cohort.slug}/calendar.ics")
    zones = {str(z["TZID"]): z for z in icalendar.Calendar.from_ical(raw).walk("VTIMEZONE")}
    assert sorted(zones) == ["Asia/Qatar", "Europe/Rome"]
    assert b"RDATE" not in raw
    rome = [
        (c.name, c["DTSTART"].dt.isoformat(), c["TZOFFSETFROM"].td // dt.timedelta(hours=1))
        for c in zones["Europe/Rome"].subcomponents
    ]
    # RFC 5545: each onset in the local time before it (02:00 CET → 03:00 CEST, 03:00 CEST →
    # 02:00 CET), from the change before the first event to the year after the last.
    assert rome[:3] == [
        ("STANDARD", "2026-10-25T03:00:00", 2),
        ("DAYLIGHT", "2027-03-28T02:00:00", 1),
        ("STANDARD", "2027-10-31T03:00:00", 2),
    ]
    assert [c.name for c in zones["Asia/Qatar"].subcomponents] == ["STANDARD"]


def test_a_session_with_no_date_has_no_calendar_nor_link(server, client, programme):
    cohort, _, undated = programme
    with pytest.raises(urllib.error.HTTPError) as error:
        _get(f"{server.url}/en/learning/{cohort.slug}/{undated.slug}/calendar.ics")
    assert error.value.code == 404
    html = client.get(f"/en/learning/{cohort.slug}/{undated.slug}/").content.decode()
    assert "calendar.ics" not in html
    dated = client.get(f"/en/learning/{cohort.slug}/doha/").content.decode()
    assert f"/en/learning/{cohort.slug}/doha/calendar.ics" in dated


def test_a_cohort_with_no_dated_session_has_no_calendar_nor_link(client, programme):
    cohort, sessions, _ = programme
    Session.objects.filter(pk__in=[s.pk for s in sessions.values()]).delete()
    assert client.get(f"/en/learning/{cohort.slug}/calendar.ics").status_code == 404
    assert "calendar.ics" not in client.get(f"/en/learning/{cohort.slug}/").content.decode()
