"""A partner's mirror stays an exact copy through every kind of write, however it was made.

The consumer does what the README tells partners: crawl every collection once, then follow
`/api/v1/changes/` from the cursor it started at, fetching each `upsert` and dropping each
`delete`. After a scripted sequence of writes — services, the admin (saves, deletes, bulk actions,
history revert), m2m links, cascades and SET_NULL, a related object's rename, `QuerySet.update()`
in the daily task, and raw SQL around every service — it must equal a fresh crawl; each change has
its webhook event; `Last-Modified` and OAI datestamps moved with it.
"""

import datetime as dt
import re
import time
from email.utils import parsedate_to_datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from actionplan import services as actionplan_services
from actionplan.models import Deliverable, Plan, ProgressReport
from core.caching import content_version
from core.permissions import MAILER, SCHEDULER, SYSTEM
from hub import services as hub_services
from hub.models import Organisation, Resource, Theme
from learning import services as learning_services
from learning.models import Commitment, Session, Speaker
from partners.models import ApiKey, CapturedRow, ChangeEvent, WebhookEndpoint, WebhookEvent
from tests.learning.conftest import APPLICANT

pytestmark = pytest.mark.django_db

PATHS = {
    "resource": "resources",
    "theme": "themes",
    "organisation": "organisations",
    "region": "regions",
    "cohort": "cohorts",
    "session": "sessions",
    "speaker": "speakers",
    "commitment": "commitments",
    "plan": "plans",
    "deliverable": "deliverables",
}


def _crawl(client) -> dict:
    """Every public object, by (kind, id), from the collections' cursor pages."""
    found = {}
    for kind, path in PATHS.items():
        url, params = f"/api/v1/{path}/", {"page_size": 100}
        while url:
            page = client.get(url, params).json()
            for item in page["results"]:
                found[(kind, str(item["id"]))] = client.get(f"/api/v1/{path}/{item['id']}/").json()
            url, params = page["next"], None
    return found


class Mirror:
    def __init__(self, client):
        self.client = client
        self.cursor = client.get("/api/v1/changes/").json()["next"]
        while (page := client.get("/api/v1/changes/", {"since": self.cursor}).json())["results"]:
            self.cursor = page["next"]
        self.start = int(self.cursor)
        self.objects = _crawl(client)
        self.seen: list[dict] = []

    def follow(self) -> list[dict]:
        changes = []
        while True:
            page = self.client.get("/api/v1/changes/", {"since": self.cursor}).json()
            if not page["results"]:
                break
            for change in page["results"]:
                key = (change["type"], change["id"])
                if change["action"] == "delete":
                    self.objects.pop(key, None)
                else:
                    url = f"/api/v1/{PATHS[change['type']]}/{change['id']}/"
                    self.objects[key] = self.client.get(url).json()
            changes.extend(page["results"])
            self.cursor = page["next"]
        self.seen.extend(changes)
        return changes


@pytest.fixture
def partner(db):
    """A partner's client: it reads with its API key, as the README says."""
    from django.test import Client

    from partners.keys import api_key_issue

    raw = api_key_issue(key=ApiKey(name="Mirror", organisation="ILO"), actor=SYSTEM)
    return Client(headers={"x-api-key": raw})


