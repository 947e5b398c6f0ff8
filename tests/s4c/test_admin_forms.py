"""Every admin form builds cleanly, and a link typed without its scheme means https."""

import warnings

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import User
from django.utils.deprecation import RemovedInDjango60Warning

pytestmark = pytest.mark.django_db


def test_the_deprecated_transitional_url_setting_is_not_set():
    # Django 5.x warns at start-up for FORMS_URLFIELD_ASSUME_HTTPS itself; the forms say https.
    assert not settings.is_overridden("FORMS_URLFIELD_ASSUME_HTTPS")


def test_every_admin_form_and_inline_builds_without_a_deprecation_warning(rf):
    request = rf.get("/en/admin/")
    request.user = User.objects.create_superuser("root", "root@example.org", None)
    built = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error", RemovedInDjango60Warning)
        for model_admin in admin.site._registry.values():
            model_admin.get_form(request)()
            for inline in model_admin.get_inline_instances(request):
                inline.get_formset(request)()
            built += 1
    assert built == len(admin.site._registry) > 20


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("hub.organisation", "website"),
        ("hub.resource", "external_url"),
        ("learning.session", "recording_url"),
        ("actionplan.plan", "source_url"),
        ("partners.webhookendpoint", "url"),
    ],
)
def test_a_link_without_its_scheme_is_https_in_every_admin(rf, model, field):
    from django.apps import apps

    request = rf.get("/en/admin/")
    request.user = User.objects.create_superuser("root", "root@example.org", None)
    form_field = admin.site.get_model_admin(apps.get_model(model)).get_form(request)().fields[field]
    assert form_field.clean("www.ilo.org/care") == "https://www.ilo.org/care"
    assert form_field.clean("http://www.ilo.org/care") == "http://www.ilo.org/care"
