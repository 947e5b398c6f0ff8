import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.permissions import SYSTEM
from hub import services as hub_services
from hub.models import Resource
from learning.models import Application, Commitment

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(load_content):
    load_content()


COLLECTIONS = [
    "resources",
    "themes",
    "organisations",
    "regions",
    "cohorts",
    "sessions",
    "speakers",
    "commitments",
    "plans",
    "deliverables",
]


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_every_collection_answers_in_both_modes(client, content, collection):
    bilingual = client.get(f"/api/v1/{collection}/")
    assert bilingual.status_code == 200
    arabic = client.get(f"/api/v1/{collection}/", {"lang": "ar"})
    assert arabic.status_code == 200
    assert arabic["Content-Language"] == "ar"
    for item in bilingual.json()["results"]:
        assert {"id", "url", "created_at", "updated_at"} <= set(item)
        detail = client.get(item["url"].replace("http://testserver", ""))
        assert detail.status_code == 200, item["url"]


def test_bilingual_representation_and_lang_mode(client, content):
    data = client.get("/api/v1/resources/south-4-care-launch-2025/").json()
    assert data["title"]["en"].startswith("ILO opens South-4-Care")
    assert data["title"]["ar"].startswith("الجلسة الافتتاحية")
    assert data["html_url"] == {
        "en": "http://localhost:8000/en/hub/south-4-care-launch-2025/",
        "ar": "http://localhost:8000/ar/hub/south-4-care-launch-2025/",
    }
    assert data["updated_at"].endswith("Z")
    arabic = client.get("/api/v1/resources/south-4-care-launch-2025/", {"lang": "ar"}).json()
    assert arabic["title"].startswith("الجلسة الافتتاحية")
    assert arabic["fallbacks"] == []


def test_each_document_language_has_its_own_copy_or_none(client, content):
    documents = client.get("/api/v1/resources/r193-promotion-of-cooperatives/").json()["documents"]
    assert documents == [
        {
            "language": "ar",
            "format": "pdf",
            "url": "https://www.ilo.org/wcmsp5/groups/public/---ed_norm/---normes/documents/normativeinstrument/wcms_r193_ar.pdf",
        },
        {"language": "en", "format": None, "url": None},
        {"language": "es", "format": None, "url": None},
        {"language": "fr", "format": None, "url": None},
    ]
    listed = client.get("/api/v1/resources/", {"page_size": 100}).json()["results"]
    assert next(r for r in listed if r["id"] == "r193-promotion-of-cooperatives")["documents"] == (
        documents
    )


def test_missing_translation_is_null_and_falls_back_in_lang_mode(client, make_resource_factory):
    resource = make_resource_factory()
    data = client.get(f"/api/v1/resources/{resource.identifier}/").json()
    assert data["title"] == {"en": "English only title", "ar": None}
    arabic = client.get(f"/api/v1/resources/{resource.identifier}/", {"lang": "ar"}).json()
    assert arabic["title"] == "English only title"
    assert "title" in arabic["fallbacks"]


@pytest.fixture
def make_resource_factory(db):
    def make():
        resource = Resource(
            title_en="English only title", resource_type="publication", publication_year=2024
        )
        hub_services.resource_save(resource=resource, actor=SYSTEM, languages=["en"])
        hub_services.resource_publish(resource=resource, actor=SYSTEM)
        return resource

    return make


