"""The API's shared building blocks: bilingual fields, `?lang=`, strict parameters, cursor pages,
conditional requests. Every collection of every app is built from these."""

import copy
import datetime as dt
import hashlib
import operator
import re
import time
from datetime import datetime
from typing import ClassVar, Protocol

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.http import Http404
from django.urls import NoReverseMatch
from django.utils import translation
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import gettext as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import MethodNotAllowed, NotFound, ValidationError
from rest_framework.fields import SkipField
from rest_framework.pagination import CursorPagination
from rest_framework.relations import PKOnlyObject
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import ISO_8601, api_settings

from core.bilingual import LANGUAGE_CODES, bilingual_dict, bilingual_getter, translated_value
from core.caching import content_version
from core.links import absolute_url, site_origin
from core.text import whole_number


class Ledger(Protocol):
    """What the API reads from the public-state ledger (the partner app's `partners.changes`):
    the time an object's public representation last changed, and whether a missing one was public.
    """

    def public_updated_at(self, obj, *, states=None): ...

    def states_for(self, objects) -> dict: ...

    def was_public(self, kind_name: str, object_id: str) -> bool: ...

    def kind_updated_at(self, kind_name: str): ...


# Set once at start-up by the partner app (`use_ledger`), before any request.
ledger: Ledger | None = None


def use_ledger(source: Ledger) -> None:
    """Called once by the partner app when it is ready (the library imports no app)."""
    global ledger  # noqa: PLW0603 - set once at start-up, read by every serializer and view
    ledger = source


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
        return bilingual_dict(obj, name)

    def representer(self):
        """`to_representation` for a whole page (see `ApiModelSerializer`)."""
        if self.context.get("lang"):
            return self.to_representation
        return bilingual_getter(self.base_name or self.field_name)


@extend_schema_field(
    {
        "type": "object",
        "properties": {c: {"type": "string", "format": "uri"} for c in LANGUAGE_CODES},
        "required": list(LANGUAGE_CODES),
    }
)
class HtmlUrlField(serializers.Field):
    """`{"en": "https://…/en/…", "ar": "https://…/ar/…"}`: the object's public pages.

    `lookup` names the one attribute the object's `get_absolute_url()` depends on: a page of
    objects then reverses each language's URL once instead of twice per object. `path` gives the
    page of an object that has none of its own (a theme: the hub filtered by it), called in each
    language.
    """

    def __init__(self, lookup: str | None = None, path=None, **kwargs):
        self.lookup = lookup
        self.path = path
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj):
        urls = {}
        for code in LANGUAGE_CODES:
            with translation.override(code):
                path = self.path(obj) if self.path else obj.get_absolute_url()
                urls[code] = absolute_url(path, request=self.context.get("request"))
        return urls

    def representer(self):
        """`to_representation` for a whole page (see `ApiModelSerializer`)."""
        if self.lookup is None or self.path is not None:
            return self.to_representation
        templates = {}

        def represent(obj):
            if not templates:
                templates.update({code: self._template(obj, code) for code in LANGUAGE_CODES})
            value = getattr(obj, self.lookup)
            return {code: template(value) for code, template in templates.items()}

        return represent

    def _template(self, obj, code) -> "UrlTemplate":
        # A copy of the object with the lookup replaced: its own get_absolute_url() decides.
        stand_in = copy.copy(obj)
        origin = site_origin(self.context.get("request"))

        def build(value):
            setattr(stand_in, self.lookup, value)
            with translation.override(code):
                return f"{origin}{stand_in.get_absolute_url()}"

        return UrlTemplate(build)


_URL_SAFE = re.compile(r"[A-Za-z0-9_-]+")


class UrlTemplate:
    """A URL reversed once with a placeholder, then filled in with each object's identifier.

    For identifiers made only of unreserved URL characters (slugs, numbers) the result is what
    reversing with that identifier gives; any other identifier, or a URL pattern the placeholder
    does not fit, is reversed in full.
    """

    PLACEHOLDER = "s4c0placeholder0"

    def __init__(self, build):
        self.build = build
        self.parts = None
        try:
            url = build(self.PLACEHOLDER)
        except NoReverseMatch:
            return
        prefix, found, suffix = url.partition(self.PLACEHOLDER)
        if found and self.PLACEHOLDER not in suffix:
            self.parts = (prefix, suffix)

    def __call__(self, value) -> str:
        value = str(value)
        if self.parts is not None and _URL_SAFE.fullmatch(value):
            return f"{self.parts[0]}{value}{self.parts[1]}"
        return self.build(value)


