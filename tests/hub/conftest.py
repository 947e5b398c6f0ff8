import itertools

import pytest
from django.contrib.auth.models import Group, User

from core.permissions import SYSTEM
from hub import services
from hub.models import Organisation, Region, Resource, Theme

_seq = itertools.count(1)


@pytest.fixture
def make_theme(db):
    def make(slug=None, name_en="Care economy", name_ar="اقتصاد الرعاية"):
        slug = slug or f"theme-{next(_seq)}"
        return Theme.objects.create(slug=slug, name_en=name_en, name_ar=name_ar)

    return make


@pytest.fixture
def make_resource(db, django_capture_on_commit_callbacks):
    """A resource written through the services, published unless told otherwise (and committed,
    as far as on-commit work goes: the change feed and the content version follow it)."""

    def make(
        title_en="Care policies in the Global South",
        title_ar="سياسات الرعاية في بلدان الجنوب",
        *,
        status=Resource.Status.PUBLISHED,
        themes=(),
        regions=(),
        countries=(),
        languages=("en",),
        complete=False,
        **fields,
    ):
        if complete:
            # What the quality gate asks of a resource a person or the scheduler publishes.
            fields.setdefault("summary_en", "A summary.")
            fields.setdefault("summary_ar", "ملخص.")
            fields.setdefault("external_url", "https://www.ilo.org/resource")
            fields.setdefault(
                "publisher",
                Organisation.objects.get_or_create(
                    slug="ilo-test", defaults={"name_en": "ILO", "name_ar": "منظمة العمل الدولية"}
                )[0],
            )
            themes = themes or [
                Theme.objects.get_or_create(
                    slug="complete-theme", defaults={"name_en": "Care", "name_ar": "الرعاية"}
                )[0]
            ]
        with django_capture_on_commit_callbacks(execute=True):
            return _make(title_en, title_ar, status, themes, regions, countries, languages, fields)

    def _make(title_en, title_ar, status, themes, regions, countries, languages, fields):
        fields.setdefault("resource_type", Resource.Type.PUBLICATION)
        fields.setdefault("publication_year", 2024)
        resource = Resource(title_en=title_en, title_ar=title_ar, **fields)
        services.resource_save(
            resource=resource, actor=SYSTEM, countries=countries, languages=languages
        )
        resource.themes.set(themes)
        resource.regions.set(regions)
        services.refresh_search(resource=resource, actor=SYSTEM)
        if status != Resource.Status.DRAFT:
            if status == Resource.Status.IN_REVIEW:
                services.resource_submit(resource=resource, actor=SYSTEM)
            else:
                services.resource_publish(resource=resource, actor=SYSTEM)
                if status == Resource.Status.ARCHIVED:
                    services.resource_archive(resource=resource, actor=SYSTEM)
        resource.refresh_from_db()
        return resource

    return make


def _staff(username, group_name):
    user = User.objects.create_user(
        username, f"{username}@example.org", "a-long-password-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return User.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def curator(db):
    return _staff("curator", "Curator")


@pytest.fixture
def reviewer(db):
    return _staff("reviewer", "Reviewer")


@pytest.fixture
def region(db):
    return Region.objects.create(
        code="arab-states", name_en="Arab States", name_ar="الدول العربية", countries=["QA"]
    )


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(
        slug="ilo",
        name_en="International Labour Organization",
        name_ar="منظمة العمل الدولية",
        kind="un_agency",
    )


@pytest.fixture
def publishable(db, organisation, make_theme):
    """The fields a resource needs to pass the publication gate (hub.services.publication_problems),
    to pass to `make_resource(..., **publishable)`."""
    return {
        "summary_en": "What care policies the countries of the South adopted.",
        "summary_ar": "سياسات الرعاية التي اعتمدتها بلدان الجنوب.",
        "publisher": organisation,
        "external_url": "https://www.ilo.org/",
        "themes": [make_theme()],
    }
