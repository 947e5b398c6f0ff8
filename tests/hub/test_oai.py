"""OAI-PMH 2.0 at /oai/: every verb and error, paging, selective harvesting, deleted records.

Every response is validated against the protocol's schema (OAI-PMH.xsd) and, inside records and
set descriptions, the oai_dc schema (oai_dc.xsd → simpledc20021212.xsd → xml.xsd), all shipped
in tests/hub/schemas/ and loaded without any network access.
"""

import datetime as dt
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from lxml import etree

from core.permissions import SYSTEM
from core.seo import languages_of
from hub import services
from hub.models import Organisation, Region, Resource
from partners.models import PublicState

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"
NS = {
    "o": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFIX = "oai:localhost:"
VERBS_UNDER_TEST = [
    "Identify",
    "ListMetadataFormats",
    "ListSets",
    "GetRecord",
    "ListIdentifiers",
    "ListRecords",
]


class _LocalOnly(etree.Resolver):
    """Refuses anything but the shipped schema files: validation never reaches the network."""

    def __init__(self):
        super().__init__()
        self.loaded = []

    def resolve(self, url, pubid, context):
        path = Path(url.removeprefix("file://"))
        assert path.parent == SCHEMAS, f"schema outside tests/hub/schemas/: {url}"
        self.loaded.append(path.name)
        return self.resolve_filename(str(path), context)


def _parser(resolver=None):
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    if resolver:
        parser.resolvers.add(resolver)
    return parser


@pytest.fixture(scope="module")
def schema():
    resolver = _LocalOnly()
    # One schema for both namespaces: OAI-PMH.xsd validates <metadata> and <setDescription>
    # content strictly, so the oai_dc declarations must be loaded with it.
    both = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="{NS["o"]}" schemaLocation="OAI-PMH.xsd"/>
      <xs:import namespace="{NS["oai_dc"]}" schemaLocation="oai_dc.xsd"/>
    </xs:schema>"""
    document = etree.fromstring(
        both.encode(), _parser(resolver), base_url=str(SCHEMAS / "both.xsd")
    ).getroottree()
    compiled = etree.XMLSchema(document)
    assert sorted(set(resolver.loaded)) == [
        "OAI-PMH.xsd",
        "oai_dc.xsd",
        "simpledc20021212.xsd",
        "xml.xsd",
    ]
    return compiled


@pytest.fixture(autouse=True)
def _admin_email(settings):
    # The development default (no-reply@localhost) has no full domain, which OAI-PMH requires.
    settings.OAI_ADMIN_EMAIL = "south4care@example.org"


@pytest.fixture
def oai(client, schema):
    def request(query="", method="get", **params):
        if method == "post":
            response = client.post("/oai/", params)
        else:
            response = client.get(f"/oai/?{query}" if query else "/oai/", params)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        document = etree.fromstring(response.content, _parser())
        schema.assertValid(document)
        return document

    return request


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs the change feed's commit callbacks, which write the public states OAI-PMH reads.

    Writes to public objects outside it leave a callback pending that later writes would join, so
    every write of a test's arrangement goes through it until its last publication.
    """

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def content(load_content):
    load_content()


@pytest.fixture
def published(make_resource, committed):
    """Publishes resources and gives each a distinct public datestamp, a day apart."""

    def make(count=1, **fields):
        made = []
        for _ in range(count):
            resource = committed(make_resource, f"Resource {len(made) + 1}", **fields)
            made.append(resource)
        return made

    return make


def _stamp(resource, when):
    PublicState.objects.filter(kind="resource", object_id=resource.identifier).update(
        updated_at=when
    )


def _error(document):
    errors = document.findall("o:error", NS)
    assert len(errors) == 1
    return errors[0].get("code")


def _request_attributes(document):
    return dict(document.find("o:request", NS).attrib)


def _identifiers(document, verb):
    return [e.text for e in document.findall(f"o:{verb}//o:header/o:identifier", NS)]


def _token(document, verb):
    return document.find(f"o:{verb}/o:resumptionToken", NS)


# --- Identify, ListMetadataFormats, ListSets ---------------------------------------------------


def test_identify(oai, published):
    first, _second = published(2)
    _stamp(first, dt.datetime(2025, 9, 1, 8, 30, 15, 500000, tzinfo=dt.UTC))
    document = oai(verb="Identify")
    identify = document.find("o:Identify", NS)
    assert {child.tag.split("}")[1]: child.text for child in identify} == {
        "repositoryName": "South-4-Care Knowledge Hub",
        "baseURL": "http://localhost:8000/oai/",
        "protocolVersion": "2.0",
        "adminEmail": "south4care@example.org",
        "earliestDatestamp": "2025-09-01T08:30:15Z",
        "deletedRecord": "persistent",
        "granularity": "YYYY-MM-DDThh:mm:ssZ",
    }
    assert document.find("o:request", NS).text == "http://localhost:8000/oai/"
    assert _request_attributes(document) == {"verb": "Identify"}


def test_list_metadata_formats(oai, published):
    (resource,) = published()
    for document in (
        oai(verb="ListMetadataFormats"),
        oai(verb="ListMetadataFormats", identifier=PREFIX + resource.identifier),
    ):
        formats = document.findall("o:ListMetadataFormats/o:metadataFormat", NS)
        assert [[child.text for child in f] for f in formats] == [
            [
                "oai_dc",
                "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
                "http://www.openarchives.org/OAI/2.0/oai_dc/",
            ]
        ]
    missing = oai(verb="ListMetadataFormats", identifier=PREFIX + "no-such-resource")
    assert _error(missing) == "idDoesNotExist"
    assert _request_attributes(missing) == {
        "verb": "ListMetadataFormats",
        "identifier": PREFIX + "no-such-resource",
    }


def test_list_sets_by_theme_and_type(oai, make_theme):
    make_theme("care-policy", name_en="Care policy", name_ar="سياسات الرعاية")
    document = oai(verb="ListSets")
    sets = document.findall("o:ListSets/o:set", NS)
    specs = [s.findtext("o:setSpec", namespaces=NS) for s in sets]
    assert specs == ["theme:care-policy"] + [f"type:{value}" for value in Resource.Type.values]
    theme = sets[0]
    assert theme.findtext("o:setName", namespaces=NS) == "Care policy"
    titles = theme.findall("o:setDescription/oai_dc:dc/dc:title", NS)
    assert [(t.get(LANG), t.text) for t in titles] == [
        ("en", "Care policy"),
        ("ar", "سياسات الرعاية"),
    ]
    video = sets[specs.index("type:video")]
    assert video.findtext("o:setName", namespaces=NS) == "Video or recording"
    assert oai(verb="ListSets", resumptionToken="x").find("o:error", NS).get("code") == (
        "badResumptionToken"
    )


# --- records -----------------------------------------------------------------------------------


def test_get_record_is_bilingual_dublin_core(oai, content):
    document = oai(
        verb="GetRecord",
        identifier=PREFIX + "south-4-care-launch-2025",
        metadataPrefix="oai_dc",
    )
    record = document.find("o:GetRecord/o:record", NS)
    resource = Resource.objects.get(identifier="south-4-care-launch-2025")
    state = PublicState.objects.get(kind="resource", object_id=resource.identifier)
    header = record.find("o:header", NS)
    assert header.get("status") is None
    assert header.findtext("o:identifier", namespaces=NS) == PREFIX + "south-4-care-launch-2025"
    assert header.findtext("o:datestamp", namespaces=NS) == state.updated_at.strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    themes = sorted(resource.themes.values_list("slug", flat=True))
    assert [s.text for s in header.findall("o:setSpec", NS)] == [
        f"theme:{slug}"
        for slug in resource.themes.order_by("order", "slug").values_list("slug", flat=True)
    ] + [f"type:{resource.resource_type}"]
    assert themes  # the launch release is filed under themes

    dc = record.find("o:metadata/oai_dc:dc", NS)

    def values(tag):
        return [(e.get(LANG), e.text) for e in dc.findall(f"dc:{tag}", NS)]

    assert values("title") == [("en", resource.title_en), ("ar", resource.title_ar)]
    assert values("description") == [("en", resource.summary_en), ("ar", resource.summary_ar)]
    assert values("identifier") == [
        ("en", "http://localhost:8000/en/hub/south-4-care-launch-2025/"),
        ("ar", "http://localhost:8000/ar/hub/south-4-care-launch-2025/"),
    ]
    assert values("publisher") == [
        ("en", resource.publisher.name_en),
        ("ar", resource.publisher.name_ar),
    ]
    assert values("language") == [
        (None, code) for code in sorted(resource.language_links.values_list("language", flat=True))
    ]
    assert values("date")[0][1].startswith(str(resource.publication_year))
    assert values("type")[0] == (None, "Text")
    assert len(values("subject")) == 2 * len(themes)
    coverage = values("coverage")
    assert ("en", "Qatar") in coverage  # Doha hosts the Learning Hub
    assert ("ar", "قطر") in coverage
    assert len(coverage) == 2 * (resource.country_links.count() + resource.regions.count())
    # Every record of the real content is valid Dublin Core (the fixture validates the response).
    every = oai(verb="ListRecords", metadataPrefix="oai_dc")
    records = every.findall("o:ListRecords/o:record", NS)
    assert len(records) == Resource.objects.published().count() > 1


@pytest.mark.parametrize(
    ("titles", "languages"), [({"title_ar": ""}, ["en"]), ({"title_en": ""}, ["ar"])]
)
def test_a_record_links_only_the_pages_its_resource_has(
    oai, committed, make_resource, titles, languages
):
    # A resource without an Arabic title has no Arabic page (its /ar/ page is canonical to the
    # English one, and the sitemap leaves it out): the record does not advertise it either.
    fields = {"title_en": "Care leave", "title_ar": "إجازة الرعاية", **titles}
    resource = committed(make_resource, fields.pop("title_en"), **fields)
    document = oai(
        verb="GetRecord", identifier=PREFIX + resource.identifier, metadataPrefix="oai_dc"
    )
    identifiers = document.xpath("//dc:identifier", namespaces={"dc": NS["dc"]})
    assert [(e.get(LANG), e.text) for e in identifiers] == [
        (code, f"http://localhost:8000/{code}/hub/{resource.identifier}/") for code in languages
    ]
    assert languages_of(resource, "title") == languages  # the sitemap's and the pages' rule


def test_user_text_is_escaped_and_control_characters_dropped(oai, published, committed):
    (resource,) = published()
    resource.title_en = 'Care <b>&</b> "work"\x0b\x1f ]]>'
    committed(services.resource_save, resource=resource, actor=SYSTEM, languages=["en"])
    document = oai(
        verb="GetRecord", identifier=PREFIX + resource.identifier, metadataPrefix="oai_dc"
    )
    (title,) = document.xpath("//dc:title[@xml:lang='en']", namespaces={"dc": NS["dc"]})
    assert title.text == 'Care <b>&</b> "work" ]]>'


def test_deleted_records_keep_their_tombstone(oai, published, committed):
    kept, archived, deleted = published(3)
    committed(services.resource_archive, resource=archived, actor=SYSTEM)
    committed(services.resource_delete, resource=deleted, actor=SYSTEM)
    when = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    _stamp(archived, when)
    document = oai(verb="ListRecords", metadataPrefix="oai_dc")
    records = document.findall("o:ListRecords/o:record", NS)
    by_id = {r.findtext("o:header/o:identifier", namespaces=NS): r for r in records}
    assert list(by_id) == [PREFIX + r.identifier for r in (kept, archived, deleted)]
    assert by_id[PREFIX + kept.identifier].find("o:header", NS).get("status") is None
    for resource in (archived, deleted):
        record = by_id[PREFIX + resource.identifier]
        assert record.find("o:header", NS).get("status") == "deleted"
        assert record.find("o:metadata", NS) is None
    assert (
        by_id[PREFIX + archived.identifier].findtext("o:header/o:datestamp", namespaces=NS)
        == "2026-01-02T03:04:05Z"
    )
    single = oai(verb="GetRecord", identifier=PREFIX + archived.identifier, metadataPrefix="oai_dc")
    header = single.find("o:GetRecord/o:record/o:header", NS)
    assert header.get("status") == "deleted"
    assert [s.text for s in header.findall("o:setSpec", NS)] == ["type:publication"]
    headers = oai(verb="ListIdentifiers", metadataPrefix="oai_dc").findall(
        "o:ListIdentifiers/o:header", NS
    )
    assert [h.get("status") for h in headers] == [None, "deleted", "deleted"]
    # Republished: a live record again, with a new datestamp.
    committed(services.resource_publish, resource=archived, actor=SYSTEM)
    again = oai(verb="GetRecord", identifier=PREFIX + archived.identifier, metadataPrefix="oai_dc")
    assert again.find("o:GetRecord/o:record/o:header", NS).get("status") is None
    assert again.find(".//o:datestamp", NS).text > "2026-01-02T03:04:05Z"


def test_a_draft_never_published_is_not_a_record(oai, make_resource, committed):
    draft = committed(make_resource, status=Resource.Status.DRAFT)
    missing = oai(verb="GetRecord", identifier=PREFIX + draft.identifier, metadataPrefix="oai_dc")
    assert _error(missing) == "idDoesNotExist"
    assert _error(oai(verb="ListIdentifiers", metadataPrefix="oai_dc")) == "noRecordsMatch"


# --- lists: resumption, from/until, sets ------------------------------------------------------


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_resumption_through_a_multi_page_list(oai, published, settings, verb):
    settings.OAI_PAGE_SIZE = 2
    resources = published(5)
    seen, cursors, tokens = [], [], []
    document = oai(verb=verb, metadataPrefix="oai_dc")
    while True:
        seen += _identifiers(document, verb)
        token = _token(document, verb)
        assert token.get("completeListSize") == "5"
        cursors.append(token.get("cursor"))
        tokens.append(token.text)
        if not token.text:
            break
        document = oai(verb=verb, resumptionToken=token.text)
        assert _request_attributes(document) == {"verb": verb, "resumptionToken": token.text}
    assert seen == [PREFIX + r.identifier for r in resources]
    assert cursors == ["0", "2", "4"]
    assert tokens[-1] is None
    assert all(tokens[:-1])
    # A list that fits in one page has no token at all.
    settings.OAI_PAGE_SIZE = 5
    assert _token(oai(verb=verb, metadataPrefix="oai_dc"), verb) is None


def test_resumption_keeps_the_arguments(oai, published, make_theme, committed, settings):
    settings.OAI_PAGE_SIZE = 1
    theme = committed(make_theme, "care-work")
    resources = published(4)
    for resource in resources[1:]:
        resource.themes.add(theme)
    for day, resource in enumerate(resources, start=1):
        _stamp(resource, dt.datetime(2025, 9, day, 12, 0, tzinfo=dt.UTC))
    arguments = {"from": "2025-09-02", "until": "2025-09-03", "set": "theme:care-work"}
    document = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", **arguments)
    assert _request_attributes(document) == {
        "verb": "ListIdentifiers",
        "metadataPrefix": "oai_dc",
        **arguments,
    }
    seen = _identifiers(document, "ListIdentifiers")
    token = _token(document, "ListIdentifiers")
    assert token.get("completeListSize") == "2"
    second = oai(verb="ListIdentifiers", resumptionToken=token.text)
    seen += _identifiers(second, "ListIdentifiers")
    assert seen == [PREFIX + r.identifier for r in resources[1:3]]
    assert _token(second, "ListIdentifiers").text is None


def test_from_and_until_select_by_datestamp(oai, published):
    resources = published(3)
    stamps = [
        dt.datetime(2025, 9, 1, 23, 59, 59, 900000, tzinfo=dt.UTC),
        dt.datetime(2025, 9, 2, 0, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2025, 9, 3, 10, 0, 0, 400000, tzinfo=dt.UTC),
    ]
    for resource, stamp in zip(resources, stamps, strict=True):
        _stamp(resource, stamp)
    ids = [PREFIX + r.identifier for r in resources]

    def listed(**arguments):
        document = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", **arguments)
        if document.find("o:error", NS) is not None:
            return _error(document)
        return _identifiers(document, "ListIdentifiers")

    assert listed(**{"from": "2025-09-02"}) == ids[1:]
    assert listed(until="2025-09-01") == ids[:1]  # the whole day, to its last second
    assert listed(until="2025-09-01T23:59:59Z") == ids[:1]  # the whole second
    assert listed(until="2025-09-01T23:59:58Z") == "noRecordsMatch"
    assert listed(**{"from": "2025-09-02T00:00:00Z", "until": "2025-09-03T10:00:00Z"}) == ids[1:]
    assert listed(**{"from": "2025-09-03T10:00:01Z"}) == "noRecordsMatch"
    assert listed(**{"from": "2025-09-01", "until": "2025-09-03"}) == ids
    assert listed(**{"from": "2025-09-04"}) == "noRecordsMatch"


def test_public_states_have_an_index_on_kind_and_time():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, PublicState._meta.db_table)
    assert ["kind", "updated_at"] in [c["columns"] for c in constraints.values() if c["index"]]


