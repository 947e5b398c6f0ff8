"""The Learning Hub's public kinds, for the change feed, webhooks and the API's timestamps."""

from learning.models import Cohort, Commitment, Session, Speaker
from learning.selectors import (
    commitments_public,
    public_materials,
    sessions_public,
    speakers_public,
)
from partners.changes import Kind, register

from .serializers import (
    CohortSerializer,
    CommitmentSerializer,
    SessionSerializer,
    SpeakerSerializer,
)


def _names(objects) -> list:
    return sorted((o.name_en or "", o.name_ar or "") for o in objects)


def _session_shown(session) -> dict:
    # Session pages and calendars name its speakers (and their organisations) and partners.
    return {
        "speakers": [
            (link.speaker.name_en, link.speaker.name_ar, _names([link.speaker.organisation]))
            if link.speaker.organisation
            else (link.speaker.name_en, link.speaker.name_ar)
            for link in session.speaker_links.all()
        ],
        "partners": _names(session.partners.all()),
        "materials": sorted(
            (m.identifier, m.title_en, m.title_ar) for m in session.public_materials
        ),
        "cohort": [session.cohort.name_en, session.cohort.name_ar],
        "phase": [session.phase.name_en, session.phase.name_ar, session.phase.time_zone],
    }


def _cohort_shown(cohort) -> dict:
    # The cohort page names its partners.
    return {"partners": _names(cohort.partners.all())}


def _speaker_shown(speaker) -> dict:
    organisation = speaker.organisation
    return {"organisation": organisation and _names([organisation])}


def register_kinds() -> None:
    register(
        Kind(
            "cohort",
            Cohort,
            Cohort.objects.all,
            CohortSerializer,
            "slug",
            follows=("phases", "partners"),
            shown=_cohort_shown,
            digest_queryset=lambda: Cohort.objects.prefetch_related("phases", "partners"),
        )
    )
    register(
        Kind(
            "session",
            Session,
            Session.objects.all,
            SessionSerializer,
            "pk",
            follows=(
                "speaker_links",
                "speaker_links__speaker",
                "speaker_links__speaker__organisation",
                "partners",
                "materials",
                "cohort",
                "phase",
            ),
            shown=_session_shown,
            digest_queryset=lambda: sessions_public().prefetch_related(
                public_materials(to_attr="public_materials")
            ),
        )
    )
    register(
        Kind(
            "speaker",
            Speaker,
            Speaker.objects.all,
            SpeakerSerializer,
            "slug",
            follows=("organisation",),
            shown=_speaker_shown,
            digest_queryset=speakers_public,
        )
    )
    register(
        Kind(
            "commitment",
            Commitment,
            commitments_public,
            CommitmentSerializer,
            "pk",
            follows=("updates", "cohort", "outcome"),
        )
    )