_SKIP = object()
# Representations of DRF fields whose to_representation is exactly this conversion.
_CONVERSIONS = {
    serializers.CharField: str,
    serializers.URLField: str,
    serializers.SlugField: str,
    serializers.EmailField: str,
    serializers.IntegerField: int,
}
_DATETIME = serializers.DateTimeField()


def _conversion(field):
    """`field.to_representation` for a value that is not None, faster for common fields."""
    kind = type(field)
    if kind in _CONVERSIONS:
        return _CONVERSIONS[kind]
    if kind is serializers.BooleanField:
        return lambda value: (
            value if value is True or value is False else field.to_representation(value)
        )
    if kind is serializers.ChoiceField:
        choices = field.choice_strings_to_values
        return lambda value: value if value == "" else choices.get(str(value), value)
    if kind is serializers.DateTimeField:
        return _datetime_conversion(field)
    return field.to_representation


def _datetime_conversion(field):
    """DRF's DateTimeField.to_representation, with its time zone and format looked up once (per
    serializer, so per request) rather than for every value."""
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if output_format is None or output_format.lower() != ISO_8601 or zone is None:
        return field.to_representation

    def represent(value):
        if not value or isinstance(value, str) or value.utcoffset() is None:
            return field.to_representation(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return field.to_representation(value)
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return represent


def _representer(serializer, field):
    """A function object → the field's value, computing what DRF's `Serializer.to_representation`
    does for that field, without its per-field, per-object overhead where the field is simple."""
    own = getattr(field, "representer", None)
    if own is not None:
        return own()
    if isinstance(field, serializers.SerializerMethodField):
        return getattr(serializer, field.method_name)
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    source = field.source
    if (
        model is not None
        and len(field.source_attrs) == 1
        and type(getattr(model, source, None)) is DeferredAttribute  # a plain column value
    ):
        getter = operator.attrgetter(source)
        convert = _conversion(field)

        def represent_column(obj):
            value = getter(obj)
            return None if value is None else convert(value)

        return represent_column

    def represent(obj):
        try:
            attribute = field.get_attribute(obj)
        except SkipField:
            return _SKIP
        check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        return None if check_for_none is None else field.to_representation(attribute)

    return represent


class ApiModelSerializer(serializers.ModelSerializer):
    """Adds `url` (the API URL), `updated_at` (when its public representation last changed) and, in
    `?lang=` mode, `fallbacks` (the fields shown in the other language).

    The representation is DRF's, computed through a plan made once per serializer (so once per
    page for a list): one function per field, plain attribute reads for plain columns, URLs
    reversed once per page (`UrlTemplate`). The fields declared stay the one description of the
    output (and of the schema).
    """

    url = serializers.SerializerMethodField()
    updated_at = serializers.SerializerMethodField()

    def get_fields(self):
        # The fields a ModelSerializer derives from its model are the same every time: derive
        # them once per class (reading the model's metadata), then copy them as DRF copies the
        # declared ones.
        cls = type(self)
        fields = cls.__dict__.get("_derived_fields")
        if fields is None:
            fields = super().get_fields()
            cls._derived_fields = fields
        return copy.deepcopy(fields)

    def get_updated_at(self, obj) -> str | None:
        stamp = ledger.public_updated_at(obj, states=self.context.get("states"))
        if not stamp:
            return None
        convert = self.__dict__.get("_stamp")
        if convert is None:
            convert = self._stamp = _datetime_conversion(_DATETIME)
        return convert(stamp)

    def to_representation(self, instance):
        self.context["fallbacks"] = set()
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = self._plan = [
                (field.field_name, _representer(self, field)) for field in self._readable_fields
            ]
        data = {}
        for name, represent in plan:
            value = represent(instance)
            if value is not _SKIP:
                data[name] = value
        if self.context.get("lang"):
            data["fallbacks"] = sorted(self.context["fallbacks"])
        return data

    def get_url(self, obj) -> str:
        lookup = getattr(self.Meta, "api_lookup", "pk")
        template = self.__dict__.get("_url_template")
        if template is None:
            view = self.context.get("view")
            request = self.context.get("request")
            basename = getattr(self.Meta, "api_basename", None) or (view.basename if view else None)
            kwarg = "pk" if lookup == "pk" else lookup

            def build(value):
                path = reverse(f"api:{basename}-detail", kwargs={kwarg: value})
                # On the configured site, not on the client's Host header (core.links).
                return absolute_url(path, request=request) if request is not None else path

            template = self._url_template = UrlTemplate(build)
        return template(getattr(obj, lookup))


# Error bodies: `{"detail": "…"}` or `{"<parameter>": ["…"]}` (core.errors.api_exception_handler).
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
            elif (
                parameter["in"] == "query"
                and schema.get("type") == "string"
                and "enum" not in schema
                and re.search(schema.get("pattern", ""), "")
            ):
                # Any other string needs a value (PublicReadViewSet.initial). Not said twice where
                # a pattern already refuses the empty string: schemathesis folds a minLength into
                # the pattern and, for `^(a-)?b{1,2}$`, folds it wrong (`^(a-){1}b{1,2}$`), then
                # holds valid values such as the feed's `since=5` for invalid ones.
                schema.setdefault("minLength", 1)
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method != "GET":
            return responses
        responses.setdefault("400", _error_response("A parameter is unknown or malformed."))
        # Anonymous reads are allowed, but a key that is sent must be valid (partners/keys.py).
        responses.setdefault(
            "401",
            _error_response(
                "The API key sent is unknown (`code`: `invalid_api_key`) or revoked "
                "(`revoked_api_key`)."
            ),
        )
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


SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"


class ReferenceFilter(django_filters.CharFilter):
    """A slug or code naming an object: one that names no object is a 400 naming the parameter
    (an empty list would read as "no such sessions" when the client mistyped the cohort).

    `values()` gives the valid objects, `value_field` the field the parameter is compared with;
    checked by the form field (so a filter with a `method` is checked too), only when the
    parameter is used. Use `reference_filter()`, which also documents the pattern in the schema.
    """

    def __init__(self, *args, parameter: str, values, value_field: str, **kwargs):
        def known(value):
            if value and not values().filter(**{value_field: value}).exists():
                # Params, not an interpolated message: django-filter interpolates it again, and
                # a value with "%" in it would then be a server error.
                raise DjangoValidationError(
                    _("“%(value)s” is not a known value of %(name)s."),
                    code="unknown",
                    params={"value": value, "name": parameter},
                )

        kwargs["validators"] = [known]
        super().__init__(*args, **kwargs)


def reference_filter(*, parameter: str, pattern: str = SLUG_PATTERN, **kwargs) -> ReferenceFilter:
    """A `ReferenceFilter` (see there); the schema gives `pattern`, what every value looks like."""
    return extend_schema_field({"type": "string", "pattern": pattern})(
        ReferenceFilter(parameter=parameter, **kwargs)
    )


# A cursor as DRF writes it: standard base64 (then percent-encoded in the URL).
# A cursor is opaque: the padded base64 DRF writes of `o=…`, `r=…` or `p=…` (offset, reverse,
# position), valid only as the server gave it in a `next` or `previous` link; any other is a 400.
CURSOR_SCHEMA = {
    "type": "string",
    "pattern": (
        "^(?:bz0|cj0|cD0)[A-Za-z0-9+/](?:[A-Za-z0-9+/]{4})*"
        "(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
    ),
}


class StrictCursorPagination(CursorPagination):
    """Cursor pages, `page_size` up to 200; malformed cursors and sizes are a clear 400.

    The most recently added first by default; a view's `orderings` name the others it offers for
    `?ordering=` (checked in `PublicReadViewSet.initial`). A cursor's position is the value of an
    order's first field, and each order ends with the primary key, so rows sharing that value
    still come in one fixed order: going forward, DRF's offset within them is exact. Going back,
    a page boundary inside such a tie can skip a row (DRF's "nearly unique" requirement, which
    creation times in microseconds meet).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-pk"
    ordering_query_param = "ordering"

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)
        # `next`/`previous` on the configured site, not on the client's Host header (core.links).
        self.base_url = absolute_url(request.get_full_path(), request=request)
        return page

    def get_ordering(self, request, queryset, view):
        self._model = queryset.model
        chosen = getattr(view, "orderings", {}).get(request.query_params.get("ordering"))
        return chosen or (self.ordering,)

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
            if parameter["name"] == self.cursor_query_param:
                parameter["schema"] = dict(CURSOR_SCHEMA)
                parameter["description"] = (
                    "The position in the list, opaque: use the `next` and `previous` links as "
                    "given. A cursor the server did not give (or gave for another order) is a 400."
                )
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        orderings = getattr(view, "orderings", {})
        if orderings:
            parameters.append(
                {
                    "name": self.ordering_query_param,
                    "required": False,
                    "in": "query",
                    "description": "The order of the list, one of the values listed (`-` for "
                    "descending). Without it: the most recently added first.",
                    "schema": {"type": "string", "enum": list(orderings)},
                }
            )
        return parameters

    def decode_cursor(self, request):
        invalid = ValidationError(
            {"cursor": [_("This cursor is not valid: start again from the first page.")]}
        )
        try:
            cursor = super().decode_cursor(request)
        except NotFound as error:
            raise invalid from error
        if cursor is not None and cursor.position is not None:
            # The position is compared with the order's first field: it must be one of its values
            # (a cursor made for another order, or by hand, may not be).
            name = self.ordering[0].lstrip("-")
            if not _is_position(self._position_field(name), cursor.position):
                raise invalid
        return cursor

    def _position_field(self, name: str):
        if name == "pk":
            return self._model._meta.pk
        try:
            return self._model._meta.get_field(name)
        except FieldDoesNotExist:  # an annotation, such as a search rank
            return models.FloatField()


def _is_position(field, position: str) -> bool:
    """Whether `position` is a value of `field` as DRF writes it into a cursor (`str(value)`)."""
    try:
        value = field.to_python(position)
        if isinstance(value, datetime):
            # The positions written carry their offset; years past 9999 in UTC cannot be stored.
            return value.tzinfo is not None and value.astimezone(dt.UTC) is not None
    except (DjangoValidationError, OverflowError, ValueError):
        return False
    return value is not None


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
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._states = ledger.states_for(page)
        return page


def check_parameters(request, *, accepted, free_text=frozenset()) -> None:
    """The one rule for an API endpoint's query string: a parameter it does not take is a 400
    naming it, and so is an empty value of any parameter but free text (`q`). Lists, items, the
    root and the change feed all apply it (each with the parameters it takes)."""
    unknown = sorted(set(request.query_params) - set(accepted))
    if unknown:
        raise ValidationError(
            {unknown[0]: [_("Unknown parameter “%(name)s”.") % {"name": unknown[0]}]}
        )
    check_values(request, free_text=free_text)


def check_values(request, *, free_text=frozenset()) -> None:
    """An empty value is a 400 for every parameter but free text (django-filter would ignore
    `?type=` silently, DRF `?cursor=`), as the schema says."""
    empty = sorted(
        name
        for name in set(request.query_params) - set(free_text)
        if any(value == "" for value in request.query_params.getlist(name))
    )
    if empty:
        raise ValidationError({empty[0]: [_("This parameter needs a value.")]})


def check_language(request) -> str | None:
    """`?lang=`: one of the portal's languages, or absent (None)."""
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
    return language


class StrictFormatMixin:
    """`?format=` naming no format the view renders is a 400 naming the parameter (DRF answers
    a 404, "Not found.", as if the address did not exist)."""

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            name = api_settings.URL_FORMAT_OVERRIDE
            value = request.query_params.get(name) if name else None
            if value is None:
                raise
            choices = ", ".join(renderer.format for renderer in self.get_renderers())
            raise ValidationError(
                {
                    name: [
                        _("Unknown format “%(format)s”: use one of %(choices)s.")
                        % {"format": value, "choices": choices}
                    ]
                }
            ) from None


class PublicReadViewSet(StrictFormatMixin, viewsets.ReadOnlyModelViewSet):
    """Read-only collection with `?lang=`, strict parameters and conditional requests."""

    pagination_class = StrictCursorPagination
    schema = PublicAutoSchema()
    # Parameters every collection accepts besides its filters (and `ordering`, see below).
    common_parameters = frozenset({"lang", "cursor", "page_size", "format"})
    # What an object's own URL takes.
    item_parameters = frozenset({"lang", "format"})
    # `?ordering=` value → the order it means, ending with the primary key (a cursor needs a
    # total order). A collection without any offers no `ordering` parameter: newest first.
    orderings: ClassVar[dict[str, tuple[str, ...]]] = {}
    # CharFilters that name an object (a slug or a code) rather than take free text.
    reference_filters: frozenset[str] = frozenset({"theme"})

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method.lower() not in self.http_method_names or not hasattr(
            self, request.method.lower()
        ):
            # A method the collection does not offer is a 405 whatever the query string says.
            raise MethodNotAllowed(request.method)
        self.api_language = check_language(request)
        self.filter_parameters = set(getattr(self, "filterset_fields", None) or ()) | (
            self._filterset_parameters()
        )
        if not getattr(self, "detail", False):
            accepted = self.common_parameters | ({"ordering"} if self.orderings else set())
            accepted |= self.filter_parameters
        else:
            # An object takes only what changes its representation: cursors, page sizes,
            # orderings and filters are a list's (a 400 here too, not silently ignored).
            accepted = self.item_parameters
        check_parameters(request, accepted=accepted, free_text=self._free_text_filters())
        ordering = ",".join(request.query_params.getlist("ordering"))
        if ordering and ordering not in self.orderings:
            raise ValidationError(
                {
                    "ordering": [
                        _("Unknown ordering “%(ordering)s”: use one of %(choices)s.")
                        % {"ordering": ordering, "choices": ", ".join(self.orderings)}
                    ]
                }
            )

    def _free_text_filters(self) -> set[str]:
        """Filters that take any text (where an empty one means "no filter")."""
        filterset_class = getattr(self, "filterset_class", None)
        if not filterset_class:
            return set()
        return {
            name
            for name, filter_ in filterset_class.base_filters.items()
            if type(filter_) is django_filters.CharFilter and name not in self.reference_filters
        }

    def filter_queryset(self, queryset):
        # Without a filter parameter the filter set would filter nothing, after building its form
        # (and deep-copying every choice of every field, such as the 250 countries).
        accepted = getattr(self, "filter_parameters", None)
        if accepted is not None and not accepted & set(self.request.query_params):
            return queryset
        return super().filter_queryset(queryset)

    def _filterset_parameters(self) -> set[str]:
        filterset_class = getattr(self, "filterset_class", None)
        return set(filterset_class.base_filters) if filterset_class else set()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["lang"] = getattr(self, "api_language", None)
        return context

    def list(self, request, *args, **kwargs):
        cached = self._cached_answer(request)
        if cached is not None:
            return cached
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is None:
            return super().list(request, *args, **kwargs)
        serializer = self.get_serializer(page, many=True)
        # A plain list: DRF's ReturnList would keep the serializer, and through it the page, alive
        # as long as the response.
        response = self.get_paginated_response(list(serializer.data))
        # DRF's serializers, views, requests and responses point at one another: what they hold
        # would wait for Python's cyclic garbage collector (docs/performance.md, issue 6).
        # Letting go of the page here frees it at once.
        for holder in (serializer, getattr(serializer, "child", None)):
            if holder is not None:
                # DRF offers no way to release these; its own attributes, cleared once used.
                holder._args = ()  # noqa: SLF001 - kept by DRF for copying a field: (page,)
                holder.instance = holder._data = None  # noqa: SLF001 - the cached output
        serializer._context = {}  # noqa: SLF001 - holds the request and the view
        self.paginator.page = None
        self._states = None
        return response

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if getattr(response, "is_rendered", False):
            # Rendered (see _conditional): the view, its request and the response no longer need
            # one another, and with no cycle left they are freed as soon as the response is sent.
            response.renderer_context = None
            self.request.parser_context = None
            self.request = self.response = None
        return response

    def retrieve(self, request, *args, **kwargs):

        cached = self._cached_answer(request)
        if cached is not None:
            return cached
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            identifier = kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            if getattr(self, "kind", None) and ledger.was_public(self.kind, str(identifier)):
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
            and response.status_code == status.HTTP_200_OK
            and hasattr(response, "data")
        ):
            return self._conditional(request, response)
        return response

    # --- the answer cache: a public 200, rendered once per content version ------------------
    #
    # Looked up in list()/retrieve(), after authentication, throttling and parameter checks (a
    # wrong API key is still a 401, a client over its rate still a 429); stored when a 200 is
    # rendered. Content changes bump the version, so a published edit is served at once.

    def _answer_key(self, request) -> str | None:
        if not settings.API_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
            return None
        # The absolute URL: answers carry absolute `url`s built from the request's host.
        identity = f"{request.build_absolute_uri()}|{request.accepted_media_type}"
        digest = hashlib.sha256(identity.encode()).hexdigest()
        return f"s4c:api:{content_version()}:{digest}"

    def _cached_answer(self, request):
        from django.core.cache import cache

        key = self._answer_key(request)
        frozen = cache.get(key) if key else None
        if frozen is None:
            return None
        response = Response(status=status.HTTP_200_OK)
        response.cached_answer = frozen
        return response

    def _conditional(self, request, response):
        """`ETag` and `Last-Modified` on every answer, and 304s (RFC 9110, 13.1).

        An object's date is its public one; a list's is `_list_last_modified`. Either is sent only
        once its second is over: within that second another change could still follow with the
        same date, and a client revalidating with that date alone would be told nothing changed
        (RFC 9110 8.8.2.2, "implicitly weak").
        """
        frozen = getattr(response, "cached_answer", None)
        if frozen is not None:
            response.render()  # nothing to render: the body is the cached one
            response.content = frozen["content"]
            for header, value in frozen["headers"].items():
                response[header] = value
            response["X-Cache"] = "hit"
            etag, last_modified = frozen["headers"]["ETag"], frozen["last_modified"]
        else:
            # The ETag is the hash of the body itself: rendered once, here, and sent as it is.
            response.render()
            etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            response["ETag"] = etag
            last_modified = (
                self._list_last_modified(response.data)
                if self._is_list()
                else _latest_updated(response.data)
            )
            self._store_answer(request, response, last_modified)
        if last_modified and int(last_modified) < int(time.time()):
            response["Last-Modified"] = http_date(last_modified)
        else:
            last_modified = None
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            # Weak comparison (RFC 9110 13.1.2): W/"x" matches "x"; "*" matches any answer.
            tags = {_opaque_tag(tag) for tag in if_none_match.split(",")}
            if "*" in tags or _opaque_tag(etag) in tags:
                return _not_modified(response)
            return response
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        if since and last_modified and int(last_modified) <= since:
            return _not_modified(response)
        return response

    def _is_list(self) -> bool:
        return getattr(self, "action", None) == "list"

    def _list_last_modified(self, data) -> float | None:
        """A list changes when an object enters, changes or leaves it, and the newest date of
        the objects it shows says nothing of one that left. So its date is the latest of: its
        objects' dates; the last change to any object of its kind, public or not (one that left
        keeps a dated tombstone in the ledger); and the content version, moved after
        every public change commits, in every process that shares the cache (a change's own date
        is taken before its commit, so a reader in between could be sent a date it then
        precedes). Later than the list's true date at worst: a needless 200, never a stale 304.
        """
        stamps = [_latest_updated(data)]
        kind = getattr(self, "kind", None)
        if isinstance(kind, str):
            latest = ledger.kind_updated_at(kind)
            if latest is not None:
                stamps.append(latest.timestamp())
        version = content_version()
        if version.isdigit():  # nanoseconds since the epoch (core.caching)
            stamps.append(int(version) / 1e9)
        stamps = [stamp for stamp in stamps if stamp]
        return max(stamps) if stamps else None

    def _store_answer(self, request, response, last_modified) -> None:
        from django.core.cache import cache

        key = self._answer_key(request)
        if key is None:
            return
        headers = {
            name: response[name]
            for name in ("ETag", "Content-Language", "Content-Type")
            if name in response
        }
        frozen = {"content": response.content, "headers": headers, "last_modified": last_modified}
        cache.set(key, frozen, settings.API_CACHE_SECONDS)


def _opaque_tag(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


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
    items = data.get("results", [data]) if isinstance(data, dict) else []
    # The API writes ISO 8601 stamps (DateTimeField), which fromisoformat reads back.
    stamps = [
        datetime.fromisoformat(item["updated_at"])
        for item in items
        if isinstance(item, dict) and item.get("updated_at")
    ]
    return max(stamps).timestamp() if stamps else None
