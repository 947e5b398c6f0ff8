"""/api/v1/: the public JSON API."""

from django.urls import include, path
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView, DefaultRouter

from actionplan.api.views import DeliverableViewSet, PlanViewSet
from hub.api.views import OrganisationViewSet, RegionViewSet, ResourceViewSet, ThemeViewSet
from learning.api.views import CohortViewSet, CommitmentViewSet, SessionViewSet, SpeakerViewSet

from .api.views import ChangeFeedView


class RootView(APIRootView):
    """The API's collections, and what a client needs besides them: the change feed (sync from a
    cursor), the OpenAPI schema and its documentation."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        for name, url_name in (
            ("changes", "api-changes"),
            ("schema", "api-schema"),
            ("docs", "api-docs"),
        ):
            response.data[name] = reverse(url_name, request=request)
        return response


class Router(DefaultRouter):
    APIRootView = RootView


router = Router()
router.register("resources", ResourceViewSet, basename="resource")
router.register("themes", ThemeViewSet, basename="theme")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("regions", RegionViewSet, basename="region")
router.register("cohorts", CohortViewSet, basename="cohort")
router.register("sessions", SessionViewSet, basename="session")
router.register("speakers", SpeakerViewSet, basename="speaker")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("plans", PlanViewSet, basename="plan")
router.register("deliverables", DeliverableViewSet, basename="deliverable")

v1 = [
    # JSON by default, YAML with ?format=yaml.
    path(
        "schema/",
        SpectacularAPIView.as_view(renderer_classes=[OpenApiJsonRenderer, OpenApiYamlRenderer]),
        name="api-schema",
    ),
    # The split view serves Swagger UI's script as a file: no inline script, so the strict CSP holds.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("changes/", ChangeFeedView.as_view(), name="api-changes"),
    path("", include((router.urls, "api"), namespace="api")),
]

urlpatterns = [path("v1/", include(v1))]
