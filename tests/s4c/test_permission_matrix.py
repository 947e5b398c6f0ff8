"""Who may do what, as one table: every role × every admin page and action, and the API.

Roles are the groups created by migrations (README "Roles"); the participant is a Learning Hub
applicant signed in through a one-time link (a session, not a staff account). Each cell is checked
for what the server answers AND for whether the object changed:

- `ok`: allowed — a read answers 200; a write succeeds and the object changed;
- `no`: refused — a read answers 403; a write leaves the object unchanged (403, or an action the
  changelist does not offer);
- `login`: sent to the admin's login page (302), nothing changed.

One test per object runs its rows for every role, each cell inside a savepoint that is rolled back,
so every cell starts from the same objects and the objects and the roles' users are made once per
object rather than once per cell; a failing test lists every cell that differs from the table.

`view` reads an object's admin page; `evidence` and `materials` search resources in the
autocomplete of a progress report's evidence and of a session's materials (refused: a 403, or the
resource is not among the results).

A draft is published by nobody, not even a superuser: it must be submitted for review first
(HUB_ALLOW_DIRECT_PUBLISH is off by default; tests/hub/test_admin_workflow.py checks both ways).

A reviewer may delete plans and deliverables, but not one with progress reports (officers' work,
which the deletion would take with it and which reviewers may not delete): those rows say `no`.
"""

import contextlib
import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.forms import CheckboxInput, ClearableFileInput, SplitDateTimeWidget
from django.utils import timezone

from core.permissions import MAILER, SYSTEM

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "curator", "reviewer", "officer", "coordinator", "superuser"]

# fmt: off
MATRIX = """
object              action      anonymous participant curator reviewer officer coordinator superuser
resource-draft      changelist  login     login       ok      ok       no      no          ok
resource-draft      view        login     login       ok      ok       no      no          ok
resource-draft      evidence    login     login       ok      ok       no      no          ok
resource-draft      materials   login     login       ok      ok       no      no          ok
resource-draft      add         login     login       ok      ok       no      no          ok
resource-draft      change      login     login       ok      ok       no      no          ok
resource-draft      history     login     login       ok      ok       no      no          ok
resource-draft      revert      login     login       ok      ok       no      no          ok
resource-draft      delete      login     login       no      ok       no      no          ok
resource-draft      submit      login     login       ok      ok       no      no          ok
resource-draft      publish     login     login       no      no       no      no          no
resource-published  evidence    login     login       ok      ok       ok      no          ok
resource-published  materials   login     login       ok      ok       no      ok          ok
resource-published  change      login     login       no      ok       no      no          ok
resource-published  revert      login     login       no      ok       no      no          ok
resource-published  archive     login     login       no      ok       no      no          ok
organisation        changelist  login     login       ok      ok       no      ok          ok
organisation        add         login     login       ok      ok       no      no          ok
organisation        change      login     login       ok      ok       no      no          ok
organisation        history     login     login       ok      ok       no      ok          ok
organisation        revert      login     login       ok      ok       no      no          ok
organisation        delete      login     login       no      ok       no      no          ok
theme               changelist  login     login       ok      ok       no      no          ok
theme               add         login     login       no      ok       no      no          ok
theme               change      login     login       no      ok       no      no          ok
theme               history     login     login       ok      ok       no      no          ok
theme               revert      login     login       no      ok       no      no          ok
theme               delete      login     login       no      no       no      no          ok
cohort              changelist  login     login       no      no       no      ok          ok
cohort              add         login     login       no      no       no      ok          ok
cohort              change      login     login       no      no       no      ok          ok
cohort              history     login     login       no      no       no      ok          ok
cohort              revert      login     login       no      no       no      ok          ok
cohort              delete      login     login       no      no       no      no          ok
session             changelist  login     login       no      no       no      ok          ok
session             change      login     login       no      no       no      ok          ok
session             delete      login     login       no      no       no      no          ok
application         changelist  login     login       no      no       no      ok          ok
application         change      login     login       no      no       no      ok          ok
application         accept      login     login       no      no       no      ok          ok
application         delete      login     login       no      no       no      no          ok
commitment          changelist  login     login       no      no       no      ok          ok
commitment          change      login     login       no      no       no      ok          ok
commitment          delete      login     login       no      no       no      no          ok
plan                changelist  login     login       no      ok       ok      no          ok
plan                add         login     login       no      ok       no      no          ok
plan                change      login     login       no      ok       no      no          ok
plan                history     login     login       no      ok       ok      no          ok
plan                revert      login     login       no      ok       no      no          ok
plan                delete      login     login       no      no       no      no          ok
deliverable         changelist  login     login       no      ok       ok      no          ok
deliverable         change      login     login       no      ok       no      no          ok
deliverable         revert      login     login       no      ok       no      no          ok
deliverable         delete      login     login       no      no       no      no          ok
progressreport      changelist  login     login       no      ok       ok      no          ok
progressreport      add         login     login       no      no       ok      no          ok
progressreport      change      login     login       no      ok       ok      no          ok
progressreport      revert      login     login       no      ok       ok      no          ok
progressreport      delete      login     login       no      no       no      no          ok
"""
# fmt: on


