"""The API's contract with partners (issue 13): every object has its page, parameters naming an
object are checked, one rule for empty parameters, the root lists everything, conditional requests
follow RFC 9110, the change feed refuses a cursor beyond its head."""

import re
import time

import pytest
from django.utils.http import http_date, parse_http_date

from core.api.base import CURSOR_SCHEMA
from core.permissions import SYSTEM
from hub import services as hub_services
from hub.models import Resource

pytestmark = pytest.mark.django_db

SITE = "http://localhost:8000"


@pytest.fixture
def content(load_content):
    load_content()


@pytest.mark.parametrize(
    ("collection", "item", "page"),
    [
        ("themes", "care-economy", "/hub/?theme=care-economy"),
        ("regions", "arab-states", "/hub/?region=arab-states"),
        ("organisations", "ilo", "/hub/organisations/ilo/"),
        ("speakers", "anita-amorim", "/learning/speakers/#speaker-anita-amorim"),
        ("cohorts", "learning-hub-2025", "/learning/learning-hub-2025/"),
        ("plans", "sse-2023-2029", "/action-plan/sse-2023-2029/"),
    ],
)
def test_every_object_has_the_page_where_a_person_sees_it(client, content, collection, item, page):
    data = client.get(f"/api/v1/{collection}/{item}/").json()
    assert data["html_url"] == {code: f"{SITE}/{code}{page}" for code in ("en", "ar")}
    listed = client.get(f"/api/v1/{collection}/", {"page_size": 200}).json()["results"]
    assert next(i for i in listed if i["id"] == item)["html_url"] == data["html_url"]
    for code in ("en", "ar"):
        path, _, fragment = data["html_url"][code].removeprefix(SITE).partition("#")
        html = client.get(path)
        assert html.status_code == 200, path
        if fragment:
            assert f'id="{fragment}"' in html.content.decode()


def test_deliverables_sessions_and_commitments_link_to_their_entry(client, content):
    for collection in ("deliverables", "sessions", "commitments"):
        for item in client.get(f"/api/v1/{collection}/").json()["results"]:
            path, _, fragment = item["html_url"]["ar"].removeprefix(SITE).partition("#")
            html = client.get(path)
            assert html.status_code == 200, path
            assert not fragment or f'id="{fragment}"' in html.content.decode(), item["html_url"]


def test_the_organisation_page_lists_what_it_published(client, content):
    html = client.get("/ar/hub/organisations/ilo/").content.decode()
    assert "منظمة العمل الدولية" in html
    assert "/ar/hub/south-4-care-launch-2025/" in html
    assert client.get("/en/hub/organisations/no-such-org/").status_code == 404


@pytest.mark.parametrize(
    ("path", "parameter", "value"),
    [
        ("sessions", "cohort", "no-such-cohort"),
        ("commitments", "cohort", "no-such-cohort"),
        ("commitments", "country", "XX"),
        ("resources", "region", "atlantis"),
        ("resources", "theme", "no-such-theme"),
        ("deliverables", "plan", "no-such-plan"),
        ("deliverables", "outcome", "9.9"),
        ("deliverables", "conclusion", "99(z)"),
        ("deliverables", "pb_outcome", "Z.9"),
    ],
)
def test_a_parameter_naming_no_object_is_a_400_in_the_users_language(
    client, content, path, parameter, value
):
    english = client.get(f"/api/v1/{path}/", {parameter: value})
    assert english.status_code == 400
    assert list(english.json()) == [parameter]
    arabic = client.get(f"/api/v1/{path}/", {parameter: value}, headers={"accept-language": "ar"})
    assert arabic.status_code == 400
    message = arabic.json()[parameter][0]
    assert value in message, message
    assert not any("a" <= c <= "z" for c in message.replace(value, "").replace(parameter, "")), (
        message
    )


