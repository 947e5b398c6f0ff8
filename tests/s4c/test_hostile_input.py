"""Hostile input that used to reach the database and answer 500 (issue 14, item 7)."""

import pytest
from django.urls import reverse

from tests.hub.conftest import make_resource  # noqa: F401 - a fixture, used by name

pytestmark = pytest.mark.django_db

DETAIL_ROUTES = [
    "resource", "theme", "organisation", "region", "cohort",
    "session", "speaker", "commitment", "plan", "deliverable",
]  # fmt: skip


@pytest.mark.postgres
@pytest.mark.parametrize("route", DETAIL_ROUTES)
def test_a_nul_byte_in_an_api_detail_path_is_a_json_404(client, route):
    path = reverse(f"api:{route}-detail", args=["abc"]).replace("abc", "a%00b")
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.postgres
def test_a_nul_byte_in_a_page_path_is_a_404_page(client):
    response = client.get("/en/hub/resources/a%00b/")
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]


@pytest.mark.postgres
@pytest.mark.parametrize("page", ["461168601842738791", "9" * 40, "-9223372036854775809"])
def test_a_phrase_search_with_a_huge_page_answers_the_last_page(client, make_resource, page):  # noqa: F811 - the fixture imported above
    make_resource(title_en="Care economy in Qatar")
    response = client.get("/en/hub/", {"q": '"care economy"', "page": page})
    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert "Care economy in Qatar" in response.content.decode()
