"""Schemathesis, with every check it has, against every GET operation of /api/v1/, served by the
portal under gunicorn (DEBUG off, page and API caches on, tests/live_portal.py) with the real
content loaded in this test's database.

The command-line runner (`schemathesis run --checks all`, every phase: examples, coverage,
fuzzing, stateful) against the published OpenAPI schema: no server error, every status code,
content type, header and body as documented, valid requests accepted and invalid ones refused,
undeclared methods a 405, a wrong key a 401. Valid values that only the database knows (cursors,
slugs, the feed's cursor) come from schemathesis_hooks.py. Deterministic (a fixed seed).
`S4C_FUZZ_EXAMPLES=200` for a deeper run by hand.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from rest_framework.throttling import AnonRateThrottle

from core.permissions import SYSTEM
from learning import services as learning_services
from learning.models import Cohort, Commitment

EXAMPLES = int(os.environ.get("S4C_FUZZ_EXAMPLES", "15"))

pytestmark = [pytest.mark.timeout(max(600, 40 * EXAMPLES))]


def _real_values(client) -> dict:
    """What schemathesis_hooks.py substitutes: real cursors, slugs, codes and identifiers."""

    def results(path, **params):
        return client.get(path, {"page_size": 200, **params}).json()["results"]

    cursors, items = {}, {}
    for path in client.get("/api/v1/").json():
        if path in ("changes", "schema", "docs"):
            continue
        collection = f"/api/v1/{path}/"
        items[collection] = [item["id"] for item in results(collection)]
        for ordering in ("", "created_at", "-created_at"):
            params = {"page_size": 1, **({"ordering": ordering} if ordering else {})}
            answer = client.get(collection, params)
            if answer.status_code != 200 or not answer.json()["next"]:
                continue
            query = parse_qs(urlsplit(answer.json()["next"]).query)
            cursors[f"{collection}|{ordering}"] = query["cursor"][0]
    deliverables = results("/api/v1/deliverables/")
    feed = client.get("/api/v1/changes/").json()
    while feed["results"]:
        head, feed = feed["next"], client.get("/api/v1/changes/", {"since": feed["next"]}).json()
    return {
        "cursor": cursors,
        "since": int(head),
        "items": items,
        "values": {
            "cohort": items["/api/v1/cohorts/"],
            "plan": items["/api/v1/plans/"],
            "theme": items["/api/v1/themes/"],
            "region": items["/api/v1/regions/"],
            "outcome": sorted({d["outcome"] for d in deliverables}),
            "conclusion": sorted({c for d in deliverables for c in d["conclusions"]}),
            "pb_outcome": sorted({c for d in deliverables for c in d["pb_outcomes"]}),
        },
    }


@pytest.mark.django_db(transaction=True)
def test_every_get_operation_passes_every_schemathesis_check(
    load_content, gunicorn_server, client, monkeypatch, tmp_path
):
    # Hundreds of requests a minute from one address (the server's API_ANON_RATE is raised as
    # well): the anonymous throttle is tested elsewhere.
    server = gunicorn_server()
    load_content()
    # The seeds hold no commitment (participants make them): one, published, so that
    # /commitments/{id}/ answers something but 404s.
    learning_services.save_object(
        obj=Commitment(
            cohort=Cohort.objects.get(slug="learning-hub-2025"),
            country="JO",
            text_en="Recognise unpaid care work in the national care strategy",
            text_ar="الاعتراف بأعمال الرعاية غير المدفوعة في الاستراتيجية الوطنية للرعاية",
            lever="recognise",
            consent_to_publish=True,
            published=True,
        ),
        actor=SYSTEM,
    )
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1000000/minute"})
    references = tmp_path / "references.json"
    references.write_text(json.dumps(_real_values(client)))
    report = tmp_path / "report.xml"
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{server.url}/api/v1/schema/",
        "--checks=all",
        "--phases=examples,coverage,fuzzing,stateful",
        f"--max-examples={EXAMPLES}",
        "--seed=1",
        "--workers=1",  # deterministic order (the stateful phase follows links)
        "--request-timeout=30",
        "--no-color",
        "--suppress-health-check=all",
        "--report=junit",
        f"--report-junit-path={report}",
    ]
    environment = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.api.schemathesis_hooks",
        "S4C_FUZZ_REFERENCES": str(references),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    run = subprocess.run(
        command,
        check=False,
        env=environment,
        capture_output=True,
        text=True,
        timeout=40 * EXAMPLES + 500,
        cwd=tmp_path,  # its cache (.schemathesis/) stays out of the work tree
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-12000:]
    # Every operation reached its logic: none only ever answered 404 for want of real data.
    assert "Missing test data" not in output, output[-3000:]
    assert "Selected: 21/21" in output, output[-3000:]
    assert "Tested: 21" in output, output[-3000:]
    assert "No issues found" in output or "passed" in output.rsplit("SUMMARY", 1)[-1], output[
        -3000:
    ]


# --- what the fuzzing found, pinned down ------------------------------------------------------


def test_the_schema_documents_every_answer(client):
    paths = client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    detail = paths["/api/v1/resources/{identifier}/"]["get"]["responses"]
    assert sorted(detail) == ["200", "304", "400", "401", "404", "410", "429"]
    listing = paths["/api/v1/resources/"]["get"]
    assert sorted(listing["responses"]) == ["200", "304", "400", "401", "429"]
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
    assert sorted(feed["responses"]) == ["200", "400", "401", "409", "429"]
    # The pattern alone refuses an empty cursor: no minLength beside it (schemathesis folds one
    # into this pattern wrongly, making the epoch prefix required).
    assert feed["parameters"][0]["schema"] == {
        "type": "string",
        "pattern": "^([1-9][0-9]{0,8}-)?[0-9]{1,18}$",
    }
    assert parameters["updated_since"]["minLength"] == 1  # no pattern: it says so itself


@pytest.mark.django_db
def test_the_cursor_is_described_as_the_opaque_value_the_links_give(client, load_content):
    # The pattern is the padded base64 DRF writes of an offset, a direction or a position:
    # `cursor=0` (schemathesis's first guess) is not a cursor, and every link's cursor fits it.
    load_content()
    paths = client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    for operation in ("/api/v1/themes/", "/api/v1/resources/"):
        listing = paths[operation]["get"]
        pattern = {p["name"]: p["schema"] for p in listing["parameters"]}["cursor"]["pattern"]
        assert "400" in listing["responses"]
        assert not re.search(pattern, "0")
        for ordering in (
            ({}, {"ordering": "created_at"}) if operation.endswith("resources/") else ({},)
        ):
            first = client.get(operation, {"page_size": 1, **ordering}).json()
            second = client.get(first["next"]).json()
            for link in (first["next"], second["previous"], second["next"]):
                cursor = parse_qs(urlsplit(link).query)["cursor"][0]
                assert re.search(pattern, cursor), link
                assert client.get(link).status_code == 200


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        ({"type": ""}, 400, {"type": ["This parameter needs a value."]}),
        ({"year": "1800"}, 400, {"year": ["Ensure this value is greater than or equal to 1900."]}),
        ({"year": "2025.5"}, 400, {"year": ["Enter a whole number."]}),
        ({"ordering": ""}, 400, {"ordering": ["This parameter needs a value."]}),
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


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"foo": "1"}, "foo"),
        ({"lang": "xx"}, "lang"),
        ({"format": "xml"}, "format"),
        ({"format": ""}, "format"),
    ],
)
def test_the_schema_takes_its_parameters_only(client, db, query, parameter):
    response = client.get("/api/v1/schema/", query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == [parameter]
    for good in ({}, {"format": "yaml"}, {"lang": "ar"}):
        assert client.get("/api/v1/schema/", good).status_code == 200, good


@pytest.mark.parametrize(
    ("query", "parameter"),
    [({"foo": "1"}, "foo"), ({"lang": "xx"}, "lang"), ({"lang": ""}, "lang")],
)
def test_the_docs_page_takes_its_parameters_only(client, db, query, parameter):
    response = client.get("/api/v1/docs/", query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == [parameter]
    page = client.get("/api/v1/docs/", {"lang": "ar"})
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    script = client.get("/api/v1/docs/?lang=ar&script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
