"""iCalendar (RFC 5545, RFC 7986) feeds: a whole cohort, or one session."""

import datetime as dt
import zoneinfo

from django.utils import timezone, translation
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from core.bilingual import translated_value
from core.formats import arabic_text_digits
from core.links import absolute_url


def _text(value) -> str:
    """A translated value as the calendar shows it: Arabic in the Arabic digit convention."""
    return arabic_text_digits(value.text) if value.language == "ar" else value.text


def _uid(session) -> str:
    return f"session-{session.pk}@south4care"


def _event(session, language: str) -> Event:
    event = Event()
    event.add("uid", _uid(session))
    event.add("dtstamp", timezone.now())
    event.add("last-modified", session.updated_at)
    event.add("sequence", session.sequence)
    title = translated_value(session, "title", language)
    event.add("summary", _text(title), parameters={"LANGUAGE": title.language})
    description = translated_value(session, "description", language)
    if description.text:
        event.add("description", _text(description), parameters={"LANGUAGE": description.language})
    if session.is_timed:
        # Times are stored in UTC; calendars show them in the reader's zone. TZID keeps the venue's.
        zone = session.phase.time_zone
        event.add(
            "dtstart", session.starts_at.astimezone(session.phase.zone), parameters={"TZID": zone}
        )
        event.add(
            "dtend", session.ends_at.astimezone(session.phase.zone), parameters={"TZID": zone}
        )
    else:
        # A date-only session is an all-day event (VALUE=DATE), DTEND exclusive.
        event.add("dtstart", session.date)
        event.add("dtend", session.date + dt.timedelta(days=1))
    location = ", ".join(
        filter(
            None,
            [
                translated_value(session.phase, "city", language).text,
                str(session.phase.country.name or ""),
            ],
        )
    )
    if location:
        event.add("location", location)
    event.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
    event.add("url", absolute_url(session.get_absolute_url()))  # in the feed's language
    return event


def _transitions(zone: zoneinfo.ZoneInfo, start: dt.datetime, end: dt.datetime):
    """The instants (UTC, to the minute) in [start, end) where `zone`'s UTC offset changes."""
    found = []
    step = dt.timedelta(days=1)
    before = start
    while before < end:
        after = min(before + step, end)
        if before.astimezone(zone).utcoffset() != after.astimezone(zone).utcoffset():
            low, high = before, after  # the change is in (low, high]: bisect to the minute
            while high - low > dt.timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high.replace(second=0, microsecond=0))
        before = after
    return found


def _observance(zone: zoneinfo.ZoneInfo, onset: dt.datetime, offset_from: dt.timedelta):
    local = onset.astimezone(zone)
    component = TimezoneDaylight() if local.dst() else TimezoneStandard()
    # RFC 5545: DTSTART is the onset in the local time in force before it (TZOFFSETFROM).
    component.add("dtstart", (onset + offset_from).replace(tzinfo=None))
    component.add("tzname", local.tzname())
    component.add("tzoffsetfrom", offset_from)
    component.add("tzoffsetto", local.utcoffset())
    return component


def vtimezone(name: str, *, start: dt.datetime, end: dt.datetime) -> Timezone:
    """A VTIMEZONE for the events between `start` and `end`: one observance per change of offset
    from the year before the first event to the year after the last, each with its own DTSTART.

    No RDATE lists and no RRULE: icalendar's `Timezone.from_tzid` gives one observance per kind
    with decades of RDATEs, which vobject (through dateutil) reads an hour off in summer; single
    onsets are read alike by icalendar, vobject and ics, and stay exact if the zone's rules change.
    """
    zone = zoneinfo.ZoneInfo(name)
    window_start = start - dt.timedelta(days=366)
    changes = _transitions(zone, window_start, end + dt.timedelta(days=366))
    component = Timezone()
    component.add("tzid", name)
    if not changes or changes[0] > start:
        # The offset in force at the window's start (a zone without changes, such as Asia/Qatar,
        # has only this one), starting at the window's start.
        offset = window_start.astimezone(zone).utcoffset()
        component.add_component(_observance(zone, window_start.replace(microsecond=0), offset))
    for onset in changes:
        before = (onset - dt.timedelta(minutes=1)).astimezone(zone).utcoffset()
        component.add_component(_observance(zone, onset, before))
    return component


def build_calendar(*, cohort, sessions, language: str) -> bytes:
    with translation.override(language):
        calendar = Calendar()
        calendar.add("prodid", "-//ILO//South-4-Care Learning Hub//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        name = _text(translated_value(cohort, "name", language))
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT6H")
        timed = [s for s in sessions if s.is_timed]
        for zone in sorted({s.phase.time_zone for s in timed}):
            instants = [
                t for s in timed if s.phase.time_zone == zone for t in (s.starts_at, s.ends_at)
            ]
            calendar.add_component(vtimezone(zone, start=min(instants), end=max(instants)))
        for session in sessions:
            if session.date is not None:  # a session whose date is not yet known has no event
                calendar.add_component(_event(session, language))
        if not calendar.walk("VEVENT"):
            raise ValueError("A calendar needs at least one event (RFC 5545)")
        return calendar.to_ical()
