"""The API's shared building blocks: bilingual fields, `?lang=`, strict parameters, cursor pages,
conditional requests. Every collection of every app is built from these."""

import datetime as dt
import hashlib
import json

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import gettext as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.reverse import reverse

from s4c.bilingual import LANGUAGE_CODES, translated_value
from s4c.text import whole_number

LANG_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=list(LANGUAGE_CODES),
    required=False,
    description="Return plain strings in this language (falling back to the other) instead of {en, ar} objects.",
)


@extend_schema_field(
    {
        "oneOf": [
            {
                "type": "object",
                "properties": {c: {"type": "string", "nullable": True} for c in LANGUAGE_CODES},
                "required": list(LANGUAGE_CODES),
            },
            # `?lang=`: the text, or null where neither language has any.
            {"type": "string", "nullable": True},
        ]
    }
)
class BilingualField(serializers.Field):
    """`{"en": …, "ar": …}` (None where missing), or a plain string in `?lang=` mode."""

    def __init__(self, field_name=None, **kwargs):
        self.base_name = field_name
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj):
        name = self.base_name or self.field_name
        language = self.context.get("lang")
        if language:
            value = translated_value(obj, name, language)
            if value.fallback:
                self.context.setdefault("fallbacks", set()).add(name)
            return value.text or None
        result = {}
        for code in LANGUAGE_CODES:
            text = getattr(obj, f"{name}_{code}", None)
            result[code] = text if text not in (None, "") else None
        return result