@pytest.fixture
def loaded(load_content, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_content()
        WebhookEndpoint.objects.create(
            name="Global Care Policy Portal",
            organisation="ILO",
            url="https://partner.example.org/hook",
            secret="s" * 32,
        )


@pytest.fixture
def reviewer(db):
    user = User.objects.create_user("reviewer", password="x" * 16, is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewer"))
    return user


def _last_modified(client, kind, object_id) -> dt.datetime:
    # The header is sent once the second of the last change is over (a date alone must never
    # validate a stale copy): ask again until it is.
    deadline = time.monotonic() + 3
    while True:
        response = client.get(f"/api/v1/{PATHS[kind]}/{object_id}/")
        if "Last-Modified" in response or time.monotonic() > deadline:
            return parsedate_to_datetime(response["Last-Modified"])
        time.sleep(0.2)


def _oai_datestamp(client, identifier) -> str:
    body = client.get(
        "/oai/",
        {
            "verb": "GetRecord",
            "metadataPrefix": "oai_dc",
            "identifier": f"oai:{_oai_host()}:{identifier}",
        },
    ).content.decode()
    return re.search(r"<datestamp>([^<]+)</datestamp>", body).group(1)


def _oai_host() -> str:
    from django.conf import settings

    return settings.SITE_URL.split("://", 1)[1].split("/")[0].split(":")[0]


def test_every_kind_of_write_reaches_the_mirror(
    partner,
    admin_client,
    admin_user,
    loaded,
    reviewer,
    django_capture_on_commit_callbacks,
    settings,
):
    client = partner
    settings.PAGE_CACHE_SECONDS = settings.API_CACHE_SECONDS = 60
    _age_states()  # datestamps are to the second: what changes next is visibly later
    mirror = Mirror(client)
    assert mirror.objects == _crawl(client)

    def step(write) -> list[tuple[str, str, str]]:
        with django_capture_on_commit_callbacks(execute=True):
            write()
        return sorted((c["type"], c["id"], c["action"]) for c in mirror.follow())

    theme = Theme.objects.filter(resources__isnull=False).order_by("pk").first()
    carriers = sorted(theme.resources.published().values_list("identifier", flat=True))
    stamp = _oai_datestamp(client, carriers[0])
    modified = _last_modified(client, "resource", carriers[0])

    # A theme renamed: its resources' OAI subjects change, so they change too.
    theme.name_en = "Care economy and decent work"

    def rename():
        hub_services.theme_save(theme=theme, actor=reviewer)

    changed = step(rename)
    assert changed == sorted(
        [("theme", theme.slug, "upsert")] + [("resource", i, "upsert") for i in carriers]
    )
    assert _oai_datestamp(client, carriers[0]) > stamp
    assert _last_modified(client, "resource", carriers[0]) > modified

    # A theme deleted: its resources silently lose it (the links are cascaded).
    changed = step(lambda: hub_services.theme_delete(theme=theme, actor=admin_user))
    assert ("theme", theme.slug, "delete") in changed
    assert {("resource", i, "upsert") for i in carriers} <= set(changed)

    # An organisation deleted in the admin: speakers SET_NULL, session partner links cascaded.
    organisation = (
        Organisation.objects.filter(
            pk__in=Session.partners.through.objects.values("organisation_id")
        )
        .exclude(published_resources__isnull=False)
        .order_by("pk")
        .first()
    )
    sessions = sorted(
        str(pk) for pk in Session.objects.filter(partners=organisation).values_list("pk", flat=True)
    )
    speakers = sorted(
        Speaker.objects.filter(organisation=organisation).values_list("slug", flat=True)
    )
    assert sessions

    def delete_in_admin():
        response = admin_client.post(
            f"/en/admin/hub/organisation/{organisation.pk}/delete/", {"post": "yes"}
        )
        assert response.status_code == 302

    changed = step(delete_in_admin)
    assert ("organisation", organisation.slug, "delete") in changed
    assert {("session", pk, "upsert") for pk in sessions} <= set(changed)
    assert {("speaker", slug, "upsert") for slug in speakers} <= set(changed)

    # m2m rows added and removed outside any service.
    session = Session.objects.order_by("pk").first()
    partner = Organisation.objects.exclude(pk__in=session.partners.values("pk")).first()
    assert step(lambda: session.partners.add(partner)) == [("session", str(session.pk), "upsert")]
    assert step(lambda: session.partners.remove(partner)) == [
        ("session", str(session.pk), "upsert")
    ]

    # A bulk action in the admin: archive two published resources.
    two = list(Resource.objects.published().order_by("pk").values_list("pk", "identifier")[:2])

    def archive_in_admin():
        response = admin_client.post(
            "/en/admin/hub/resource/",
            {"action": "archive_selected", "_selected_action": [pk for pk, _ in two]},
        )
        assert response.status_code == 302

    changed = step(archive_in_admin)
    assert changed == sorted(("resource", identifier, "delete") for _, identifier in two)

    # History revert in the admin: the resource's earlier title comes back.
    resource = Resource.objects.published().order_by("-pk").first()
    original = resource.title_en
    resource.title_en = f"{original} (draft wording)"
    step(lambda: hub_services.resource_save(resource=resource, actor=reviewer))
    earlier = resource.history.filter(title_en=original).order_by("-history_date").first()
    form = admin_client.get(f"/en/admin/hub/resource/{resource.pk}/history/{earlier.pk}/")
    assert form.status_code == 200
    data = _form_data(form)

    def revert_in_admin():
        url = f"/en/admin/hub/resource/{resource.pk}/history/{earlier.pk}/"
        response = admin_client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors

    assert step(revert_in_admin) == [("resource", resource.identifier, "upsert")]
    assert Resource.objects.get(pk=resource.pk).title_en == original

    # The daily task's QuerySet.update(): commitments become inactive.
    public = list(
        Commitment.objects.filter(published=True, consent_to_publish=True).values_list(
            "pk", flat=True
        )
    )
    step(
        lambda: Commitment.objects.filter(pk__in=public).update(
            created_at=timezone.now() - dt.timedelta(days=400), inactive=False
        )
    )
    changed = step(lambda: learning_services.commitments_mark_inactive(actor=SCHEDULER))
    assert changed == sorted(("commitment", str(pk), "upsert") for pk in public)

    # What public pages show beyond the API's fields until now: a session's materials (and a
    # material withdrawn), a cohort's partners, a report's evidence; a resource's cooperation
    # countries and the plan's source link are API fields too.
    material = Resource.objects.published().order_by("pk").first()
    page = f"/en/learning/{session.cohort.slug}/{session.slug}/"
    assert material.title_en not in client.get(page).content.decode()  # now in the page cache
    assert step(
        lambda: learning_services.session_save(
            session=session, actor=admin_user, links={"materials": [material]}
        )
    ) == [("session", str(session.pk), "upsert")]
    assert material.title_en in client.get(page).content.decode()
    assert step(lambda: hub_services.resource_archive(resource=material, actor=reviewer)) == [
        ("resource", material.identifier, "delete"),
        ("session", str(session.pk), "upsert"),
    ]
    assert material.title_en not in client.get(page).content.decode()
    cohort = session.cohort
    assert step(
        lambda: learning_services.save_object(
            obj=cohort, actor=admin_user, links={"partners": [partner]}
        )
    ) == [("cohort", cohort.slug, "upsert")]
    cooperating = Resource.objects.published().order_by("pk").first()
    cooperating.providing_countries, cooperating.receiving_countries = ["BR"], ["MZ", "AO"]
    assert step(lambda: hub_services.resource_save(resource=cooperating, actor=reviewer)) == [
        ("resource", cooperating.identifier, "upsert")
    ]
    plan = Plan.objects.get()
    plan.source_url = "https://www.ilo.org/resource/gb/346/strategy"
    assert step(lambda: actionplan_services.save_object(obj=plan, actor=admin_user)) == [
        ("plan", plan.slug, "upsert")
    ]
    deliverable = Deliverable.objects.order_by("pk").first()
    report = ProgressReport(deliverable=deliverable, year=2025, status="on_track")
    step(lambda: actionplan_services.progress_report_save(report=report, actor=admin_user))
    evidence = Resource.objects.published().order_by("-pk").first()
    assert step(
        lambda: actionplan_services.progress_report_save(
            report=report, actor=admin_user, evidence=[evidence]
        )
    ) == [("deliverable", str(deliverable.pk), "upsert"), ("plan", plan.slug, "upsert")]

    # Raw SQL around every service and signal: recorded by the next read of the feed at the latest.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE hub_theme SET name_en = name_en || ' (raw)' WHERE id = %s",
            [Theme.objects.order_by("pk").first().pk],
        )
    cache.clear()  # the API's answer cache: the beat sweep would start a new version
    assert mirror.follow()

    # A save that changes nothing public emits nothing.
    resource.refresh_from_db()
    assert step(lambda: hub_services.resource_save(resource=resource, actor=reviewer)) == []

    fresh = _crawl(client)
    assert set(mirror.objects) == set(fresh)
    differing = {
        key: {
            f: (mirror.objects[key][f], fresh[key][f])
            for f in fresh[key]
            if mirror.objects[key].get(f) != fresh[key][f]
        }
        for key in fresh
        if mirror.objects[key] != fresh[key]
    }
    assert not differing
    # Every change reached the webhook endpoint, once.
    changes = list(
        ChangeEvent.objects.filter(pk__gt=mirror.start).order_by("pk").values_list("pk", flat=True)
    )
    assert len(changes) == len(mirror.seen) > 20
    hooks = list(
        WebhookEvent.objects.filter(cursor__gt=mirror.start)
        .order_by("cursor")
        .values_list("cursor", flat=True)
    )
    assert hooks == changes
    assert not CapturedRow.objects.exists()


def _age_states() -> None:
    """Move every public timestamp a second back, so that a change now is visibly later."""
    from partners.models import PublicState

    PublicState.objects.update(updated_at=timezone.now() - dt.timedelta(seconds=2))


def _form_data(response) -> dict:
    """The fields of the admin form in `response`, as a browser would post them."""
    html = response.content.decode()
    data: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) in {"checkbox", "radio"} and "checked" not in tag:
            continue
        if kind and kind.group(1) in {"submit", "file"}:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data.setdefault(name.group(1), []).append(_unescape(value.group(1)) if value else "")
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = [_unescape(body)]
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        data[name] = [
            _unescape(v) for v in re.findall(r'<option value="([^"]*)"[^>]*selected', options)
        ]
    return {k: v if len(v) != 1 else v[0] for k, v in data.items()}


