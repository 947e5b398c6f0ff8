import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import ValidationError

from s4c.api.base import (
    LANG_PARAMETER,
    PublicReadViewSet,
    StatesMixin,
    UtcDateTimeFilter,
    YearFilter,
)
from s4c.models import PublicState

from ..models import DOCUMENT_LANGUAGES, Organisation, Region, Resource, Theme
from ..search import search_resources
from ..selectors import resources_published
from .serializers import (
    OrganisationSerializer,
    RegionSerializer,
    ResourceSerializer,
    ThemeSerializer,
)


class ResourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", help_text="Full text in both languages.")
    type = django_filters.ChoiceFilter(field_name="resource_type", choices=Resource.Type.choices)
    theme = django_filters.CharFilter(
        method="filter_theme", help_text="Theme slug; repeat for several (OR)."
    )
    country = django_filters.MultipleChoiceFilter(
        field_name="country_links__country", choices=list(countries)
    )
    region = django_filters.ModelChoiceFilter(
        field_name="regions", to_field_name="code", queryset=Region.objects.all()
    )
    document_language = django_filters.ChoiceFilter(
        field_name="language_links__language", choices=DOCUMENT_LANGUAGES
    )
    year = YearFilter(field_name="publication_year")
    updated_since = UtcDateTimeFilter(method="filter_updated_since")
    ordering = django_filters.OrderingFilter(fields=(("created_at", "created_at"),))

    class Meta:
        model = Resource
        fields = []

    def search(self, queryset, name, value):
        return search_resources(queryset=queryset, query=value, language="en")

    def filter_theme(self, queryset, name, value: str):
        slugs = [s for s in self.data.getlist("theme") if s]
        unknown = sorted(
            set(slugs) - set(Theme.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        )
        if unknown:
            raise ValidationError(
                {"theme": [_("Unknown theme “%(slug)s”.") % {"slug": unknown[0]}]}
            )
        return queryset.filter(themes__slug__in=slugs)

    def filter_updated_since(self, queryset, name, value):
        changed = PublicState.objects.filter(kind="resource", updated_at__gte=value).values(
            "object_id"
        )
        return queryset.filter(identifier__in=changed)

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).distinct()


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)
class ResourceViewSet(StatesMixin, PublicReadViewSet):
    """Published Knowledge Hub resources."""

    serializer_class = ResourceSerializer
    filterset_class = ResourceFilter
    lookup_field = "identifier"
    kind = "resource"

    def get_queryset(self):
        return (
            resources_published()
            .select_related("publisher")
            .prefetch_related(
                "language_links",
                "country_links",
                "regions",
                Prefetch("themes", queryset=Theme.objects.only("slug")),
            )
            .order_by("-pk")
        )


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)
class ThemeViewSet(StatesMixin, PublicReadViewSet):
    serializer_class = ThemeSerializer
    lookup_field = "slug"
    queryset = Theme.objects.order_by("-pk")
    kind = "theme"


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)
class OrganisationViewSet(StatesMixin, PublicReadViewSet):
    serializer_class = OrganisationSerializer
    lookup_field = "slug"
    queryset = Organisation.objects.order_by("-pk")
    kind = "organisation"


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)
class RegionViewSet(StatesMixin, PublicReadViewSet):
    serializer_class = RegionSerializer
    lookup_field = "code"
    queryset = Region.objects.order_by("-pk")
    kind = "region"
