"""The Learning Hub's cohorts and sessions as schema.org JSON-LD (events), the same statements on
the English and Arabic pages, every IRI absolute."""

from core.seo import language_tagged, languages_of, page_links, work_iri

from .models import Phase, Session

# schema.org's enumeration members, written as node references ({"@id": …}) so that they are IRIs
# under any context.
ATTENDANCE_MODES = {
    Phase.Mode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Phase.Mode.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Phase.Mode.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def _place(phase: Phase) -> dict | None:
    """Where an in-person or hybrid phase meets; an online one has no place (its meeting link is
    sent to participants, not published)."""
    if phase.mode == Phase.Mode.ONLINE or not (phase.city or phase.country):
        return None
    place = {"@type": "Place", "address": {"@type": "PostalAddress"}}
    if phase.city:
        place["name"] = language_tagged(phase, "city")
        place["address"]["addressLocality"] = phase.city_en or phase.city_ar
    if phase.country:
        place["address"]["addressCountry"] = phase.country.code
    return place


def cohort_json_ld(cohort) -> dict:
    path = cohort.get_absolute_url()
    phases = list(cohort.phases.all())
    data = {
        "@context": "https://schema.org",
        "@type": "EventSeries",
        "@id": work_iri(path),
        "name": language_tagged(cohort, "name"),
        "url": page_links(path, languages_of(cohort, "name"))["canonical"],
        "subEvent": [{"@id": work_iri(s.get_absolute_url())} for s in cohort.sessions.all()],
    }
    if cohort.description_en or cohort.description_ar:
        data["description"] = language_tagged(cohort, "description")
    if phases:
        data["startDate"] = min(p.start_date for p in phases).isoformat()
        data["endDate"] = max(p.end_date for p in phases).isoformat()
    return data


def session_json_ld(session: Session) -> dict:
    path = session.get_absolute_url()
    phase = session.phase
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": work_iri(path),
        "name": language_tagged(session, "title"),
        "url": page_links(path, languages_of(session, "title"))["canonical"],
        "superEvent": {"@id": work_iri(session.cohort.get_absolute_url())},
        "eventStatus": {
            "@id": "https://schema.org/EventCancelled"
            if session.cancelled
            else "https://schema.org/EventScheduled"
        },
        "eventAttendanceMode": {"@id": ATTENDANCE_MODES[phase.mode]},
    }
    if session.description_en or session.description_ar:
        data["description"] = language_tagged(session, "description")
    # A timed session's instants with the venue's offset; a date-only one its day; one whose date
    # is still to be confirmed says nothing about when.
    if session.is_timed:
        data["startDate"] = session.starts_at.astimezone(phase.zone).isoformat()
        data["endDate"] = session.ends_at.astimezone(phase.zone).isoformat()
    elif session.date:
        data["startDate"] = session.date.isoformat()
    if place := _place(phase):
        data["location"] = place
    languages = [code.strip() for code in session.languages.split(",") if code.strip()]
    if languages:
        data["inLanguage"] = languages
    performers = [
        {"@type": "Person", "name": language_tagged(link.speaker, "name")}
        for link in session.speaker_links.all()
    ]
    if performers:
        data["performer"] = performers
    if session.recording_url:
        data["recordedIn"] = {"@type": "VideoObject", "url": session.recording_url}
    return data