@extend_schema_field(
    {
        "type": "object",
        "properties": {c: {"type": "string", "format": "uri"} for c in LANGUAGE_CODES},
    }
)
class HtmlUrlField(serializers.Field):
    """`{"en": "https://…/en/…", "ar": "https://…/ar/…"}`: the object's public pages."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj):
        from django.utils import translation

        urls = {}
        for code in LANGUAGE_CODES:
            with translation.override(code):
                urls[code] = (
                    f"{settings.SITE_URL}{obj.get_absolute_url()}"
                    if hasattr(obj, "get_absolute_url")
                    else None
                )
        return urls


class ApiModelSerializer(serializers.ModelSerializer):
    """Adds `url` (the API URL), `updated_at` (when its public representation last changed) and, in
    `?lang=` mode, `fallbacks` (the fields shown in the other language)."""

    url = serializers.SerializerMethodField()
    updated_at = serializers.SerializerMethodField()

    def get_updated_at(self, obj) -> str | None:
        from s4c.api.changes import public_updated_at

        stamp = public_updated_at(obj, states=self.context.get("states"))
        return serializers.DateTimeField().to_representation(stamp) if stamp else None

    def to_representation(self, instance):
        self.context["fallbacks"] = set()
        data = super().to_representation(instance)
        if self.context.get("lang"):
            data["fallbacks"] = sorted(self.context["fallbacks"])
        return data

    def get_url(self, obj) -> str:
        view = self.context.get("view")
        request = self.context.get("request")
        basename = getattr(self.Meta, "api_basename", None) or (view.basename if view else None)
        lookup = getattr(self.Meta, "api_lookup", "pk")
        return reverse(
            f"api:{basename}-detail",
            kwargs={"pk" if lookup == "pk" else lookup: getattr(obj, lookup)},
            request=request,
        )


# Error bodies: `{"detail": "…"}` or `{"<parameter>": ["…"]}` (s4c.errors.api_exception_handler).
ERROR_BODY = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    },
}


def _error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR_BODY}}}


class PublicAutoSchema(AutoSchema):
    """Documents the answers every public read can give besides 200: a 400 for a malformed
    parameter, 429 when throttled, 304 for a conditional request, and for an item 404 or 410."""

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if parameter["in"] == "query" and schema.get("type") == "string" and len(schema) == 1:
                # Free text: anything but the NUL character, which forms refuse (a 400).
                schema["pattern"] = "^[^\\u0000]*$"
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method != "GET":
            return responses
        responses.setdefault("400", _error_response("A parameter is unknown or malformed."))
        if isinstance(self.view, PublicReadViewSet):
            responses.setdefault(
                "304",
                {"description": "Not modified since the `ETag` or `Last-Modified` given."},
            )
            if not self._is_list_view():
                responses.setdefault("404", _error_response("No such public object."))
                responses.setdefault(
                    "410", _error_response("This object was public and has been withdrawn.")
                )
        responses.setdefault("429", _error_response("Too many requests: retry after a while."))
        return responses


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 2100})
class YearFilter(django_filters.NumberFilter):
    """A year, as a whole number from 1900 to 2100 (anything else is a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class StrictCursorPagination(CursorPagination):
    """Cursor pages, `page_size` up to 200; malformed cursors and sizes are a clear 400."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-pk"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = whole_number(raw, max_digits=3)
        if size is None or not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    "page_size": [
                        _("page_size must be a whole number from 1 to %(max)s.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound as error:
            raise ValidationError(
                {"cursor": [_("This cursor is not valid: start again from the first page.")]}
            ) from error


class _UtcDateTimeField(IsoDateTimeField):
    def to_python(self, value):
        value = super().to_python(value)
        try:
            # In UTC: Python accepts offsets up to ±23:59 and years up to 9999 in any offset,
            # which the databases cannot store ("9999-12-31T23:59-23:00").
            return value.astimezone(dt.UTC) if value is not None else None
        except OverflowError as error:
            raise DjangoValidationError(self.error_messages["invalid"], code="invalid") from error


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date and time, converted to UTC; one out of range is a 400, not a 500."""

    field_class = _UtcDateTimeField


class StatesMixin:
    """Loads the public `updated_at` of a whole page in one query."""

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["states"] = getattr(self, "_states", None)
        return context

    def paginate_queryset(self, queryset):
        from s4c.api.changes import states_for

        page = super().paginate_queryset(queryset)
        if page is not None:
            self._states = states_for(page)
        return page


class PublicReadViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only collection with `?lang=`, strict parameters and conditional requests."""

    pagination_class = StrictCursorPagination
    schema = PublicAutoSchema()
    # Parameters every collection accepts besides its filters.
    common_parameters = {"lang", "cursor", "page_size", "ordering", "format"}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        language = request.query_params.get("lang")
        if language is not None and language not in LANGUAGE_CODES:
            raise ValidationError(
                {
                    "lang": [
                        _("Unknown language “%(lang)s”: use one of %(choices)s.")
                        % {"lang": language, "choices": ", ".join(LANGUAGE_CODES)}
                    ]
                }
            )
        self.api_language = language
        allowed = (
            self.common_parameters
            | set(getattr(self, "filterset_fields", None) or ())
            | self._filterset_parameters()
        )
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationError(
                {unknown[0]: [_("Unknown parameter “%(name)s”.") % {"name": unknown[0]}]}
            )
        empty = sorted(
            name
            for name in self._typed_filters()
            if any(value == "" for value in request.query_params.getlist(name))
        )
        if empty:
            # django-filter would ignore `?type=` silently; the schema gives the values it takes.
            raise ValidationError({empty[0]: [_("This parameter needs a value.")]})

    def _typed_filters(self) -> set[str]:
        """Filters that take a choice, a number or a date (not free text; `?ordering=` is the
        empty list of fields, the default order)."""
        filterset_class = getattr(self, "filterset_class", None)
        if not filterset_class:
            return set()
        return {
            name
            for name, filter_ in filterset_class.base_filters.items()
            if not isinstance(filter_, django_filters.CharFilter | django_filters.OrderingFilter)
        }

    def _filterset_parameters(self) -> set[str]:
        filterset_class = getattr(self, "filterset_class", None)
        return set(filterset_class.base_filters) if filterset_class else set()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["lang"] = getattr(self, "api_language", None)
        return context

    def retrieve(self, request, *args, **kwargs):
        from django.http import Http404

        from s4c.api.changes import was_public

        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            identifier = kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            if getattr(self, "kind", None) and was_public(self.kind, str(identifier)):
                return Response(
                    {"detail": _("This object was public and has been withdrawn.")},
                    status=status.HTTP_410_GONE,
                )
            raise

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        language = getattr(self, "api_language", None)
        if language:
            response["Content-Language"] = language
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and hasattr(response, "data")
        ):
            return self._conditional(request, response)
        return response

    def _conditional(self, request, response):
        body = json.dumps(response.data, sort_keys=True, default=str).encode()
        etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
        response["ETag"] = etag
        last_modified = _latest_updated(response.data)
        if last_modified:
            response["Last-Modified"] = http_date(last_modified)
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match and etag in [tag.strip() for tag in if_none_match.split(",")]:
            return _not_modified(response)
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        if not if_none_match and since and last_modified and int(last_modified) <= since:
            return _not_modified(response)
        return response


def _not_modified(response):
    not_modified = Response(status=status.HTTP_304_NOT_MODIFIED)
    for header in ("ETag", "Last-Modified", "Content-Language"):
        if header in response:
            not_modified[header] = response[header]
    not_modified.accepted_renderer = response.accepted_renderer
    not_modified.accepted_media_type = response.accepted_media_type
    not_modified.renderer_context = response.renderer_context
    return not_modified


def _latest_updated(data):
    from django.utils.dateparse import parse_datetime

    items = data.get("results", [data]) if isinstance(data, dict) else []
    stamps = [
        parse_datetime(item["updated_at"])
        for item in items
        if isinstance(item, dict) and item.get("updated_at")
    ]
    stamps = [s for s in stamps if s]
    return max(stamps).timestamp() if stamps else None