def _unescape(text: str) -> str:
    import html

    return html.unescape(text.strip("\n"))


def test_private_writes_leave_the_content_version(
    cohort, reviewer, django_capture_on_commit_callbacks
):
    from learning.models import Application, SentEmail
    from partners.models import WebhookAttempt, WebhookDelivery

    endpoint = WebhookEndpoint.objects.create(
        name="Partner", organisation="ILO", url="https://partner.example.org/h", secret="s" * 32
    )
    version = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        ApiKey.objects.create(
            name="Mirror", organisation="ILO", prefix="s4c_abcdefgh", key_hash="1" * 64
        )
        endpoint.name = "Partner portal"
        endpoint.save()
        application = learning_services.application_submit(
            cohort=cohort,
            data=dict(APPLICANT),
            language="en",
            actor=AnonymousUser(),
        )
        learning_services.sign_in_link_issue(application=application, actor=MAILER)
        SentEmail.objects.create(
            kind=SentEmail.Kind.ACKNOWLEDGEMENT,
            application=application,
            recipient="amina@example.org",
            subject="Hello",
            key="private-write-test",
        )
        change = ChangeEvent.objects.create(
            kind="resource", object_id="x", action="upsert", changed_at=timezone.now()
        )
        event = WebhookEvent.objects.create(
            id=__import__("uuid").uuid4(),
            kind="resource",
            object_id="x",
            action="upsert",
            changed_at=timezone.now(),
            cursor=change.pk,
        )
        delivery = WebhookDelivery.objects.create(event=event, endpoint=endpoint)
        WebhookAttempt.objects.create(
            delivery=delivery, number=1, attempted_at=timezone.now(), duration_ms=3
        )
        Application.objects.filter(pk=application.pk).update(status=Application.Status.ACCEPTED)
    assert content_version() == version
    assert not CapturedRow.objects.exists()

    # The same test sees a public write move it.
    with django_capture_on_commit_callbacks(execute=True):
        cohort.name_en = "Learning Hub 2027"
        cohort.save()
    assert content_version() != version


@pytest.fixture
def cohort(db, django_capture_on_commit_callbacks):
    from learning.models import Cohort

    with django_capture_on_commit_callbacks(execute=True):
        return Cohort.objects.create(
            slug="lh-private",
            name_en="Learning Hub",
            year=2027,
            status=Cohort.Status.OPEN,
            capacity=5,
            applications_open_at=timezone.now() - dt.timedelta(days=1),
            applications_close_at=timezone.now() + dt.timedelta(days=30),
        )
