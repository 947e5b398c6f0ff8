"""The Learning Hub's collections in the API (the project's URLs mount them under /api/v1/)."""

from .views import CohortViewSet, CommitmentViewSet, SessionViewSet, SpeakerViewSet

routes = [
    ("cohorts", CohortViewSet, "cohort"),
    ("sessions", SessionViewSet, "session"),
    ("speakers", SpeakerViewSet, "speaker"),
    ("commitments", CommitmentViewSet, "commitment"),
]