def _rows():
    lines = [line.split() for line in MATRIX.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    assert header[2:] == ROLES
    return [(row[0], row[1], dict(zip(ROLES, row[2:], strict=True))) for row in rows]


ROWS = _rows()
TARGETS = list(dict.fromkeys(target for target, _, _ in ROWS))


# --- the objects ------------------------------------------------------------------------------

URLS = {
    "resource-draft": "hub/resource",
    "resource-published": "hub/resource",
    "organisation": "hub/organisation",
    "theme": "hub/theme",
    "cohort": "learning/cohort",
    "session": "learning/session",
    "application": "learning/application",
    "commitment": "learning/commitment",
    "plan": "actionplan/plan",
    "deliverable": "actionplan/deliverable",
    "progressreport": "actionplan/progressreport",
}
# The text field a change (or a revert) writes, per object.
TEXT_FIELD = {
    "resource-draft": "title_en",
    "resource-published": "title_en",
    "organisation": "name_en",
    "theme": "name_en",
    "cohort": "name_en",
    "session": "title_en",
    "application": "name",
    "commitment": "text_en",
    "plan": "title_en",
    "deliverable": "text_en",
    "progressreport": "narrative_en",
}


class Objects(dict):
    """The objects of the matrix, made on first use (each test needs one or two)."""

    def __missing__(self, name):
        self[name] = obj = _second_version(name, getattr(self, f"_{name.replace('-', '_')}")())
        return obj

    def _resource(self, title, publish):
        from hub import services
        from hub.models import Resource

        item = Resource(title_en=title, resource_type="publication", publication_year=2024)
        services.resource_save(resource=item, actor=SYSTEM)
        if publish:
            services.resource_publish(resource=item, actor=SYSTEM)
        return item

    def _resource_draft(self):
        return self._resource("Draft resource", publish=False)

    def _resource_published(self):
        return self._resource("Published resource", publish=True)

    def _organisation(self):
        from hub.models import Organisation

        return Organisation.objects.create(slug="o", name_en="Org", kind="un_agency")

    def _theme(self):
        from hub.models import Theme

        return Theme.objects.create(slug="t", name_en="Theme")

    def _cohort(self):
        from learning.models import Cohort, Phase

        cohort = Cohort.objects.create(
            slug="lh-matrix", name_en="Matrix cohort", year=2027, status=Cohort.Status.OPEN
        )
        Phase.objects.create(
            cohort=cohort,
            name_en="Doha",
            mode="in_person",
            start_date=dt.date(2027, 9, 15),
            end_date=dt.date(2027, 9, 18),
            time_zone="Asia/Qatar",
        )
        return cohort

    def _session(self):
        from learning.models import Session

        cohort = self["cohort"]
        return Session.objects.create(
            cohort=cohort,
            phase=cohort.phases.get(),
            slug="s",
            title_en="Session",
            kind="plenary",
            date=dt.date(2027, 9, 16),
        )

    def _application(self, cohort=None):
        from learning.models import Application

        return Application.objects.create(
            cohort=cohort or self["cohort"],
            name="Amina Haddad",
            email="amina@example.org",
            country="JO",
            organisation="Ministry of Labour",
            constituency="government",
            working_languages="Arabic",
            motivation="x" * 60,
        )

    def _participant(self):
        """The participant's own application, in a cohort of its own: it must not be among the
        matrix's objects (it would, for one, keep the matrix's cohort from being deleted)."""
        from learning.models import Cohort

        cohort = Cohort.objects.create(
            slug="lh-participant", name_en="Participant's cohort", year=2027, status="open"
        )
        return self._application(cohort=cohort)

    def _commitment(self):
        from learning.models import Commitment

        return Commitment.objects.create(
            cohort=self["cohort"],
            owner=self["application"],
            country="JO",
            text_en="Commitment",
            lever="reward",
        )

    def _plan(self):
        from actionplan.models import Plan

        return Plan.objects.create(slug="p", title_en="Plan", start_year=2024, end_year=2029)

    def _deliverable(self):
        from actionplan.models import Deliverable, Objective, Outcome

        outcome = Outcome.objects.create(
            objective=Objective.objects.create(plan=self["plan"], number=1, title_en="Objective"),
            code="1.1",
            title_en="Outcome",
        )
        return Deliverable.objects.create(
            outcome=outcome, text_en="Deliverable", start_year=2024, end_year=2025
        )

    def _progressreport(self):
        from actionplan.models import ProgressReport

        return ProgressReport.objects.create(
            deliverable=self["deliverable"], year=2024, status="on_track", narrative_en="Report"
        )


def _second_version(name, obj):
    """A second version of an object with a history, so there is an earlier one to revert to."""
    if name not in TEXT_FIELD or not hasattr(obj, "history"):
        return obj
    field = TEXT_FIELD[name]
    obj = type(obj).objects.get(pk=obj.pk)
    setattr(obj, field, f"{getattr(obj, field)} v2")
    obj.save()
    return obj


@pytest.fixture
def objects(db):
    return Objects()


def _signed_in_clients(objects) -> dict:
    """One browser per role, signed in as that role (the anonymous one is not)."""
    from django.test import Client

    from learning import services

    clients = {role: Client() for role in ROLES}
    token = services.sign_in_link_issue(application=objects["participant"], actor=MAILER)
    assert clients["participant"].post(f"/en/learning/sign-in/{token}/").status_code == 302
    clients["superuser"].force_login(User.objects.create_superuser("super", "s@example.org", None))
    groups = {
        "curator": "Curator",
        "reviewer": "Reviewer",
        "officer": "Officer",
        "coordinator": "Learning coordinator",
    }
    for role, group in groups.items():
        user = User.objects.create_user(role, f"{role}@example.org", None, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        clients[role].force_login(user)
    return clients


@contextlib.contextmanager
def _undone():
    """What a cell writes is rolled back, so every cell starts from the same objects."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _form_data(response) -> dict:
    """The POST data of an admin form page as a browser would send it back (main form, inlines)."""
    context = response.context
    forms = [context["adminform"].form]
    data = {}
    for formset in context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        for name in management.fields:
            data[management[name].html_name] = management[name].value()
        forms += list(formset.formset.forms)
    for form in forms:
        for bound in form:
            widget, value = bound.field.widget, bound.value()
            if isinstance(widget, ClearableFileInput):
                continue
            if isinstance(widget, CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(widget, SplitDateTimeWidget) or hasattr(widget, "widgets"):
                if isinstance(value, dt.datetime):
                    value = timezone.localtime(value)
                    data[f"{bound.html_name}_0"] = value.date().isoformat()
                    data[f"{bound.html_name}_1"] = value.time().isoformat()
                elif isinstance(value, list):
                    for index, part in enumerate(value):
                        data[f"{bound.html_name}_{index}"] = "" if part is None else str(part)
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = "" if value is None else str(value)
    return data


def _fresh(obj):
    return type(obj).objects.filter(pk=obj.pk).first()


def _snapshot(obj):
    fresh = _fresh(obj)
    if fresh is None:
        return None
    return {
        f.attname: getattr(fresh, f.attname)
        for f in fresh._meta.concrete_fields
        if f.attname not in {"updated_at", "translation_edited_en", "translation_edited_ar"}
    }


@pytest.mark.parametrize("target", TARGETS)
def test_admin_permission_matrix(objects, target):
    """Every cell of the target's rows; the failures are listed together, as cells of the table."""
    obj = objects[target]
    if target in {"plan", "deliverable"}:
        objects["progressreport"]  # what deleting them would take with it
    clients = _signed_in_clients(objects)
    obj = objects[target]
    # The forms a role posts back, as a superuser's browser reads them (the same for every cell:
    # each cell's writes are undone).
    forms = {}
    failures = []
    for row_target, action, expected_by_role in ROWS:
        if row_target != target:
            continue
        for role, expected in expected_by_role.items():
            try:
                with _undone():
                    _check_cell(clients, forms, target, obj, action, role, expected)
            except AssertionError as error:
                failures.append(f"{target} {action} {role} (expected {expected}): {error}")
    assert not failures, "\n".join(failures)


def _form(clients, forms, path):
    if path not in forms:
        forms[path] = _form_data(clients["superuser"].get(path))
    return forms[path]


def _check_cell(clients, forms, target, obj, action, role, expected):
    client = clients[role]
    base = f"/en/admin/{URLS[target]}/"
    field = TEXT_FIELD[target]
    before = _snapshot(obj)

    if action in {"changelist", "view", "add", "history"}:
        path = {
            "changelist": base,
            "view": f"{base}{obj.pk}/change/",
            "add": f"{base}add/",
            "history": f"{base}{obj.pk}/history/",
        }[action]
        response = client.get(path)
        expected_status = {"ok": 200, "no": 403, "login": 302}[expected]
        assert response.status_code == expected_status, response.status_code
        if expected == "login":
            assert "/admin/login/" in response["Location"]
        assert _snapshot(obj) == before
        return

    if action in {"evidence", "materials"}:
        source = {
            "evidence": ("actionplan", "progressreport"),
            "materials": ("learning", "session"),
        }[action]
        response = client.get(
            "/en/admin/autocomplete/",
            {
                "app_label": source[0],
                "model_name": source[1],
                "field_name": action,
                "term": obj.title_en.split()[0],
            },
        )
        if expected == "login":
            assert response.status_code == 302
            assert "/admin/login/" in response["Location"]
            return
        found = response.status_code == 200 and str(obj.pk) in {
            r["id"] for r in response.json()["results"]
        }
        assert response.status_code in (200, 403), response.status_code
        assert found == (expected == "ok"), response.content.decode()[:500]
        return

    if action == "change":
        path = f"{base}{obj.pk}/change/"
        response = client.post(
            path, {**_form(clients, forms, path), field: "Changed by the matrix"}
        )
    elif action == "revert":
        record = obj.history.order_by("history_date").first()
        path = f"{base}{obj.pk}/history/{record.history_id}/"
        response = client.post(path, _form(clients, forms, path))
    elif action == "delete":
        response = client.post(f"{base}{obj.pk}/delete/", {"post": "yes"})
    else:  # a bulk action of the changelist
        name = {
            "submit": "submit_selected",
            "publish": "publish_selected",
            "archive": "archive_selected",
            "accept": "accept",
        }[action]
        response = client.post(base, {"action": name, "_selected_action": [obj.pk]})

    assert response.status_code < 500
    after = _snapshot(obj)
    if expected == "ok":
        assert response.status_code == 302, response.content.decode()[:2000]
        assert after != before
        if action == "change":
            assert after[field] == "Changed by the matrix"
        if action == "revert":
            assert after[field] == before[field].removesuffix(" v2")
        if action == "delete":
            assert after is None or after.get("deleted_at") is not None
    else:
        assert after == before
        if expected == "login":
            assert response.status_code == 302
            assert "/admin/login/" in response["Location"]
        elif action in {"change", "revert", "delete"}:
            assert response.status_code == 403


# --- the API: reads for everyone, writes for no one --------------------------------------------

API = ["resources", "themes", "organisations", "cohorts", "sessions", "plans", "deliverables"]


@pytest.mark.parametrize("role", ROLES)
def test_the_api_reads_for_everyone_and_writes_for_no_one(objects, role):
    client = _signed_in_clients(objects)[role]
    published = objects["resource-published"]
    for collection in API:
        assert client.get(f"/api/v1/{collection}/").status_code == 200, collection
        assert (
            client.post(f"/api/v1/{collection}/", {}, content_type="application/json").status_code
            == 405
        )
    detail = f"/api/v1/resources/{published.identifier}/"
    assert client.get(detail).status_code == 200
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(detail, {"title": "x"}, content_type="application/json")
        assert response.status_code == 405, method
    assert client.get("/api/v1/resources/", {"q": ""}).status_code == 200
    assert _fresh(published).title_en == published.title_en
    assert _fresh(published).deleted_at is None