@pytest.mark.postgres
def test_reads_of_states_by_time_use_that_index(oai, published):
    resources = published(3)
    for day, resource in enumerate(resources, start=1):
        _stamp(resource, dt.datetime(2025, 9, day, 12, tzinfo=dt.UTC))
    with CaptureQueriesContext(connection) as queries:
        oai(verb="Identify")  # the earliest datestamp
        oai(verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2025-09-02"})
        oai(verb="ListRecords", metadataPrefix="oai_dc", until="2025-09-02")
    by_time = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and '"s4c_publicstate"."updated_at"' in q["sql"]
    ]
    assert len(by_time) == 3, by_time
    with connection.cursor() as cursor:
        # A table this small would be read whole: forbid that, to see what the planner can use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plans = []
        for sql in by_time:
            cursor.execute(f"EXPLAIN {sql}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
        # The states the API's `updated_since` selects (a subquery of the resources' query).
        since = dt.datetime(2025, 9, 2, tzinfo=dt.UTC)
        plans.append(
            PublicState.objects.filter(kind="resource", updated_at__gte=since)
            .values("object_id")
            .explain()
        )
    for plan in plans:
        assert "public_state_kind_updated" in plan, plan


def test_sets_select_by_theme_and_type(oai, published, make_theme, committed):
    theme = committed(make_theme, "care-work")
    policy, other = published(2)
    policy.themes.add(theme)
    Resource.objects.filter(pk=other.pk).update(resource_type=Resource.Type.VIDEO)

    def listed(spec):
        document = oai(verb="ListRecords", metadataPrefix="oai_dc", set=spec)
        if document.find("o:error", NS) is not None:
            return _error(document)
        return _identifiers(document, "ListRecords")

    assert listed("theme:care-work") == [PREFIX + policy.identifier]
    assert listed("type:video") == [PREFIX + other.identifier]
    assert listed("type:publication") == [PREFIX + policy.identifier]
    assert listed("theme:no-such-theme") == "noRecordsMatch"
    assert listed("colour:blue") == "badArgument"


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("", "badVerb"),
        ("verb=Delete", "badVerb"),
        ("verb=Identify&verb=Identify", "badVerb"),
        ("verb=Identify&metadataPrefix=oai_dc", "badArgument"),
        ("verb=ListRecords", "badArgument"),
        ("verb=GetRecord&metadataPrefix=oai_dc", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2025-09-01&from=2025-09-02", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=yesterday", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2025-02-30", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2025-09-01T10:00:00", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&until=2025-09-01T10:00:00.5Z", "badArgument"),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2025-09-01&until=2025-09-02T00:00:00Z",
            "badArgument",
        ),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2025-09-02&until=2025-09-01", "badArgument"),
        ("verb=ListRecords&metadataPrefix=bad%20prefix", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&set=no%20set", "badArgument"),
        # Empty values are not arguments left out: `<request from="">` is not valid OAI-PMH.
        ("verb=ListRecords&metadataPrefix=oai_dc&set=", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=", "badArgument"),
        ("verb=ListIdentifiers&metadataPrefix=oai_dc&until=", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=&until=2025-09-01", "badArgument"),
        ("verb=ListRecords&metadataPrefix=marc21&until=", "badArgument"),
        ("verb=ListRecords&resumptionToken=abc&metadataPrefix=oai_dc", "badArgument"),
        ("verb=ListIdentifiers&metadataPrefix=oai_dc&identifier=x", "badArgument"),
        ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:%25%25", "badArgument"),
        ("verb=GetRecord&metadataPrefix=oai_dc&identifier=%23a%23b", "badArgument"),
        ("verb=ListMetadataFormats&identifier=%5B::%5D", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=%01", "badArgument"),
        ("verb=ListRecords&resumptionToken=%1F", "badArgument"),
        ("verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
        (
            "verb=GetRecord&metadataPrefix=marc21&identifier=oai:localhost:x",
            "cannotDisseminateFormat",
        ),
        ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:nothing", "idDoesNotExist"),
        ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere.org:x", "idDoesNotExist"),
        ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:a%20b", "idDoesNotExist"),
        ("verb=ListRecords&metadataPrefix=oai_dc", "noRecordsMatch"),
        ("verb=ListRecords&resumptionToken=made-up", "badResumptionToken"),
    ],
)
def test_protocol_errors(oai, db, query, code):
    document = oai(query)
    assert _error(document) == code
    assert document.find("o:error", NS).text  # a human-readable explanation
    if code in {"badVerb", "badArgument"}:
        assert _request_attributes(document) == {}  # the protocol: no arguments echoed
    else:
        assert _request_attributes(document)["verb"]


def test_a_tampered_or_foreign_token_is_refused(oai, published, settings):
    settings.OAI_PAGE_SIZE = 1
    published(2)
    token = _token(oai(verb="ListRecords", metadataPrefix="oai_dc"), "ListRecords").text
    assert _error(oai(verb="ListRecords", resumptionToken=token[:-2])) == "badResumptionToken"
    assert _error(oai(verb="ListIdentifiers", resumptionToken=token)) == "badResumptionToken"
    assert oai(verb="ListRecords", resumptionToken=token).find("o:ListRecords", NS) is not None


def test_post_form_arguments_need_no_csrf_token(schema, published):
    (resource,) = published()
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/oai/",
        f"verb=GetRecord&metadataPrefix=oai_dc&identifier={PREFIX}{resource.identifier}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    document = etree.fromstring(response.content, _parser())
    schema.assertValid(document)
    assert _identifiers(document, "GetRecord") == [PREFIX + resource.identifier]
    assert client.put("/oai/").status_code == 405


# --- queries -----------------------------------------------------------------------------------


def _queries(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/oai/", params)
    assert response.status_code == 200
    assert b"<error" not in response.content
    return len(queries), response


@pytest.mark.parametrize(("verb", "expected"), [("ListIdentifiers", 4), ("ListRecords", 7)])
def test_a_page_costs_the_same_queries_whatever_its_size(
    client, published, make_theme, committed, settings, verb, expected
):
    theme = committed(make_theme)
    region = committed(Region.objects.create, code="arab-states", name_en="Arab States")
    organisation = committed(
        Organisation.objects.create, slug="ilo", name_en="ILO", kind="un_agency"
    )
    resources = published(7, publisher=organisation, countries=["QA", "EG"], languages=["en", "ar"])
    for resource in resources:
        resource.themes.add(theme)
        resource.regions.add(region)
    settings.OAI_PAGE_SIZE = 1
    one, _ = _queries(client, verb=verb, metadataPrefix="oai_dc")
    settings.OAI_PAGE_SIZE = 3
    three, response = _queries(client, verb=verb, metadataPrefix="oai_dc")
    token = etree.fromstring(response.content).find(f"o:{verb}/o:resumptionToken", NS).text
    following, _ = _queries(client, verb=verb, resumptionToken=token)
    settings.OAI_PAGE_SIZE = 100
    everything, _ = _queries(client, verb=verb, metadataPrefix="oai_dc")
    assert one == three == following == expected
    assert everything == expected - 1  # a list in one page counts nothing


def test_error_messages_speak_the_harvesters_language(client, db):
    response = client.get("/oai/", {"verb": "Delete"}, headers={"accept-language": "ar"})
    error = etree.fromstring(response.content).find("o:error", NS)
    assert (error.get("code"), error.text) == ("badVerb", "هذا ليس فعلًا من أفعال OAI-PMH.")


_NAMES = ["verb", "identifier", "metadataPrefix", "from", "until", "set", "resumptionToken", "x"]
_VALUES = st.one_of(
    st.sampled_from(
        [*VERBS_UNDER_TEST, "oai_dc", "2025-09-01", "2025-09-01T00:00:00Z", "theme:care-work"]
    ),
    st.text(max_size=12),
)


@given(arguments=st.lists(st.tuples(st.sampled_from(_NAMES), _VALUES), max_size=5))
@hypothesis_settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_any_arguments_get_a_valid_answer(schema, published, arguments):
    if not PublicState.objects.exists():
        published(2)
    with_db = Client()
    query = "&".join(f"{quote(name)}={quote(value)}" for name, value in arguments)
    response = with_db.get(f"/oai/?{query}")
    assert response.status_code == 200
    schema.assertValid(etree.fromstring(response.content, _parser()))
