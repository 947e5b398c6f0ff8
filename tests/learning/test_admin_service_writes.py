"""Every admin write goes through the owning app's services, with the signed-in user as actor
(issue 12, item 2): saves, inlines, deletes and bulk deletes, in the three apps; and the apps'
permissions modules decide, for people and for named system actors alike."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import RequestFactory

from actionplan import permissions as actionplan_permissions
from actionplan import services as actionplan_services
from core.admin_tools import ServiceWritesMixin
from core.errors import DomainError
from core.permissions import SCHEDULER
from hub import permissions as hub_permissions
from hub.models import Organisation, Theme
from learning import permissions as learning_permissions
from learning import services as learning_services
from learning.models import Cohort, Speaker

pytestmark = pytest.mark.django_db
APPS = {"hub", "learning", "actionplan"}


def _user(name, group):
    user = User.objects.create_user(
        name, f"{name}@example.org", "a-long-password-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return User.objects.get(pk=user.pk)


def test_every_admin_that_writes_app_data_writes_through_the_services():
    superuser = User.objects.create_superuser("root", "root@example.org", "a-long-password-123")
    request = RequestFactory().get("/en/admin/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in APPS:
            continue
        writes = model_admin.has_add_permission(request) or model_admin.has_change_permission(
            request
        )
        if not writes:
            continue
        assert isinstance(model_admin, ServiceWritesMixin), model
        assert model_admin.services is not None, model
        assert model_admin.services.__name__ == f"{model._meta.app_label}.services", model


@pytest.fixture
def calls(monkeypatch):
    """Records each service call the admin makes (and still makes it)."""
    seen = []
    for module in (learning_services, actionplan_services):
        for name in ("save_object", "delete_object"):
            real = getattr(module, name)

            def spy(*, obj, actor, _real=real, _name=name, **links):
                seen.append((_name, type(obj).__name__, actor.username))
                return _real(obj=obj, actor=actor, **links)

            monkeypatch.setattr(module, name, spy)
    return seen


def test_a_cohort_and_its_phase_inline_are_saved_by_the_services(
    client, calls, cohort, no_direct_form_choices
):
    # The cohort's partners (a many-to-many choice) are set by the service too, not by Django's
    # form.save_m2m().
    itc = Organisation.objects.create(slug="itcilo", name_en="ITC-ILO")
    coordinator = _user("coordinator", "Learning coordinator")
    client.force_login(coordinator)
    page = client.get(f"/en/admin/learning/cohort/{cohort.pk}/change/")
    form = page.context["adminform"].form
    data = {n: form[n].value() for n in form.fields if form[n].value() not in (None, False, "")}
    data = {**{n: form[n].value() for n in form.fields if form[n].value() == 0}, **data}
    data["name_en"] = "Learning Hub, renamed"
    data["partners"] = [itc.pk]
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        data.update({f"{fs.prefix}-{k}": v for k, v in fs.management_form.initial.items()})
        for sub in fs.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value is not None and value is not False:
                    data[sub.add_prefix(name)] = value
        if fs.forms:
            data[fs.forms[0].add_prefix("city_en")] = "Doha (Qatar)"
    response = client.post(f"/en/admin/learning/cohort/{cohort.pk}/change/", data)
    if response.status_code != 302:
        context = response.context
        pytest.fail(
            f"{context['adminform'].form.errors} {[f.formset.errors for f in context['inline_admin_formsets']]} {[f.formset.non_form_errors() for f in context['inline_admin_formsets']]}"
        )
    assert ("save_object", "Cohort", "coordinator") in calls
    assert ("save_object", "Phase", "coordinator") in calls
    assert Cohort.objects.get(pk=cohort.pk).phases.get().city_en == "Doha (Qatar)"
    assert list(Cohort.objects.get(pk=cohort.pk).partners.all()) == [itc]


def test_a_bulk_delete_calls_the_service_for_each_object(client, calls):
    for n in range(2):
        Speaker.objects.create(slug=f"s{n}", name_en=f"Speaker {n}")
    client.force_login(
        User.objects.create_superuser("root", "r@example.org", "a-long-password-123")
    )
    ids = list(Speaker.objects.values_list("pk", flat=True))
    response = client.post(
        "/en/admin/learning/speaker/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert calls.count(("delete_object", "Speaker", "root")) == 2
    assert not Speaker.objects.exists()


def test_the_permissions_modules_decide_for_people_and_system_actors(cohort):
    officer = _user("officer", "Officer")
    coordinator = _user("coordinator", "Learning coordinator")
    assert not learning_permissions.can_save(officer, cohort)
    assert learning_permissions.can_save(coordinator, cohort)
    assert not learning_permissions.can_delete(coordinator, cohort)
    assert learning_permissions.can_decide(SCHEDULER)
    with pytest.raises(DomainError):
        learning_services.save_object(obj=cohort, actor=officer)
    theme = Theme(slug="t", name_en="T")
    assert not hub_permissions.can_save(officer, theme)
    plan_part = Speaker(slug="x", name_en="x")  # any object: a model permission the officer lacks
    assert not actionplan_permissions.can_delete(officer, plan_part)
