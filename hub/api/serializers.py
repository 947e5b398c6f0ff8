from urllib.parse import urlencode

from django.db import models
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.base import ApiModelSerializer, BilingualField, HtmlUrlField
from hub.models import Organisation, Region, Resource, Theme
from hub.selectors import resource_link_codes


def _hub_filtered(facet: str, attribute: str):
    """The Knowledge Hub's list filtered by one value: where a person sees a theme or a region."""

    def path(obj) -> str:
        return f"{reverse('hub:index')}?{urlencode({facet: getattr(obj, attribute)})}"

    return path


class ThemeSerializer(ApiModelSerializer):
    id = serializers.CharField(source="slug", read_only=True)
    html_url = HtmlUrlField(path=_hub_filtered("theme", "slug"))
    name = BilingualField()
    description = BilingualField()

    class Meta:
        model = Theme
        fields = [
            "id",
            "url",
            "html_url",
            "name",
            "description",
            "order",
            "created_at",
            "updated_at",
        ]
        api_basename, api_lookup = "theme", "slug"


class RegionSerializer(ApiModelSerializer):
    id = serializers.CharField(source="code", read_only=True)
    html_url = HtmlUrlField(path=_hub_filtered("region", "code"))
    name = BilingualField()
    countries = serializers.SerializerMethodField()

    class Meta:
        model = Region
        fields = ["id", "url", "html_url", "name", "countries", "created_at", "updated_at"]
        api_basename, api_lookup = "region", "code"

    def get_countries(self, obj) -> list[str]:
        return [c.code for c in obj.countries]


class OrganisationSerializer(ApiModelSerializer):
    id = serializers.CharField(source="slug", read_only=True)
    html_url = HtmlUrlField(path=lambda obj: reverse("hub:organisation", kwargs={"slug": obj.slug}))
    name = BilingualField()
    acronym = BilingualField()
    country = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "url",
            "html_url",
            "name",
            "acronym",
            "kind",
            "country",
            "website",
            "created_at",
            "updated_at",
        ]
        api_basename, api_lookup = "organisation", "slug"

    def get_country(self, obj) -> str | None:
        return obj.country.code or None


class DocumentSerializer(serializers.Serializer):
    """One language of a resource's document: its online copy, or none (url and format null)."""

    language = serializers.CharField(help_text="ISO 639-1 code")
    format = serializers.CharField(allow_null=True, help_text="pdf, word, excel, epub or html")
    url = serializers.URLField(allow_null=True)


class ResourceListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        resources = list(data.all() if isinstance(data, models.manager.BaseManager) else data)
        self.context.setdefault("resource_links", {}).update(
            resource_link_codes(resource.pk for resource in resources)
        )
        return super().to_representation(resources)


class ResourceSerializer(ApiModelSerializer):
    id = serializers.CharField(source="identifier", read_only=True)
    type = serializers.CharField(source="resource_type", read_only=True)
    title = BilingualField()
    summary = BilingualField()
    body = BilingualField()
    html_url = HtmlUrlField(lookup="identifier")
    publisher = serializers.SerializerMethodField()
    publication_date = serializers.SerializerMethodField()
    document_languages = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    countries = serializers.SerializerMethodField()
    providing_countries = serializers.SerializerMethodField()
    receiving_countries = serializers.SerializerMethodField()
    regions = serializers.SerializerMethodField()
    themes = serializers.SerializerMethodField()
    file = serializers.SerializerMethodField()

    class Meta:
        model = Resource
        fields = [
            "id",
            "url",
            "html_url",
            "type",
            "title",
            "summary",
            "body",
            "publisher",
            "authors",
            "publication_date",
            "publication_year",
            "document_languages",
            "documents",
            "countries",
            "regions",
            "is_global",
            "themes",
            "modality",
            "providing_countries",
            "receiving_countries",
            "external_url",
            "file",
            "licence",
            "featured",
            "created_at",
            "updated_at",
        ]
        api_basename, api_lookup = "resource", "identifier"
        list_serializer_class = ResourceListSerializer

    def get_publisher(self, obj) -> str | None:
        # The API's queryset reads the slug along with the row (no Organisation instance per row).
        if hasattr(obj, "publisher_slug"):
            return obj.publisher_slug
        return obj.publisher.slug if obj.publisher else None

    def get_publication_date(self, obj) -> str:
        return obj.publication_date_iso

    def _links(self, obj) -> dict[str, list]:
        # A list loads the links of its whole page at once (ResourceListSerializer); a single
        # resource loads its own.
        links = self.context.setdefault("resource_links", {})
        if obj.pk not in links:
            links.update(resource_link_codes([obj.pk]))
        return links[obj.pk]

    def get_document_languages(self, obj) -> list[str]:
        return self._links(obj)["document_languages"]

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, obj) -> list[dict]:
        return self._links(obj)["documents"]

    def get_countries(self, obj) -> list[str]:
        return self._links(obj)["countries"]

    def get_providing_countries(self, obj) -> list[str]:
        # South–South and triangular cooperation: who gives and who receives (ISO 3166 codes).
        return [country.code for country in obj.providing_countries]

    def get_receiving_countries(self, obj) -> list[str]:
        return [country.code for country in obj.receiving_countries]

    def get_regions(self, obj) -> list[str]:
        return self._links(obj)["regions"]

    def get_themes(self, obj) -> list[str]:
        return self._links(obj)["themes"]

    def get_file(self, obj) -> str | None:
        # The API's queryset reads the stored name as a plain value: `obj.file` would build a
        # FieldFile pointing back at the resource, a reference cycle per row that only the cyclic
        # garbage collector frees (docs/performance.md, the API list).
        name = obj.file_name if hasattr(obj, "file_name") else obj.file.name
        return Resource.file.field.storage.url(name) if name else None
