from typing import ClassVar

import django_filters
from django.db.models import F, FloatField, Value
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework.exceptions import ValidationError

from core.api.base import (
    LANG_PARAMETER,
    SLUG_PATTERN,
    PublicReadViewSet,
    StatesMixin,
    UtcDateTimeFilter,
    YearFilter,
    reference_filter,
)
from core.bilingual import LANGUAGE_CODES
from core.countries import countries
from hub.models import (
    DOCUMENT_LANGUAGES,
    Organisation,
    Region,
    Resource,
    ResourceCountry,
    ResourceLanguage,
    Theme,
)
from hub.search_backends import search_backend
from hub.selectors import resources_published
from partners.models import PublicState

from .serializers import (
    OrganisationSerializer,
    RegionSerializer,
    ResourceSerializer,
    ThemeSerializer,
)


class ResourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        help_text="Full text in both languages (the list's search engine); with "
        "`ordering=relevance`, the best matches first.",
    )
    type = django_filters.ChoiceFilter(field_name="resource_type", choices=Resource.Type.choices)
    theme = extend_schema_field({"type": "string", "pattern": SLUG_PATTERN})(
        django_filters.CharFilter(
            method="filter_theme", help_text="Theme slug; repeat for several (OR)."
        )
    )
    country = django_filters.MultipleChoiceFilter(choices=list(countries), method="filter_country")
    region = reference_filter(
        parameter="region",
        field_name="regions__code",
        values=Region.objects.all,
        value_field="code",
        method="filter_region",
        help_text="An ILO region's id (code).",
    )
    document_language = django_filters.ChoiceFilter(
        choices=DOCUMENT_LANGUAGES, method="filter_document_language"
    )
    year = YearFilter(field_name="publication_year")
    updated_since = UtcDateTimeFilter(method="filter_updated_since")

    class Meta:
        model = Resource
        fields = ()

    def search(self, queryset, name, value):
        return search_backend().search(queryset, value)

    def filter_theme(self, queryset, name, value: str):
        slugs = [s for s in self.data.getlist("theme") if s]
        unknown = sorted(
            set(slugs) - set(Theme.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        )
        if unknown:
            raise ValidationError(
                {"theme": [_("Unknown theme “%(slug)s”.") % {"slug": unknown[0]}]}
            )
        return _having(queryset, Resource.themes.through.objects.filter(theme__slug__in=slugs))

    def filter_country(self, queryset, name, value: list[str]):
        return _having(queryset, ResourceCountry.objects.filter(country__in=value))

    def filter_region(self, queryset, name, value: str):
        return _having(queryset, Resource.regions.through.objects.filter(region__code=value))

    def filter_document_language(self, queryset, name, value: str):
        return _having(queryset, ResourceLanguage.objects.filter(language=value))

    def filter_updated_since(self, queryset, name, value):
        changed = PublicState.objects.filter(kind="resource", updated_at__gte=value).values(
            "object_id"
        )
        return queryset.filter(identifier__in=changed)


def _having(queryset, links):
    # A subquery rather than a join: no duplicate rows, so no DISTINCT over the whole table (which
    # would read and sort every published row before the first page could be cut).
    return queryset.filter(pk__in=links.values("resource_id"))


# The columns the representation reads (ResourceSerializer; the publisher's slug and the file's
# name come as plain annotations); loading no others (the search data is large, the untranslated
# copies duplicate the English text). A column missing here would cost a query per resource:
# tests/api check that a list page takes a constant number of queries.
API_COLUMNS = (
    "identifier",
    "resource_type",
    *(f"{name}_{code}" for name in ("title", "summary", "body") for code in LANGUAGE_CODES),
    "authors",
    "publication_year",
    "publication_month",
    "publication_day",
    "is_global",
    "modality",
    "providing_countries",
    "receiving_countries",
    "external_url",
    "licence",
    "featured",
    "created_at",
    "updated_at",
)


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
    # In the cursor pagination (a filter's order_by would be replaced by the pagination's).
    # "relevance": the search backend's rank for `?q=` (without it every resource ranks the same,
    # so the most recently added come first).
    orderings: ClassVar[dict[str, tuple[str, ...]]] = {
        "created_at": ("created_at", "pk"),
        "-created_at": ("-created_at", "-pk"),
        "relevance": ("-rank", "-pk"),
    }

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if "rank" not in queryset.query.annotations:  # no `?q=`: every resource ranks the same
            queryset = queryset.annotate(rank=Value(0.0, output_field=FloatField()))
        return queryset

    def get_queryset(self):
        return (
            resources_published()
            .only(*API_COLUMNS)
            .annotate(publisher_slug=F("publisher__slug"), file_name=F("file"))
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
