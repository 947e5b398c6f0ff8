"""OAI-PMH 2.0 at /oai/: the Knowledge Hub's resources for library catalogues and portals.

One metadata format (`oai_dc`, unqualified Dublin Core with `xml:lang="en"`/`"ar"` values), sets
by theme (`theme:<slug>`) and by type (`type:<type>`), datestamps to the second, and withdrawn
resources kept as "persistent" deleted records (the change feed's tombstones give their
datestamps). Resumption tokens are stateless: signed, opaque, valid until the key changes.

Protocol: https://www.openarchives.org/OAI/openarchivesprotocol.html
"""

import datetime as dt
import mimetypes
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_countries import countries
from lxml import etree

from core.bilingual import LANGUAGE_CODES, bilingual_dict
from core.links import absolute_url
from core.seo import languages_of

from . import selectors
from .models import Resource, Theme

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XSI_SCHEMA_LOCATION = f"{{{XSI_NS}}}schemaLocation"

METADATA_FORMATS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC_NS),
}
REPOSITORY_NAME = "South-4-Care Knowledge Hub"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
TOKEN_SALT = "hub.oai.resumption"  # noqa: S105 - a signing namespace, not a password

# The arguments of each verb: (required, optional); `resumptionToken` is exclusive where allowed.
VERBS = {
    "Identify": ((), ()),
    "ListMetadataFormats": ((), ("identifier",)),
    "ListSets": ((), ()),
    "GetRecord": (("identifier", "metadataPrefix"), ()),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set")),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set")),
}
RESUMABLE = {"ListSets", "ListIdentifiers", "ListRecords"}

# DCMI Type Vocabulary terms of our resource types.
DCMI_TYPES = {Resource.Type.VIDEO: "MovingImage", Resource.Type.DATASET: "Dataset"}

_SET_SPEC = re.compile(r"(theme|type):([A-Za-z0-9\-_.!~*'()]+)")
_PREFIX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# Characters XML 1.0 cannot carry (control characters other than tab, newline, return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# Identifiers are URIs (xs:anyURI): the XML Schema library itself tells whether a value is one,
# exactly as a harvester validating our responses will.
_URI = etree.XMLSchema(
    etree.fromstring(
        b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        b'<xs:element name="uri" type="xs:anyURI"/></xs:schema>'
    )
)


def _is_uri(value: str) -> bool:
    element = etree.Element("uri")
    try:
        element.text = value
    except ValueError:  # characters XML cannot carry
        return False
    return _URI.validate(element)


class OaiError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class ListQuery:
    verb: str
    prefix: str
    since: str | None
    until: str | None
    set_spec: str | None
    after: int = 0  # the last state id already returned
    cursor: int = 0  # how many records the previous pages returned


# --- the view ----------------------------------------------------------------------------------


