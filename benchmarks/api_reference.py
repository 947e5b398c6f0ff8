"""Benchmark-only URLconf: the whole portal plus a bare reference for `/api/v1/resources/`.

Never routed in production: only `benchmarks/api_settings.py` (used by `benchmarks/api_resources.py`
through `DJANGO_SETTINGS_MODULE`) selects this module as `ROOT_URLCONF`.

The reference answers `GET /bench/reference/resources/?page_size=N` with the same JSON as the first
page of `/api/v1/resources/?page_size=N` (same keys, same values, same rows), built the fastest
plain way: `.values()` rows, one query per relation, dicts, orjson. No DRF, no serializers, no
model instances, no ETag, no throttling: the floor our endpoint is compared with.
"""

from base64 import b64encode
from collections import defaultdict
from urllib.parse import urlencode

import orjson
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from rest_framework.utils.urls import replace_query_param

from hub.models import Resource, ResourceCountry, ResourceLanguage
from partners.models import PublicState
from s4c.urls import handler404, handler500  # noqa: F401 - the reference URLconf keeps the portal's handlers
from s4c.urls import urlpatterns as portal_urlpatterns

FIELDS = [
    "id",
    "identifier",
    "resource_type",
    "title_en",
    "title_ar",
    "summary_en",
    "summary_ar",
    "body_en",
    "body_ar",
    "publisher__slug",
    "authors",
    "publication_year",
    "publication_month",
    "publication_day",
    "is_global",
    "modality",
    "external_url",
    "file",
    "licence",
    "featured",
    "created_at",
    "updated_at",
]


def _stamp(value):
    # What DRF's DateTimeField gives: ISO 8601 in the current time zone, "Z" for UTC.
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _text(value):
    return value if value not in (None, "") else None


def reference_resources(request):
    page_size = int(request.GET.get("page_size", 50))
    rows = list(
        Resource.objects.filter(status=Resource.Status.PUBLISHED, deleted_at__isnull=True)
        .order_by("-pk")
        .values(*FIELDS)[: page_size + 1]
    )
    has_next = len(rows) > page_size
    rows = rows[:page_size]
    pks = [row["id"] for row in rows]
    languages, countries, regions, themes = (defaultdict(list) for _ in range(4))
    for resource_id, code in ResourceLanguage.objects.filter(resource_id__in=pks).values_list(
        "resource_id", "language"
    ):
        languages[resource_id].append(code)
    for resource_id, code in ResourceCountry.objects.filter(resource_id__in=pks).values_list(
        "resource_id", "country"
    ):
        countries[resource_id].append(code)
    for resource_id, code in Resource.regions.through.objects.filter(
        resource_id__in=pks
    ).values_list("resource_id", "region__code"):
        regions[resource_id].append(code)
    for resource_id, slug in Resource.themes.through.objects.filter(
        resource_id__in=pks
    ).values_list("resource_id", "theme__slug"):
        themes[resource_id].append(slug)
    states = dict(
        PublicState.objects.filter(
            kind="resource", object_id__in=[row["identifier"] for row in rows]
        ).values_list("object_id", "updated_at")
    )

    api_prefix = request.build_absolute_uri(reverse("api:resource-list"))
    html_prefix = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            html_prefix[code] = settings.SITE_URL + reverse("hub:index")
    results = []
    for row in rows:
        identifier = row["identifier"]
        date = f"{row['publication_year']:04d}"
        if row["publication_month"]:
            date += f"-{row['publication_month']:02d}"
            if row["publication_day"]:
                date += f"-{row['publication_day']:02d}"
        updated = states.get(identifier) or row["updated_at"]
        results.append(
            {
                "id": identifier,
                "url": f"{api_prefix}{identifier}/",
                "html_url": {
                    code: f"{prefix}{identifier}/" for code, prefix in html_prefix.items()
                },
                "type": row["resource_type"],
                "title": {"en": _text(row["title_en"]), "ar": _text(row["title_ar"])},
                "summary": {"en": _text(row["summary_en"]), "ar": _text(row["summary_ar"])},
                "body": {"en": _text(row["body_en"]), "ar": _text(row["body_ar"])},
                "publisher": row["publisher__slug"],
                "authors": row["authors"],
                "publication_date": date,
                "publication_year": row["publication_year"],
                "document_languages": sorted(languages[row["id"]]),
                "countries": sorted(countries[row["id"]]),
                "regions": sorted(regions[row["id"]]),
                "is_global": row["is_global"],
                "themes": sorted(themes[row["id"]]),
                "modality": row["modality"],
                "external_url": row["external_url"],
                "file": default_storage.url(row["file"]) if row["file"] else None,
                "licence": row["licence"],
                "featured": row["featured"],
                "created_at": _stamp(row["created_at"]),
                "updated_at": _stamp(updated),
            }
        )
    next_link = None
    if has_next:
        cursor = b64encode(urlencode({"p": str(rows[-1]["id"])}).encode()).decode()
        next_link = replace_query_param(
            request.build_absolute_uri(api_prefix + "?" + request.GET.urlencode()),
            "cursor",
            cursor,
        )
    body = orjson.dumps({"next": next_link, "previous": None, "results": results})
    return HttpResponse(body, content_type="application/json")


urlpatterns = [
    path("bench/reference/resources/", reference_resources, name="bench-reference-resources"),
    *portal_urlpatterns,
]