def test_money_is_a_decimal_string_with_currency(client, content):
    plan = client.get("/api/v1/plans/sse-2023-2029/").json()
    assert plan["total"] == {"amount": "37500000.00", "currency": "USD"}
    assert [o["budget"]["current"] for o in plan["objectives"]] == [
        {"amount": "15600000.00", "currency": "USD"},
        {"amount": "17200000.00", "currency": "USD"},
        {"amount": "4700000.00", "currency": "USD"},
    ]
    assert (
        sum(len(outcome["deliverables"]) for o in plan["objectives"] for outcome in o["outcomes"])
        == 17
    )


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"lang": "fr"}, "lang"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "201"}, "page_size"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"type": "novel"}, "type"),
        ({"cursor": "not-a-cursor!"}, "cursor"),
        ({"colour": "blue"}, "colour"),
        ({"year": "twenty"}, "year"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(client, content, params, parameter):
    response = client.get("/api/v1/resources/", params)
    assert response.status_code == 400
    assert parameter in response.json()


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        # An object takes only `lang` and `format`: a list's parameters are not ignored there.
        ("/api/v1/resources/south-4-care-launch-2025/", {"page_size": "0"}, "page_size"),
        ("/api/v1/resources/south-4-care-launch-2025/", {"cursor": "zzz"}, "cursor"),
        ("/api/v1/resources/south-4-care-launch-2025/", {"q": "x"}, "q"),
        ("/api/v1/themes/care-economy/", {"ordering": "created_at"}, "ordering"),
        ("/api/v1/resources/south-4-care-launch-2025/", {"lang": ""}, "lang"),
        # The root and the feed follow the same rule.
        ("/api/v1/", {"foo": "1"}, "foo"),
        ("/api/v1/", {"format": ""}, "format"),
        ("/api/v1/changes/", {"foo": "1"}, "foo"),
        # A format no renderer gives is a 400 naming `format`, not a 404 "Not found.".
        ("/api/v1/", {"format": "xml"}, "format"),
        ("/api/v1/resources/", {"format": "xml"}, "format"),
        ("/api/v1/resources/south-4-care-launch-2025/", {"format": "xml"}, "format"),
        ("/api/v1/changes/", {"format": "xml"}, "format"),
    ],
)
def test_items_the_root_and_the_feed_refuse_parameters_they_do_not_take(
    client, content, path, params, parameter
):
    response = client.get(path, params)
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_an_unknown_format_is_named_in_the_clients_language(client, content):
    response = client.get("/api/v1/", {"format": "xml"}, headers={"accept-language": "ar"})
    assert response.status_code == 400
    assert response.json() == {"format": ["الصيغة «xml» غير معروفة: استخدم إحدى القيم json."]}


def test_items_the_root_and_the_feed_take_their_own_parameters(client, content):
    item = "/api/v1/resources/south-4-care-launch-2025/"
    assert client.get(item, {"lang": "ar", "format": "json"}).status_code == 200
    assert client.get("/api/v1/", {"format": "json"}).status_code == 200
    assert client.get("/api/v1/changes/", {"since": "0", "format": "json"}).status_code == 200


def test_unknown_ids_404_and_writes_405(client, content):
    assert client.get("/api/v1/resources/no-such-thing/").status_code == 404
    assert client.post("/api/v1/resources/", {}, content_type="application/json").status_code == 405
    assert client.delete("/api/v1/resources/south-4-care-launch-2025/").status_code == 405


def test_filters(client, content):
    def ids(params):
        return {r["id"] for r in client.get("/api/v1/resources/", params).json()["results"]}

    assert ids({"type": "news"}) == {"south-4-care-launch-2025"}
    assert ids({"country": ["QA", "BR"]}) == {"south-4-care-launch-2025"}
    assert ids({"country": "QA"}) == {"south-4-care-launch-2025"}
    assert ids({"q": "الرعايه", "year": "2025"}) == {"south-4-care-launch-2025"}
    assert "r193-promotion-of-cooperatives" in ids(
        {"theme": "social-solidarity-economy", "document_language": "ar"}
    )
    deliverables = client.get("/api/v1/deliverables/", {"conclusion": "16(i)"}).json()["results"]
    assert len(deliverables) == 3


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_list_pages_use_a_constant_number_of_queries(client, content, collection):
    def count(page_size):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/{collection}/", {"page_size": page_size}).status_code == 200
        return len(queries)

    assert count(1) == count(200)