@csrf_exempt  # a harvester POSTs form-encoded arguments; there is no session to protect
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request):
    params = request.POST if request.method == "POST" else request.GET
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(XSI_SCHEMA_LOCATION, f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    _sub(root, "responseDate", datestamp(timezone.now()))
    request_element = _sub(root, "request", base_url())
    try:
        verb, arguments = _arguments(params)
        for name, value in arguments.items():
            request_element.set(name, value)
        root.append(HANDLERS[verb](arguments))
    except OaiError as error:
        if error.code in {"badVerb", "badArgument"}:
            # The protocol: echo no arguments of a request that was not understood.
            request_element.attrib.clear()
        _sub(root, "error", error.message).set("code", error.code)
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _arguments(params) -> tuple[str, dict[str, str]]:  # noqa: PLR0912 - one per OAI-PMH rule
    verbs = params.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        if not verbs:
            raise OaiError("badVerb", _("The verb argument is missing."))
        if len(verbs) > 1:
            raise OaiError("badVerb", _("The verb argument is repeated."))
        raise OaiError("badVerb", _("This is not an OAI-PMH verb."))
    verb = verbs[0]
    arguments = {}
    for name, values in params.lists():
        if name == "verb":
            continue
        if len(values) > 1:
            raise OaiError(
                "badArgument", _("The argument “%(name)s” is repeated.") % {"name": name}
            )
        if _NOT_XML.search(values[0]) or _NOT_XML.search(name):
            raise OaiError("badArgument", _("The arguments contain characters XML cannot carry."))
        arguments[name] = values[0]
    required, optional = VERBS[verb]
    if "resumptionToken" in arguments and verb in RESUMABLE:
        if len(arguments) > 1:
            raise OaiError(
                "badArgument", _("The resumptionToken argument must be the only argument.")
            )
        return verb, {"verb": verb, **arguments}
    illegal = sorted(set(arguments) - set(required) - set(optional))
    if illegal:
        raise OaiError(
            "badArgument",
            _("The argument “%(name)s” is not allowed with this verb.") % {"name": illegal[0]},
        )
    missing = [name for name in required if not arguments.get(name)]
    if missing:
        raise OaiError(
            "badArgument", _("The argument “%(name)s” is required.") % {"name": missing[0]}
        )
    if "identifier" in arguments and not _is_uri(arguments["identifier"]):
        raise OaiError("badArgument", _("The identifier must be a URI."))
    if "metadataPrefix" in arguments and not _PREFIX.fullmatch(arguments["metadataPrefix"]):
        raise OaiError("badArgument", _("This is not a metadata prefix."))
    if "set" in arguments and not _SET_SPEC.fullmatch(arguments["set"]):
        raise OaiError("badArgument", _("This is not a set of this repository."))
    for name in ("from", "until"):
        if name in arguments:
            # Checked here, before any verb runs: an empty or malformed date is a badArgument
            # (echoed, `from=""` would break the schema's UTCdatetimeType).
            _parse_date(arguments[name], name)
    return verb, {"verb": verb, **arguments}


# --- verbs -------------------------------------------------------------------------------------


def identify(arguments):
    element = _element("Identify")
    earliest = selectors.resource_states_earliest() or timezone.now()
    _sub(element, "repositoryName", REPOSITORY_NAME)
    _sub(element, "baseURL", base_url())
    _sub(element, "protocolVersion", "2.0")
    _sub(element, "adminEmail", settings.OAI_ADMIN_EMAIL)
    _sub(element, "earliestDatestamp", datestamp(earliest))
    _sub(element, "deletedRecord", "persistent")
    _sub(element, "granularity", GRANULARITY)
    return element


def list_metadata_formats(arguments):
    if "identifier" in arguments:
        _state_of(arguments["identifier"])
    element = _element("ListMetadataFormats")
    for prefix, (schema, namespace) in METADATA_FORMATS.items():
        metadata_format = _sub(element, "metadataFormat")
        _sub(metadata_format, "metadataPrefix", prefix)
        _sub(metadata_format, "schema", schema)
        _sub(metadata_format, "metadataNamespace", namespace)
    return element


def list_sets(arguments):
    if "resumptionToken" in arguments:
        raise OaiError("badResumptionToken", _("This resumption token is not valid."))
    element = _element("ListSets")
    for theme in Theme.objects.order_by("order", "slug"):
        _set(element, f"theme:{theme.slug}", theme, "name")
    for value, _label in Resource.Type.choices:
        names = {}
        for code in LANGUAGE_CODES:
            with translation.override(code):
                names[code] = str(Resource.Type(value).label)
        _set(element, f"type:{value}", names, None)
    return element


def get_record(arguments):
    _check_prefix(arguments["metadataPrefix"])
    state = _state_of(arguments["identifier"])
    resources = selectors.resources_by_identifier(identifiers=[state.object_id])
    element = _element("GetRecord")
    element.append(_record(state, resources.get(state.object_id)))
    return element


def list_identifiers(arguments):
    return _list(arguments, "ListIdentifiers")


def list_records(arguments):
    return _list(arguments, "ListRecords")


def _list(arguments, verb):
    query = _list_query(arguments, verb)
    since, before = _window(query)
    set_spec = _SET_SPEC.fullmatch(query.set_spec).groups() if query.set_spec else None
    states = selectors.resource_states(since=since, before=before, set_spec=set_spec)
    size = settings.OAI_PAGE_SIZE
    # The token's position is a primary key: a record edited during a harvest keeps its place,
    # and a harvest only goes forward, whatever leaves or enters the list behind or ahead of it.
    page = list(states.filter(pk__gt=query.after)[: size + 1])
    if not page and "resumptionToken" in arguments:
        # The rest of the list left it (a set's records moved to another theme) after the token
        # was given: the token is still valid, and the list ends here. A list needs one record
        # (the protocol's schema): the last one the harvester already has, again.
        page = list(states.filter(pk__lte=query.after).order_by("-pk")[:1])
    if not page:
        raise OaiError("noRecordsMatch", _("No record matches these arguments."))
    more, page = len(page) > size, page[:size]
    full = verb == "ListRecords"
    resources = selectors.resources_by_identifier(
        identifiers=[state.object_id for state in page], full=full
    )
    element = _element(verb)
    for state in page:
        resource = resources.get(state.object_id)
        element.append(_record(state, resource) if full else _header(state, resource))
    if more or query.cursor:
        # Every page of an incomplete list has a token; the last one's is empty.
        token = _sub(element, "resumptionToken", _next_token(query, page[-1].pk) if more else None)
        token.set("completeListSize", str(states.count()))
        token.set("cursor", str(query.cursor))
    return element


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}


