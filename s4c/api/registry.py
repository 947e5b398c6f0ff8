"""The public kinds of the API, their collections and what each depends on (for the change feed)."""

from s4c.api.changes import Kind, register


def register_all() -> None:
    from actionplan.api.serializers import DeliverableSerializer, PlanDetailSerializer
    from actionplan.api.views import plans_with_structure
    from actionplan.models import (
        BudgetFigure,
        Deliverable,
        Objective,
        OperationalPrinciple,
        Outcome,
        Plan,
        ProgressReport,
    )
    from actionplan.selectors import deliverables_public
    from hub.api.serializers import (
        OrganisationSerializer,
        RegionSerializer,
        ResourceSerializer,
        ThemeSerializer,
    )
    from hub.models import Organisation, Region, Resource, ResourceCountry, ResourceLanguage, Theme
    from hub.selectors import resources_published
    from learning.api.serializers import (
        CohortSerializer,
        CommitmentSerializer,
        SessionSerializer,
        SpeakerSerializer,
    )
    from learning.models import (
        Cohort,
        Commitment,
        Phase,
        ProgressUpdate,
        Session,
        SessionSpeaker,
        Speaker,
    )
    from learning.selectors import commitments_public

    def plan_of(obj):
        return [obj.plan] if hasattr(obj, "plan") else []

    register(
        Kind(
            "resource",
            Resource,
            resources_published,
            ResourceSerializer,
            "identifier",
            {
                ResourceCountry: lambda link: [link.resource],
                ResourceLanguage: lambda link: [link.resource],
            },
        )
    )
    register(Kind("theme", Theme, Theme.objects.all, ThemeSerializer, "slug"))
    register(
        Kind("organisation", Organisation, Organisation.objects.all, OrganisationSerializer, "slug")
    )
    register(Kind("region", Region, Region.objects.all, RegionSerializer, "code"))
    register(
        Kind(
            "cohort",
            Cohort,
            Cohort.objects.all,
            CohortSerializer,
            "slug",
            {Phase: lambda phase: [phase.cohort]},
        )
    )
    register(
        Kind(
            "session",
            Session,
            Session.objects.all,
            SessionSerializer,
            "pk",
            {SessionSpeaker: lambda link: [link.session]},
        )
    )
    register(Kind("speaker", Speaker, Speaker.objects.all, SpeakerSerializer, "slug"))
    register(
        Kind(
            "commitment",
            Commitment,
            commitments_public,
            CommitmentSerializer,
            "pk",
            {ProgressUpdate: lambda update: [update.commitment]},
        )
    )
    register(
        Kind(
            "plan",
            Plan,
            plans_with_structure,
            PlanDetailSerializer,
            "slug",
            {
                Objective: plan_of,
                OperationalPrinciple: plan_of,
                BudgetFigure: plan_of,
                Outcome: lambda outcome: [outcome.objective.plan],
                Deliverable: lambda d: [d.outcome.objective.plan],
                ProgressReport: lambda r: [r.deliverable.outcome.objective.plan],
            },
        )
    )
    register(
        Kind(
            "deliverable",
            Deliverable,
            deliverables_public,
            DeliverableSerializer,
            "pk",
            {ProgressReport: lambda report: [report.deliverable]},
        )
    )