def test_conditional_requests(client, content):
    time.sleep(1)  # Last-Modified is sent once the second of the last change is over
    first = client.get("/api/v1/resources/south-4-care-launch-2025/")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert (
        client.get(
            "/api/v1/resources/south-4-care-launch-2025/", headers={"if-none-match": etag}
        ).status_code
        == 304
    )
    assert (
        client.get(
            "/api/v1/resources/south-4-care-launch-2025/",
            headers={"if-modified-since": last_modified},
        ).status_code
        == 304
    )
    listing = client.get("/api/v1/resources/")
    assert (
        client.get("/api/v1/resources/", headers={"if-none-match": listing["ETag"]}).status_code
        == 304
    )


@pytest.mark.parametrize(
    "path", ["/api/v1/", "/api/v1/changes/", "/api/v1/schema/", "/api/v1/docs/"]
)
def test_if_none_match_star_is_a_304_where_there_is_no_etag(client, content, path):
    # RFC 9110 13.1.2: `*` matches any current representation, ETag or none.
    assert client.get(path).status_code == 200
    for value in ("*", '"other", *'):
        for method in (client.get, client.head):
            response = method(path, headers={"If-None-Match": value})
            assert response.status_code == 304, (method, value)
            assert response.content == b""
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    if path in ("/api/v1/", "/api/v1/changes/"):  # not for a request that is wrong
        assert client.get(f"{path}?foo=1", headers={"If-None-Match": "*"}).status_code == 400


def test_if_none_match_star_is_not_a_304_outside_the_api_nor_for_errors(client, content):
    assert client.get("/api/v1/nothing/", headers={"If-None-Match": "*"}).status_code == 404
    assert client.get("/en/", headers={"If-None-Match": "*"}).status_code == 200


def test_no_personal_data_ever(client, content):
    cohort = Application._meta.get_field("cohort").related_model.objects.get(
        slug="learning-hub-2025"
    )
    owner = Application.objects.create(
        cohort=cohort,
        name="Private Person",
        email="private.person@example.org",
        country="JO",
        organisation="Ministry",
        constituency="government",
        working_languages="ar",
        motivation="x" * 60,
    )
    Commitment.objects.create(
        cohort=cohort,
        owner=owner,
        country="JO",
        text_en="Public commitment",
        lever="reward",
        consent_to_publish=True,
        published=True,
    )
    for collection in COLLECTIONS:
        body = client.get(f"/api/v1/{collection}/", {"page_size": 200}).content.decode()
        assert "private.person" not in body
        assert "Private Person" not in body
        assert "owner" not in body


def test_change_feed_replay_reconstructs_the_public_data_set(
    client, content, reviewer_user, django_capture_on_commit_callbacks
):
    # Changes after the initial load: an edit, an unpublication, a save that changes nothing public.
    untouched = Resource.objects.get(identifier="r193-promotion-of-cooperatives")
    before = client.get(f"/api/v1/resources/{untouched.identifier}/")
    with django_capture_on_commit_callbacks(execute=True):
        edited = Resource.objects.get(identifier="r204-informal-to-formal-economy")
        edited.title_en = "Transition from the Informal to the Formal Economy Recommendation, 2015 (No. 204) — revised"
        hub_services.resource_save(resource=edited, actor=reviewer_user)
        hub_services.resource_archive(
            resource=Resource.objects.get(identifier="r205-peace-and-resilience"),
            actor=reviewer_user,
        )
        hub_services.resource_save(resource=untouched, actor=reviewer_user)
    after = client.get(f"/api/v1/resources/{untouched.identifier}/")
    assert before["ETag"] == after["ETag"]
    assert before.json()["updated_at"] == after.json()["updated_at"]

    mirror, cursor = {}, "0"
    while True:
        page = client.get("/api/v1/changes/", {"since": cursor}).json()
        for change in page["results"]:
            key = (change["type"], change["id"])
            if change["action"] == "delete":
                mirror.pop(key, None)
            else:
                path = {
                    "resource": "resources",
                    "theme": "themes",
                    "organisation": "organisations",
                    "region": "regions",
                    "cohort": "cohorts",
                    "session": "sessions",
                    "speaker": "speakers",
                    "commitment": "commitments",
                    "plan": "plans",
                    "deliverable": "deliverables",
                }[change["type"]]
                mirror[key] = client.get(f"/api/v1/{path}/{change['id']}/").json()
        if not page["results"]:
            assert (
                page["next"] == cursor
            )  # never null; resuming returns nothing until something changes
            break
        cursor = page["next"]

    public_resources = {
        r["id"]: r for r in client.get("/api/v1/resources/", {"page_size": 200}).json()["results"]
    }
    mirrored = {k[1]: v for k, v in mirror.items() if k[0] == "resource"}
    assert set(mirrored) == set(public_resources)
    assert mirrored == {k: client.get(f"/api/v1/resources/{k}/").json() for k in public_resources}
    assert "r205-peace-and-resilience" not in mirrored
    assert mirrored["r204-informal-to-formal-economy"]["title"]["en"].endswith("— revised")
    assert client.get("/api/v1/resources/r205-peace-and-resilience/").status_code == 410


