"""iCalendar (RFC 5545, RFC 7986) feeds: a whole cohort, or one session."""

import datetime as dt

from django.utils import timezone, translation
from icalendar import Calendar, Event, Timezone

from s4c.bilingual import translated_value
from s4c.links import absolute_url


def _uid(session) -> str:
    return f"session-{session.pk}@south4care"


def _event(session, language: str) -> Event:
    event = Event()
    event.add("uid", _uid(session))
    event.add("dtstamp", timezone.now())
    event.add("last-modified", session.updated_at)
    event.add("sequence", session.sequence)
    title = translated_value(session, "title", language)
    event.add("summary", title.text, parameters={"LANGUAGE": title.language})
    description = translated_value(session, "description", language)
    if description.text:
        event.add("description", description.text, parameters={"LANGUAGE": description.language})
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


def build_calendar(*, cohort, sessions, language: str) -> bytes:
    with translation.override(language):
        calendar = Calendar()
        calendar.add("prodid", "-//ILO//South-4-Care Learning Hub//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        name = translated_value(cohort, "name", language).text
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT6H")
        zones = {s.phase.time_zone for s in sessions if s.is_timed}
        for zone in sorted(zones):
            calendar.add_component(Timezone.from_tzid(zone))
        for session in sessions:
            if session.date is not None:  # a session whose date is not yet known has no event
                calendar.add_component(_event(session, language))
        return calendar.to_ical()