def test_known_references_still_filter(client, content):
    sessions = client.get("/api/v1/sessions/", {"cohort": "learning-hub-2025"}).json()["results"]
    assert sessions
    assert {s["cohort"] for s in sessions} == {"learning-hub-2025"}
    outcome = client.get("/api/v1/deliverables/", {"outcome": "1.2"}).json()["results"]
    assert len(outcome) == 4  # DOMAIN.md: four deliverables under outcome 1.2
    arab = client.get("/api/v1/resources/", {"region": "arab-states"})
    assert arab.status_code == 200


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("resources", "type"),
        ("resources", "region"),
        ("resources", "theme"),
        ("resources", "ordering"),
        ("resources", "cursor"),
        ("resources", "page_size"),
        ("resources", "lang"),
        ("sessions", "cohort"),
        ("deliverables", "plan"),
        ("changes", "since"),
    ],
)
def test_an_empty_parameter_is_a_400_except_free_text(client, content, path, parameter):
    response = client.get(f"/api/v1/{path}/", {parameter: ""})
    assert response.status_code == 400
    assert parameter in response.json()


def test_empty_free_text_is_no_filter(client, content):
    assert client.get("/api/v1/resources/", {"q": ""}).json() == (
        client.get("/api/v1/resources/").json()
    )


def test_the_schema_marks_every_parameter_as_the_api_checks_it(client, db):
    paths = client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    for path, operations in paths.items():
        operation = operations["get"]
        # The 401 of a wrong or revoked key, for every operation.
        assert "401" in operation["responses"], path
        for parameter in operation.get("parameters", []):
            schema = parameter["schema"]
            if parameter["in"] != "query" or schema.get("type") != "string":
                continue
            if parameter["name"] == "q":
                assert schema == {"type": "string", "pattern": "^[^\\u0000]*$"}
            else:
                # An empty value is refused: by its length, its values, or its pattern (alone:
                # a minLength beside it, schemathesis folds into some patterns wrongly).
                refuses_empty = (
                    schema.get("minLength") == 1
                    or "enum" in schema
                    or re.search(schema.get("pattern", ""), "") is None
                )
                assert refuses_empty, (path, parameter)
                assert not ("pattern" in schema and "minLength" in schema), (path, parameter)
    sessions = {p["name"]: p["schema"] for p in paths["/api/v1/sessions/"]["get"]["parameters"]}
    assert sessions["cursor"] == CURSOR_SCHEMA  # the base64 DRF writes, opaque
    assert sessions["cohort"] == {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}
    assert sessions["date"] == {"type": "string", "format": "date", "minLength": 1}


def test_the_root_lists_the_collections_the_change_feed_the_schema_and_the_docs(
    client, db, settings
):
    root = client.get("/api/v1/").json()
    assert {"changes", "schema", "docs", "resources", "deliverables"} <= set(root)
    for name, url in root.items():
        # On the configured site (core.links), not the test client's Host ("testserver").
        assert url.startswith(f"{settings.SITE_URL}/api/v1/"), name
        assert client.get(url.removeprefix(settings.SITE_URL)).status_code == 200, name