# --- arguments ---------------------------------------------------------------------------------


def _check_prefix(prefix: str) -> None:
    if prefix not in METADATA_FORMATS:
        raise OaiError(
            "cannotDisseminateFormat",
            _("The metadata format “%(prefix)s” is not supported: use oai_dc.")
            % {"prefix": prefix},
        )


def _list_query(arguments, verb) -> ListQuery:
    if "resumptionToken" in arguments:
        try:
            data = signing.loads(arguments["resumptionToken"], salt=TOKEN_SALT)
            query = ListQuery(**data)
        except (signing.BadSignature, TypeError, ValueError) as error:
            raise OaiError(
                "badResumptionToken", _("This resumption token is not valid.")
            ) from error
        if query.verb != verb:
            raise OaiError("badResumptionToken", _("This resumption token is not valid."))
        return query
    query = ListQuery(
        verb,
        arguments["metadataPrefix"],
        arguments.get("from"),
        arguments.get("until"),
        arguments.get("set"),
    )
    _window(query)  # malformed dates are a badArgument, whatever the format asked
    _check_prefix(query.prefix)
    return query


def _next_token(query: ListQuery, after: int) -> str:
    data = {**query.__dict__, "after": after, "cursor": query.cursor + settings.OAI_PAGE_SIZE}
    return signing.dumps(data, salt=TOKEN_SALT, compress=True)


def _parse_date(value: str, name: str) -> tuple[dt.datetime, str]:
    try:
        if _SECOND.fullmatch(value):
            moment = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
            return moment, "second"
        if _DAY.fullmatch(value):
            day = dt.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=dt.UTC)
            return day, "day"
    except ValueError:
        pass
    raise OaiError(
        "badArgument",
        _(
            "The argument “%(name)s” must be a date (YYYY-MM-DD) or a UTC time (YYYY-MM-DDThh:mm:ssZ)."
        )
        % {"name": name},
    )


def _window(query: ListQuery) -> tuple[dt.datetime | None, dt.datetime | None]:
    """`from` and `until` as [since, before): `until` includes its whole day or second."""
    since = before = None
    since_granularity = until_granularity = None
    if query.since:
        since, since_granularity = _parse_date(query.since, "from")
    if query.until:
        until, until_granularity = _parse_date(query.until, "until")
        step = dt.timedelta(days=1) if until_granularity == "day" else dt.timedelta(seconds=1)
        before = until + step
        if since is not None and since_granularity != until_granularity:
            raise OaiError(
                "badArgument", _("The arguments “from” and “until” must have the same granularity.")
            )
        if since is not None and since > until:
            raise OaiError("badArgument", _("The argument “from” is later than “until”."))
    return since, before


def _state_of(identifier: str):
    prefix = identifier_prefix()
    object_id = identifier[len(prefix) :] if identifier.startswith(prefix) else None
    state = selectors.resource_states().filter(object_id=object_id).first() if object_id else None
    if state is None:
        raise OaiError("idDoesNotExist", _("This identifier does not exist in this repository."))
    return state


# --- records -----------------------------------------------------------------------------------


def base_url() -> str:
    return absolute_url(reverse("oai"))


