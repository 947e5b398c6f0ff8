"""The Knowledge Hub's public kinds, for the change feed, webhooks and the API's timestamps."""

from django.db.models import Prefetch

from hub.models import Organisation, Region, Resource, Theme
from hub.selectors import resources_published
from partners.changes import Kind, register

from .serializers import (
    OrganisationSerializer,
    RegionSerializer,
    ResourceSerializer,
    ThemeSerializer,
)


def _names(objects) -> list:
    return sorted((o.name_en or "", o.name_ar or "") for o in objects)


def _resource_shown(resource) -> dict:
    # OAI records and pages show the names of its themes, regions and publisher, not only codes.
    publisher = resource.publisher
    return {
        "themes": _names(resource.themes.all()),
        "regions": _names(resource.regions.all()),
        "publisher": publisher and [publisher.name_en, publisher.name_ar, publisher.acronym_en],
    }


def _resources_for_digest():
    return (
        resources_published()
        .select_related("publisher")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.only("id", "name_en", "name_ar")),
            Prefetch("regions", queryset=Region.objects.only("id", "name_en", "name_ar")),
        )
    )


def register_kinds() -> None:
    register(
        Kind(
            "resource",
            Resource,
            resources_published,
            ResourceSerializer,
            "identifier",
            follows=("themes", "regions", "publisher", "country_links", "language_links"),
            shown=_resource_shown,
            digest_queryset=_resources_for_digest,
        )
    )
    register(Kind("theme", Theme, Theme.objects.all, ThemeSerializer, "slug"))
    register(
        Kind("organisation", Organisation, Organisation.objects.all, OrganisationSerializer, "slug")
    )
    register(Kind("region", Region, Region.objects.all, RegionSerializer, "code"))
