"""The hub's collections in the API (the project's URLs mount them under /api/v1/)."""

from .views import OrganisationViewSet, RegionViewSet, ResourceViewSet, ThemeViewSet

routes = [
    ("resources", ResourceViewSet, "resource"),
    ("themes", ThemeViewSet, "theme"),
    ("organisations", OrganisationViewSet, "organisation"),
    ("regions", RegionViewSet, "region"),
]