def identifier_prefix() -> str:
    # Always SITE_URL's host, even in debug mode: an identifier names a record for ever.
    return f"oai:{urlsplit(settings.SITE_URL).hostname}:"


def datestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _header(state, resource: Resource | None):
    header = _element("header")
    if state.deleted or resource is None or not resource.is_public:
        header.set("status", "deleted")
    _sub(header, "identifier", identifier_prefix() + state.object_id)
    _sub(header, "datestamp", datestamp(state.updated_at))
    if resource is not None:
        for theme in resource.themes.all():
            _sub(header, "setSpec", f"theme:{theme.slug}")
        _sub(header, "setSpec", f"type:{resource.resource_type}")
    return header


def _record(state, resource: Resource | None):
    record = _element("record")
    header = _header(state, resource)
    record.append(header)
    if header.get("status") != "deleted":
        metadata = _sub(record, "metadata")
        metadata.append(dublin_core(resource))
    return record


def dublin_core(resource: Resource):
    dc = etree.Element(
        f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    dc.set(XSI_SCHEMA_LOCATION, f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    _dc_bilingual(dc, "title", resource, "title")
    for author in resource.authors.split(";"):
        _dc(dc, "creator", author.strip())
    for theme in resource.themes.all():
        _dc_bilingual(dc, "subject", theme, "name")
    _dc_bilingual(dc, "description", resource, "summary")
    if resource.publisher:
        _dc_bilingual(dc, "publisher", resource.publisher, "name")
    _dc(dc, "date", resource.publication_date_iso)
    _dc(dc, "type", DCMI_TYPES.get(resource.resource_type, "Text"))
    for code in LANGUAGE_CODES:
        with translation.override(code):
            _dc(dc, "type", str(resource.get_resource_type_display()), code)
    if resource.file:
        _dc(dc, "format", mimetypes.guess_type(resource.file.name)[0] or "")
    # The pages the resource has (the sitemap's and the pages' own rule): an English-only
    # resource's /ar/ page is canonical to its /en/ one, so it is not advertised.
    for code in languages_of(resource, "title"):
        with translation.override(code):
            _dc(dc, "identifier", absolute_url(resource.get_absolute_url()), code)
    if resource.external_url:
        _dc(dc, "relation", resource.external_url)
    if resource.file:
        _dc(dc, "relation", absolute_url(resource.file.url))
    for link in sorted(resource.language_links.all(), key=lambda link: link.language):
        _dc(dc, "language", link.language)
    for link in sorted(resource.country_links.all(), key=lambda link: link.country.code):
        for code in LANGUAGE_CODES:
            with translation.override(code):
                _dc(dc, "coverage", str(countries.name(link.country.code)), code)
    for region in resource.regions.all():
        _dc_bilingual(dc, "coverage", region, "name")
    _dc(dc, "rights", resource.licence)
    return dc


def _set(parent, spec: str, names, field: str | None):
    """A set whose name is English and whose description is its name in both languages."""
    values = bilingual_dict(names, field, missing="") if field else names
    element = _sub(parent, "set")
    _sub(element, "setSpec", spec)
    _sub(element, "setName", values.get("en") or values.get("ar") or spec)
    description = _sub(element, "setDescription")
    dc = etree.SubElement(
        description, f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS}
    )
    for code, text in values.items():
        _dc(dc, "title", text, code)


# --- XML ---------------------------------------------------------------------------------------


def _element(tag: str):
    return etree.Element(f"{{{OAI_NS}}}{tag}", nsmap={None: OAI_NS})


def _sub(parent, tag: str, text: str | None = None):
    element = etree.SubElement(parent, f"{{{OAI_NS}}}{tag}")
    if text is not None:
        element.text = _clean(text)
    return element


def _dc(parent, tag: str, text: str | None, language: str | None = None) -> None:
    text = _clean(text or "").strip()
    if text:
        element = etree.SubElement(parent, f"{{{DC_NS}}}{tag}")
        element.text = text
        if language:
            element.set(XML_LANG, language)


def _dc_bilingual(parent, tag: str, obj, field: str) -> None:
    for code, text in bilingual_dict(obj, field).items():
        _dc(parent, tag, text, code)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", str(text))