@pytest.mark.parametrize("method", ["TRACE", "POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize(
    "path", ["/api/v1/themes/", "/api/v1/themes/care-economy/", "/api/v1/changes/"]
)
def test_a_method_the_api_does_not_offer_is_a_405_whatever_the_query(client, content, method, path):
    for query in ("", "?a=%00b", "?lang=fr&colour=blue"):
        response = client.generic(method, f"{path}{query}")
        assert response.status_code == 405, (method, query)


def test_a_nul_in_a_get_is_still_a_400(client, db):
    assert client.get("/api/v1/themes/?q=a%00b").status_code == 400
    assert client.get("/en/hub/?q=a%00b").status_code == 400


def test_a_wrong_key_is_a_documented_401(client, db):
    response = client.get("/api/v1/themes/", headers={"x-api-key": "s4c_wrong"})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_api_key"


# --- conditional requests (RFC 9110, 13.1) ----------------------------------------------------


def test_weak_and_star_if_none_match_are_honoured(client, content):
    url = "/api/v1/resources/south-4-care-launch-2025/"
    etag = client.get(url)["ETag"]
    assert etag.startswith('"')
    for header in (etag, f"W/{etag}", f'"other", W/{etag}', "*"):
        assert client.get(url, headers={"if-none-match": header}).status_code == 304, header
    assert client.get(url, headers={"if-none-match": 'W/"other"'}).status_code == 200
    listing = client.get("/api/v1/themes/")["ETag"]
    assert (
        client.get("/api/v1/themes/", headers={"if-none-match": f"W/{listing}"}).status_code == 304
    )
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    assert (
        client.get(
            url,
            headers={"if-none-match": '"other"', "if-modified-since": http_date(time.time() + 60)},
        ).status_code
        == 200
    )


@pytest.fixture
def edit(django_capture_on_commit_callbacks):
    def edit(resource, title):
        # As in production: what follows a change (its public date) is recorded on commit.
        with django_capture_on_commit_callbacks(execute=True):
            resource.title_en = title
            hub_services.resource_save(resource=resource, actor=SYSTEM)

    return edit


def test_if_modified_since_alone_never_gives_a_stale_304(client, content, edit):
    resource = Resource.objects.published().get(identifier="south-4-care-launch-2025")
    url = f"/api/v1/resources/{resource.identifier}/"
    validated = 0
    for trial in range(5):
        edit(resource, f"First edit {trial}")
        first = client.get(url)
        edit(resource, f"Second edit {trial}")  # most often within the same second
        since = first.get("Last-Modified")
        if since is None:
            continue  # the second of the change is not over: no date to revalidate with
        validated += 1
        again = client.get(url, headers={"if-modified-since": since})
        assert again.status_code == 200
        assert again.json()["title"]["en"] == f"Second edit {trial}"
    # Once the second is over, the date is given and a 304 is right.
    time.sleep(1.1)
    current = client.get(url)
    since = current["Last-Modified"]
    assert client.get(url, headers={"if-modified-since": since}).status_code == 304
    assert validated <= 5


def _list(client, **headers):
    return client.get("/api/v1/resources/", {"page_size": 5}, headers=headers)


def test_a_list_sends_last_modified_and_an_object_leaving_it_makes_it_later(
    client, content, django_capture_on_commit_callbacks
):
    time.sleep(1.1)  # the second of the last change (the content's loading) is over
    listing = _list(client)
    since = listing["Last-Modified"]
    assert listing["ETag"]
    assert _list(client, if_modified_since=since).status_code == 304
    # The object that leaves the list makes no date on it later: the list's date moves anyway.
    resource = Resource.objects.published().get(identifier=listing.json()["results"][0]["id"])
    time.sleep(1.01 - time.time() % 1)  # at the start of a second: the next steps fit in it
    before = time.time()
    with django_capture_on_commit_callbacks(execute=True):  # as its commit would: a new version
        hub_services.resource_archive(resource=resource, actor=SYSTEM)
    again = _list(client, if_modified_since=since)
    after = time.time()
    assert again.status_code == 200
    assert resource.identifier not in [item["id"] for item in again.json()["results"]]
    if int(after) == int(before):
        assert "Last-Modified" not in again  # the change's second is not over: no date yet
    else:  # a loaded machine let that second end: a date, then, and not one before the change
        assert parse_http_date(again["Last-Modified"]) >= int(before)
    assert _list(client, if_none_match=listing["ETag"]).status_code == 200
    time.sleep(1.1)
    later = _list(client)
    assert parse_http_date(later["Last-Modified"]) > parse_http_date(since)
    assert _list(client, if_modified_since=later["Last-Modified"]).status_code == 304


def test_a_list_is_never_older_than_the_last_public_change_the_cache_saw(client, content):
    # Another process's change: its rows' dates are taken before it commits, so a reader between
    # the two could have been given a later date. The content version moves after the commit.
    from core.caching import bump_content_version

    time.sleep(1.1)
    since = _list(client)["Last-Modified"]
    assert _list(client, if_modified_since=since).status_code == 304
    time.sleep(1.1)
    bump_content_version()
    assert _list(client, if_modified_since=since).status_code == 200


# --- the change feed -------------------------------------------------------------------------


def test_a_cursor_beyond_the_head_of_the_change_feed_is_a_400(client, content):
    head = client.get("/api/v1/changes/", {"since": "0"}).json()
    while head["results"]:
        head = client.get("/api/v1/changes/", {"since": head["next"]}).json()
    at_head = client.get("/api/v1/changes/", {"since": head["next"]})
    assert at_head.status_code == 200
    assert at_head.json() == {
        "results": [],
        "next": head["next"],
        "epoch": 1,
    }
    beyond = client.get(
        "/api/v1/changes/",
        {"since": str(int(head["next"]) + 1)},
        headers={"accept-language": "ar"},
    )
    assert beyond.status_code == 400
    assert beyond.json() == {"since": ["هذا المؤشر يتجاوز نهاية سجل التغييرات: ابدأ من 0."]}
