"""Schemathesis against every GET operation of /api/v1/, with the real content loaded.

Each operation gets a bounded number of generated requests (valid and invalid parameters alike)
through Django's WSGI application; every response must be no server error and conform to the
OpenAPI schema the API publishes (status code, content type, headers, body). Deterministic: the
same requests on every run.
"""

import io
import os
import traceback

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.throttling import AnonRateThrottle
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from werkzeug.test import Client

# Per operation and mode; `S4C_FUZZ_EXAMPLES=200` (and `S4C_FUZZ_PATHS=speakers`, a regular
# expression) for a deeper run by hand.
EXAMPLES = int(os.environ.get("S4C_FUZZ_EXAMPLES", "15"))
PATHS = os.environ.get("S4C_FUZZ_PATHS", "")

pytestmark = [pytest.mark.django_db, pytest.mark.timeout(max(300, 20 * EXAMPLES))]

# Parameters whose valid values are what the database holds, which no schema can enumerate.
REFERENCES = {"cursor", "theme", "region"}


@pytest.fixture
def api_schema(django_capture_on_commit_callbacks, monkeypatch, settings):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_south4care", stdout=io.StringIO())
    # The WSGI handler would close the test's connection (and its transaction) after each request,
    # as Django's own test client prevents.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    # Hundreds of requests a minute from one address: the anonymous throttle is tested elsewhere.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute"})
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application()).include(
            method="GET"
        )
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _run(operation, mode, path_parameters=None):
    """Hypothesis over one operation; returns the failure report, or None."""
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def check(case):
        # Some valid values depend on the data: a generated cursor is well-formed yet never a real
        # position, a generated theme or region slug names none; they answer 400 (test_api.py).
        # Every other check still applies to those requests.
        excluded = [positive_data_acceptance] if REFERENCES & set(case.query or {}) else []
        case.call_and_validate(excluded_checks=excluded)

    try:
        check()
    except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - every report, all at once
        # Flaky and grouped failures carry the cause inside: show the whole chain.
        return f"{operation.label} ({mode}):\n" + "".join(traceback.format_exception(error))[-6000:]
    return None


def test_every_get_operation_conforms_to_the_schema(api_schema):
    # The WSGI app itself (Django's test client would reconnect the connection closer).
    app = Client(api_schema.app)
    if PATHS:
        api_schema = api_schema.include(path_regex=PATHS)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= (1 if PATHS else 21)  # ten collections, their items, the feed
    failures = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures.append(_run(operation, mode))
        names = [
            p["name"] for p in operation.definition.raw.get("parameters", []) if p["in"] == "path"
        ]
        if names:
            # Real objects too: random identifiers only ever find 404s.
            collection = operation.path.rsplit("{", 1)[0]
            listed = app.get(collection, headers={"Host": "localhost"})
            for item in listed.json["results"][:1]:
                real = {names[0]: item["id"]}
                failures.append(_run(operation, GenerationMode.POSITIVE, path_parameters=real))
    failures = [f for f in failures if f]
    assert not failures, "\n\n".join(failures)


# --- what the fuzzing found, pinned down ------------------------------------------------------


def test_the_schema_documents_every_answer(client):
    paths = client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    detail = paths["/api/v1/resources/{identifier}/"]["get"]["responses"]
    assert sorted(detail) == ["200", "304", "400", "404", "410", "429"]
    listing = paths["/api/v1/resources/"]["get"]
    assert sorted(listing["responses"]) == ["200", "304", "400", "429"]
    parameters = {p["name"]: p["schema"] for p in listing["parameters"]}
    assert parameters["year"] == {"type": "integer", "minimum": 1900, "maximum": 2100}
    assert parameters["page_size"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 200,
        "default": 50,
    }
    assert parameters["q"] == {"type": "string", "pattern": "^[^\\u0000]*$"}
    feed = paths["/api/v1/changes/"]["get"]
    assert sorted(feed["responses"]) == ["200", "400", "409", "429"]
    assert feed["parameters"][0]["schema"] == {
        "type": "string",
        "pattern": "^([1-9][0-9]{0,8}-)?[0-9]{1,18}$",
    }


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        ({"type": ""}, 400, {"type": ["This parameter needs a value."]}),
        ({"year": "1800"}, 400, {"year": ["Ensure this value is greater than or equal to 1900."]}),
        ({"year": "2025.5"}, 400, {"year": ["Enter a whole number."]}),
        ({"ordering": ""}, 200, None),
        ({"q": "care"}, 200, None),
    ],
)
def test_typed_filters_are_strict(client, db, query, status, body):
    response = client.get("/api/v1/resources/", query)
    assert response.status_code == status
    if body is not None:
        assert response.json() == body


def test_a_url_no_api_route_matches_answers_json(client, db):
    response = client.get("/api/v1/sessions/1.5/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert client.get("/en/no-such-page/")["Content-Type"].startswith("text/html")
