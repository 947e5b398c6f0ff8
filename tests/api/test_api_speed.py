"""The fast paths of the API (issue 6, speed) answer exactly what the plain ways answer."""

import datetime as dt
import decimal
import hashlib
import io
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.serializers import DateTimeField

from core.api.base import UrlTemplate
from core.api.renderers import OrjsonRenderer, escape_markup
from hub.models import Resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(load_content):
    load_content()


@pytest.fixture
def generated(content):
    # Bulk-generated resources have no recorded public state (no signals): the page must not
    # look each of them up on its own.
    call_command("generate_hub_data", "--count", "30", "--batch", "30", stdout=io.StringIO())


def _count_queries(client, page_size):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/resources/", {"page_size": page_size})
    assert response.status_code == 200
    return len(queries), response.json()["results"]


def test_resources_without_public_state_take_a_constant_number_of_queries(client, generated):
    one, _ = _count_queries(client, 1)
    many, results = _count_queries(client, 200)
    assert one == many
    generated_items = [item for item in results if item["id"].startswith("gen-")]
    published = Resource.objects.published().filter(identifier__startswith="gen-").count()
    assert len(generated_items) == published > 20
    stamps = dict(
        Resource.objects.filter(identifier__startswith="gen-").values_list(
            "identifier", "updated_at"
        )
    )
    for item in generated_items:
        assert item["updated_at"] == DateTimeField().to_representation(stamps[item["id"]])


def test_list_items_equal_details_and_urls_equal_reversed_ones(client, generated):
    results = client.get("/api/v1/resources/", {"page_size": 200}).json()["results"]
    assert len(results) == Resource.objects.published().count()
    by_identifier = {r.identifier: r for r in Resource.objects.published()}
    for item in results:
        resource = by_identifier[item["id"]]
        expected_html = {}
        for code in ("en", "ar"):
            with translation.override(code):
                expected_html[code] = f"{settings.SITE_URL}{resource.get_absolute_url()}"
        assert item["html_url"] == expected_html
        # On the configured site, not the request's Host (core.links).
        assert item["url"] == settings.SITE_URL + reverse(
            "api:resource-detail", kwargs={"identifier": resource.identifier}
        )
        assert client.get(f"/api/v1/resources/{resource.identifier}/").json() == item


def test_relation_filters_list_each_resource_once_in_order(client, content):
    # Resources with two or more of these themes match each theme: still listed once.
    slugs = ["social-solidarity-economy", "care-economy", "social-protection"]
    expected = list(
        Resource.objects.published()
        .filter(themes__slug__in=slugs)
        .distinct()
        .order_by("-pk")
        .values_list("identifier", flat=True)
    )
    assert any(
        Resource.objects.get(identifier=i).themes.filter(slug__in=slugs).count() > 1
        for i in expected
    )
    listed = client.get("/api/v1/resources/", {"theme": slugs, "page_size": 200}).json()
    assert [item["id"] for item in listed["results"]] == expected
    both = client.get("/api/v1/resources/", {"country": ["QA", "BR"]}).json()["results"]
    assert [item["id"] for item in both] == ["south-4-care-launch-2025"]


def test_the_etag_is_the_hash_of_the_body_sent(client, content):
    response = client.get("/api/v1/resources/", {"page_size": 5})
    digest = hashlib.sha256(response.content).hexdigest()[:32]
    assert response["ETag"] == f'"{digest}"'


def test_orjson_renders_byte_for_byte_what_drf_renders():
    utc = dt.datetime(2026, 12, 1, 7, 4, 19, 972121, tzinfo=dt.UTC)
    data = {
        "text": "الرعاية — care\u2028line\u2029end",
        "lazy": gettext_lazy("English"),
        "stamps": [
            utc,
            utc.replace(microsecond=0),
            utc.astimezone(dt.timezone(dt.timedelta(hours=3))),
        ],
        "naive": dt.datetime(2026, 1, 2, 3, 4, 5),  # noqa: DTZ001 - naive on purpose
        "day": dt.date(2026, 2, 28),
        "time": dt.time(9, 30),
        "money": decimal.Decimal("37500000.00"),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "nested": ({"a": None, "b": True, "c": 1.5, 3: "int key"},),
        "empty": [],
    }
    drf = JSONRenderer()
    # The same bytes as DRF's, with markup characters escaped (see core/api/renderers.py).
    assert OrjsonRenderer().render(data) == escape_markup(drf.render(data))
    indented = "application/json; indent=4"
    assert OrjsonRenderer().render(data, indented) == escape_markup(drf.render(data, indented))
    assert OrjsonRenderer().render(None) == b""


def test_url_templates_give_what_reverse_gives():
    def build(value):
        return reverse("api:resource-detail", kwargs={"identifier": value})

    template = UrlTemplate(build)
    assert template.parts == ("/api/v1/resources/", "/")
    for value in ["gen-0001999", "r193_Promotion-of-cooperatives", "a b", "قطر", "100%"]:
        assert template(value) == build(value)
    for value in ["x.y", "a/b"]:  # the route refuses them: so does the template
        with pytest.raises(NoReverseMatch):
            template(value)

    def only_digits(value):
        if not str(value).isdigit():
            raise NoReverseMatch(value)
        return f"/numbers/{value}/"

    numbers = UrlTemplate(only_digits)
    assert numbers.parts is None
    assert numbers(42) == "/numbers/42/"
