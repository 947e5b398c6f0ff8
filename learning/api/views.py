import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from core.api.base import LANG_PARAMETER, PublicReadViewSet, StatesMixin, reference_filter
from core.countries import countries
from learning.models import Commitment, Phase, Session, SessionSpeaker
from learning.selectors import cohorts_public, commitments_public, speakers_public

from .serializers import (
    CohortSerializer,
    CommitmentSerializer,
    SessionSerializer,
    SpeakerSerializer,
)

LANG = extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)


def _cohort_filter():
    return reference_filter(
        parameter="cohort",
        field_name="cohort__slug",
        values=cohorts_public,
        value_field="slug",
        help_text="A cohort's id (slug).",
    )


class SessionFilter(django_filters.FilterSet):
    cohort = _cohort_filter()
    date = django_filters.DateFilter(field_name="date")
    kind = django_filters.ChoiceFilter(choices=Session.Kind.choices)

    class Meta:
        model = Session
        fields = ()


class CommitmentFilter(django_filters.FilterSet):
    cohort = _cohort_filter()
    country = django_filters.ChoiceFilter(field_name="country", choices=list(countries))
    lever = django_filters.ChoiceFilter(choices=Commitment.Lever.choices)

    class Meta:
        model = Commitment
        fields = ()


@LANG
class CohortViewSet(StatesMixin, PublicReadViewSet):
    serializer_class = CohortSerializer
    lookup_field = "slug"
    kind = "cohort"

    def get_queryset(self):
        return (
            cohorts_public()
            .prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("start_date")))
            .order_by("-pk")
        )


@LANG
class SessionViewSet(StatesMixin, PublicReadViewSet):
    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    kind = "session"

    def get_queryset(self):
        return (
            Session.objects.select_related("cohort", "phase")
            .prefetch_related(
                Prefetch(
                    "speaker_links", queryset=SessionSpeaker.objects.select_related("speaker")
                ),
                "partners",
            )
            .order_by("-pk")
        )


@LANG
class SpeakerViewSet(StatesMixin, PublicReadViewSet):
    serializer_class = SpeakerSerializer
    lookup_field = "slug"
    kind = "speaker"

    def get_queryset(self):
        return speakers_public().order_by("-pk")


@LANG
class CommitmentViewSet(StatesMixin, PublicReadViewSet):
    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilter
    kind = "commitment"

    def get_queryset(self):
        return commitments_public().order_by("-pk")
