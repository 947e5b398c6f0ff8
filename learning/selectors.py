"""Public reads of the Learning Hub. Nothing here exposes applicants' personal data."""

import datetime as dt
import zoneinfo
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from core.bilingual import LANGUAGE_CODES
from hub.selectors import resources_published

from .models import Cohort, Commitment, Phase, ProgressUpdate, Session, SessionSpeaker, Speaker


def cohorts_public() -> QuerySet[Cohort]:
    return Cohort.objects.all()


def public_materials(**kwargs) -> Prefetch:
    """A session's materials as the public sees them: published resources only (one withdrawn
    after it was attached keeps neither its title nor a link to a missing page)."""
    return Prefetch(
        "materials",
        queryset=resources_published().only(
            "id", "identifier", *(f"title_{code}" for code in LANGUAGE_CODES)
        ),
        **kwargs,
    )


def sessions_public() -> QuerySet[Session]:
    return Session.objects.select_related("phase", "cohort").prefetch_related(
        Prefetch(
            "speaker_links", queryset=SessionSpeaker.objects.select_related("speaker__organisation")
        ),
        "partners",
    )


def speakers_public() -> QuerySet[Speaker]:
    return Speaker.objects.select_related("organisation")


def speakers_with_sessions() -> QuerySet[Speaker]:
    """Speakers with the sessions they speak at (the speakers page links to them)."""
    return speakers_public().prefetch_related(
        Prefetch(
            "session_links",
            queryset=SessionSpeaker.objects.select_related("session__cohort").order_by(
                "session__date", "session__pk"
            ),
        )
    )


def commitments_public() -> QuerySet[Commitment]:
    """Published commitments (consent given); the owner is never selected."""
    return (
        Commitment.objects.filter(published=True, consent_to_publish=True)
        .select_related("cohort", "outcome")
        .prefetch_related(
            Prefetch("updates", queryset=ProgressUpdate.objects.order_by("-date", "-pk"))
        )
        .defer("owner")
    )


def cohort_for_display(*, slug: str) -> Cohort | None:
    return (
        cohorts_public()
        .filter(slug=slug)
        .prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("start_date", "order")),
            Prefetch("sessions", queryset=sessions_public()),
            "partners",
        )
        .first()
    )


@dataclass
class SessionTime:
    """How a session's time is shown: in the venue's zone with its UTC offset, or date-only."""

    session: Session
    start: dt.datetime | None
    end: dt.datetime | None
    zone_name: str

    @property
    def is_past(self) -> bool:
        """Over: its day (or, undated, its phase's last day) is before today."""
        day = self.session.date or self.session.phase.end_date
        return day < timezone.localdate()

    @property
    def offset(self) -> str:
        if not self.start:
            return ""
        raw = self.start.strftime("%z")  # +0300
        return f"{raw[:3]}:{raw[3:]}"


def session_time(session: Session, *, visitor_zone: str | None = None) -> SessionTime:
    zone = zoneinfo.ZoneInfo(visitor_zone) if visitor_zone else session.phase.zone
    if not session.is_timed:
        return SessionTime(session, None, None, str(zone))
    return SessionTime(
        session, session.starts_at.astimezone(zone), session.ends_at.astimezone(zone), str(zone)
    )


def programme(cohort: Cohort, *, visitor_zone: str | None = None):
    """Phases → days → sessions, times in the venue's (or the visitor's) zone."""
    by_phase = OrderedDict((phase, OrderedDict()) for phase in cohort.phases.all())
    for session in cohort.sessions.all():
        day = by_phase[session.phase].setdefault(session.date, [])
        day.append(session_time(session, visitor_zone=visitor_zone))
    return by_phase