@pytest.fixture
def reviewer_user(db):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("rev", "rev@example.org", "a-long-password-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewer"))
    return User.objects.get(pk=user.pk)


def test_schema_json_by_default_and_yaml_on_request(client):
    assert client.get("/api/v1/schema/")["Content-Type"].startswith(
        "application/vnd.oai.openapi+json"
    )
    assert client.get("/api/v1/schema/", {"format": "yaml"}).content.startswith(b"openapi:")
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"<script>" not in docs.content


def test_errors_speak_the_clients_language(client):
    response = client.get("/api/v1/resources/", {"lang": "fr"}, headers={"accept-language": "ar"})
    assert response.status_code == 400
    assert response.json() == {"lang": ["اللغة «fr» غير معروفة: استخدم إحدى القيم en, ar."]}


def test_anonymous_clients_are_throttled_with_retry_after(client, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    previous = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"}
    try:
        statuses = [client.get("/api/v1/themes/").status_code for _ in range(4)]
        limited = client.get("/api/v1/themes/")
    finally:
        AnonRateThrottle.THROTTLE_RATES = previous
    assert statuses == [200, 200, 200, 429]
    assert int(limited["Retry-After"]) > 0


def test_cors_only_for_configured_origins(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.ilo.org"]
    allowed = client.get("/api/v1/themes/", headers={"origin": "https://www.ilo.org"})
    refused = client.get("/api/v1/themes/", headers={"origin": "https://evil.example"})
    assert allowed["Access-Control-Allow-Origin"] == "https://www.ilo.org"
    assert "Access-Control-Allow-Origin" not in refused


# --- ?ordering= -----------------------------------------------------------------------------


@pytest.fixture
def dated(make_resource_factory):
    """Five resources whose creation order is not their id order (restored, imported…), two of
    them created in the same instant."""
    import datetime as dt

    days = [3, 1, 4, 1, 5]
    made = []
    for day in days:
        resource = make_resource_factory()
        created = dt.datetime(2025, 1, day, 12, tzinfo=dt.UTC)
        Resource.objects.filter(pk=resource.pk).update(created_at=created)
        made.append((created, resource.pk, resource.identifier))
    return made


def _walk(client, params, *, page_size=2):
    """Every page of the list, following `next`, as ids."""
    seen, url, query = [], "/api/v1/resources/", {**params, "page_size": page_size}
    while url:
        response = client.get(url, query)
        assert response.status_code == 200, response.json()
        page = response.json()
        seen += [item["id"] for item in page["results"]]
        url, query = page["next"], None
    return seen


def _expected(dated, ordering):
    expected = [identifier for _created, _pk, identifier in sorted(dated)]
    return expected[::-1] if ordering.startswith("-") else expected


@pytest.mark.parametrize("page_size", [1, 2, 3])
@pytest.mark.parametrize("ordering", ["created_at", "-created_at"])
def test_ordering_orders_every_cursor_page(client, dated, ordering, page_size):
    # The two resources created in the same instant fall on both sides of a page boundary for
    # some of these sizes: the cursor's offset keeps every row exactly once.
    assert _walk(client, {"ordering": ordering}, page_size=page_size) == _expected(dated, ordering)


@pytest.mark.parametrize("ordering", ["created_at", "-created_at"])
def test_previous_pages_come_back_in_the_same_order(client, dated, ordering):
    # Backwards, DRF's cursor needs distinct values at a page boundary ("nearly unique"
    # orderings): make the two resources of the same instant a second apart.
    created, pk, identifier = dated[3]
    Resource.objects.filter(pk=pk).update(created_at=created.replace(second=1))
    dated[3] = (created.replace(second=1), pk, identifier)
    page = client.get("/api/v1/resources/", {"ordering": ordering, "page_size": 2}).json()
    while page["next"]:
        page = client.get(page["next"]).json()
    seen = [item["id"] for item in page["results"]]
    while page["previous"]:
        page = client.get(page["previous"]).json()
        seen = [item["id"] for item in page["results"]] + seen
    assert seen == _expected(dated, ordering)


def test_without_ordering_the_newest_added_come_first(client, dated):
    newest_first = [identifier for _created, _pk, identifier in sorted(dated, key=lambda d: -d[1])]
    assert _walk(client, {}) == newest_first
    # An empty value is a 400, as for every parameter but free text (test_contract.py).
    assert client.get("/api/v1/resources/", {"ordering": ""}).status_code == 400


@pytest.mark.parametrize(
    ("params", "language", "message"),
    [
        (
            {"ordering": "title"},
            "en",
            "Unknown ordering “title”: use one of created_at, -created_at, relevance.",
        ),
        (
            {"ordering": ["created_at", "-created_at"]},
            "en",
            "Unknown ordering “created_at,-created_at”: use one of created_at, -created_at, relevance.",
        ),
        (
            {"ordering": "-pk"},
            "ar",
            "الترتيب «-pk» غير معروف: استخدم إحدى القيم created_at, -created_at, relevance.",
        ),
    ],
)
def test_an_ordering_not_offered_is_a_400_in_the_users_language(
    client, dated, params, language, message
):
    response = client.get("/api/v1/resources/", params, headers={"accept-language": language})
    assert response.status_code == 400
    assert response.json() == {"ordering": [message]}


def test_collections_without_orderings_do_not_take_the_parameter(client, content):
    response = client.get("/api/v1/themes/", {"ordering": "created_at"})
    assert response.status_code == 400
    assert response.json() == {"ordering": ["Unknown parameter “ordering”."]}


def test_a_cursor_of_another_order_is_a_400_not_a_500(client, dated):
    by_date = client.get("/api/v1/resources/", {"ordering": "created_at", "page_size": 2}).json()
    cursor = by_date["next"].split("cursor=")[1].split("&")[0]
    response = client.get("/api/v1/resources/", {"cursor": cursor})  # an id order: not a date
    assert response.status_code == 400
    assert "cursor" in response.json()
    import base64

    for position in ("2025-01-01", "9999-12-31 23:59:59-23:00", "1; DROP"):
        made = base64.b64encode(f"p={position}".encode()).decode()
        response = client.get("/api/v1/resources/", {"ordering": "created_at", "cursor": made})
        assert response.status_code == 400, position
        assert "cursor" in response.json(), position


def test_the_schema_lists_the_orderings_each_collection_offers(client, db):
    paths = client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]

    def parameter(path, name):
        found = [p for p in paths[path]["get"]["parameters"] if p["name"] == name]
        return found[0] if found else None

    assert parameter("/api/v1/resources/", "ordering")["schema"] == {
        "type": "string",
        "enum": ["created_at", "-created_at", "relevance"],
    }
    assert parameter("/api/v1/themes/", "ordering") is None
