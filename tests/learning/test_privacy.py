import datetime as dt
import io
import json
from collections import Counter

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.errors import DomainError
from core.models import OutboxTask
from core.permissions import MAILER, SYSTEM
from learning import privacy, services, tasks
from learning.models import (
    Application,
    Attendance,
    Cohort,
    Commitment,
    DeletedApplication,
    ErasureRecord,
    Phase,
    ProgressUpdate,
    SentEmail,
    Session,
    SignInToken,
)

from .conftest import make_application

pytestmark = pytest.mark.django_db

# Strings that exist only in Layla's personal data: none may survive her erasure anywhere.
LAYLA = {
    "name": "Layla Zaytouni",
    "organisation": "Zaytouni Care Cooperative",
    "working_languages": "Arabic, French",
    "motivation": "Quinoaberry motivation: care cooperatives in my district.",
}
LAYLA_STRINGS = ["layla@example.org", "Layla Zaytouni", "Zaytouni Care", "Quinoaberry"]


@pytest.fixture
def coordinator(db):
    user = User.objects.create_user("coordinator", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Learning coordinator"))
    return user


@pytest.fixture
def second_cohort(db):
    return Cohort.objects.create(slug="lh-second", name_en="Second cohort", year=2028)


@pytest.fixture
def session(cohort):
    return Session.objects.create(
        cohort=cohort,
        phase=cohort.phases.get(),
        slug="plenary",
        title_en="Plenary on care financing",
        title_ar="جلسة عامة عن تمويل الرعاية",
        kind="plenary",
        date=dt.date(2027, 9, 16),
    )


@pytest.fixture
def layla(cohort, second_cohort, session):
    """Layla applied to two cohorts, made a commitment, attended, got e-mails and a link."""
    first = make_application(cohort, "layla@example.org", **LAYLA, status="accepted")
    second = make_application(second_cohort, "Layla@Example.org", **LAYLA, country="LB")
    commitment = Commitment.objects.create(
        cohort=cohort,
        owner=first,
        country="JO",
        text_en="Jordan will count unpaid care work in its time-use survey.",
        lever="recognise",
        consent_to_publish=True,
        published=True,
    )
    commitment.light = "delayed"
    commitment.save()  # more history rows, each copying the owner
    services.progress_update_add(
        commitment=commitment,
        actor=first,
        light="delayed",
        text="The survey moved to next year.",
        language="en",
    )
    Attendance.objects.create(application=first, session=session, attended=True)
    services.sign_in_link_issue(application=first, actor=MAILER)
    tasks.send_acknowledgement(application_id=first.pk)
    # Queued, not yet sent: a sign-in link, a reminder, and a task that copied the address.
    OutboxTask.objects.create(
        task_name="learning.send_sign_in_link",
        kwargs={"application_id": second.pk, "language": "ar"},
    )
    OutboxTask.objects.create(
        task_name="learning.send_commitment_reminder", kwargs={"commitment_id": commitment.pk}
    )
    OutboxTask.objects.create(task_name="s4c.ping", kwargs={"value": 1, "to": "LAYLA@example.org"})
    return first, second, commitment


@pytest.fixture
def omar(cohort):
    omar = make_application(cohort, "omar@example.org", name="Omar Khalil", country="EG")
    OutboxTask.objects.create(
        task_name="learning.send_sign_in_link", kwargs={"application_id": omar.pk, "language": "en"}
    )
    return omar


def _dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def test_erase_removes_the_person_from_live_tables_history_and_outbox(layla, omar, coordinator):
    first, second, commitment = layla
    history = commitment.history.model
    assert set(history.objects.values_list("owner_id", flat=True)) == {first.pk}
    dump = _dump()
    assert all(s.lower() in dump.lower() for s in LAYLA_STRINGS)  # the check below can fail

    record = privacy.person_erase(email=" LAYLA@example.org ", actor=coordinator)

    dump = _dump().lower()
    assert [s for s in LAYLA_STRINGS if s.lower() in dump] == []
    erased = list(
        Application.objects.filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
        .values("name", "email", "organisation", "working_languages", "motivation", "country")
    )
    assert erased == [
        {
            "name": "",
            "email": f"erased-{first.pk}@erased.invalid",
            "organisation": "",
            "working_languages": "",
            "motivation": "",
            "country": "JO",
        },
        {
            "name": "",
            "email": f"erased-{second.pk}@erased.invalid",
            "organisation": "",
            "working_languages": "",
            "motivation": "",
            "country": "LB",
        },
    ]
    first.refresh_from_db()
    assert (first.status, first.constituency, first.erased_at) == (
        "accepted",
        "government",
        record.erased_at,
    )
    assert SignInToken.objects.count() == 0
    assert list(SentEmail.objects.values_list("kind", "recipient")) == [("acknowledgement", "")]
    commitment.refresh_from_db()
    assert commitment.owner_id is None
    assert commitment.published
    assert set(history.objects.values_list("owner_id", flat=True)) == {None}
    assert Attendance.objects.get().application_id == first.pk  # attendance counts stay
    assert list(OutboxTask.objects.values_list("task_name", "kwargs")) == [
        ("learning.send_sign_in_link", {"application_id": omar.pk, "language": "en"})
    ]
    # Omar is untouched.
    omar.refresh_from_db()
    assert (omar.name, omar.email, omar.erased_at) == ("Omar Khalil", "omar@example.org", None)
    # The audit record: who, when, what, and a hash instead of the address.
    assert ErasureRecord.objects.get() == record
    assert record.actor == coordinator
    assert record.reason == "request"
    assert record.subject_hash == privacy.subject_hash("layla@example.org")
    assert len(record.subject_hash) == 64
    assert record.counts == {
        "applications": 2,
        "outbox_tasks": 3,
        "sign_in_links": 1,
        "emails": 1,
        "commitments": 1,
        "history_rows": 3,
        "admin_log_entries": 0,
    }


def test_erased_person_gets_no_more_emails_and_loses_the_self_service(client, layla):
    first, _second, commitment = layla
    client.post(
        f"/en/learning/sign-in/{services.sign_in_link_issue(application=first, actor=MAILER)}/"
    )
    assert client.get("/en/learning/me/").status_code == 200
    privacy.person_erase(email="layla@example.org", actor=SYSTEM)
    mail.outbox.clear()
    Commitment.objects.filter(pk=commitment.pk).update(owner=first)  # even if relinked
    assert tasks.send_commitment_reminder(commitment_id=commitment.pk) is False
    assert tasks.send_sign_in_link(application_id=first.pk, language="en") is False
    assert mail.outbox == []
    assert client.get("/en/learning/me/").status_code == 302


def test_erase_person_command_and_a_second_erasure(layla):
    out = io.StringIO()
    call_command("erase_person", "--email", "layla@example.org", stdout=out)
    record = ErasureRecord.objects.get()
    assert out.getvalue() == (
        f"Erasure record {record.pk} ({record.subject_hash[:12]}…): admin_log_entries: 0, "
        "applications: 2, commitments: 1, emails: 1, history_rows: 3, outbox_tasks: 3, sign_in_links: 1.\n"
    )
    assert record.actor is None
    call_command("erase_person", "--email", "layla@example.org", stdout=io.StringIO())
    assert list(ErasureRecord.objects.order_by("pk").values_list("counts", flat=True)) == [
        record.counts,
        {"applications": 0},
    ]


def test_only_coordinators_and_superusers_may_erase(layla):
    outsider = User.objects.create_user("outsider", password="x", is_staff=True)
    with pytest.raises(DomainError, match="permission"):
        privacy.person_erase(email="layla@example.org", actor=outsider)
    with pytest.raises(DomainError, match="permission"):
        privacy.person_export(email="layla@example.org", actor=outsider)
    assert Application.objects.filter(erased_at__isnull=False).count() == 0
    superuser = User.objects.create_superuser("root", password="x")
    privacy.person_erase(email="layla@example.org", actor=superuser)
    assert Application.objects.filter(erased_at__isnull=False).count() == 2


def test_admin_action_asks_for_confirmation_then_erases(client, layla, omar, coordinator):
    first, second, _commitment = layla
    client.force_login(coordinator)
    url = "/en/admin/learning/application/"
    ask = client.post(url, {"action": "erase_personal_data", "_selected_action": [first.pk]})
    assert ask.status_code == 200
    assert "layla@example.org" in ask.content.decode()
    ask_ar = client.post(
        "/ar/admin/learning/application/",
        {"action": "erase_personal_data", "_selected_action": [first.pk, second.pk]},
    ).content.decode()
    assert "ستُمحى البيانات الشخصية لهذا الشخص في كل مكان" in ask_ar  # one person, two rows
    assert Application.objects.filter(erased_at__isnull=False).count() == 0
    done = client.post(
        url, {"action": "erase_personal_data", "_selected_action": [first.pk], "confirm": "yes"}
    )
    assert done.status_code == 302
    # Every application of the person is erased, not only the selected one; Omar's is not.
    assert set(
        Application.objects.filter(erased_at__isnull=False).values_list("pk", flat=True)
    ) == {
        first.pk,
        second.pk,
    }
    assert ErasureRecord.objects.get().actor == coordinator
    # Staff without the permission do not get the action.
    outsider = User.objects.create_user("outsider", password="x", is_staff=True)
    outsider.user_permissions.add(
        *User._meta.get_field("user_permissions").related_model.objects.filter(
            codename__in=["view_application", "change_application"]
        )
    )
    client.force_login(outsider)
    page = client.get(url).content.decode()
    assert 'value="export_csv"' in page
    assert 'value="erase_personal_data"' not in page


def test_export_contains_exactly_the_persons_data(layla, omar, tmp_path):
    first, second, commitment = layla
    Commitment.objects.create(cohort=first.cohort, owner=omar, country="EG", text_en="Omar's")
    first.refresh_from_db()
    update = ProgressUpdate.objects.get()
    token = SignInToken.objects.get()
    sent = SentEmail.objects.get()
    commitment.refresh_from_db()
    attendance = Attendance.objects.get()

    data = privacy.person_export(email="LAYLA@example.org", actor=SYSTEM)

    assert data.pop("exported_at")
    assert data == {
        "format": "s4c.person-export/1",
        "email": "layla@example.org",
        "applications": [
            {
                "id": first.pk,
                "cohort": {"slug": "lh-test", "name": "Learning Hub test"},
                "name": "Layla Zaytouni",
                "email": "layla@example.org",
                "country": "JO",
                "organisation": "Zaytouni Care Cooperative",
                "constituency": "government",
                "working_languages": "Arabic, French",
                "motivation": LAYLA["motivation"],
                "language": "en",
                "status": "accepted",
                "submitted_at": first.submitted_at.isoformat(),
                "decided_at": None,
                "acknowledged_at": first.acknowledged_at.isoformat(),
                "attendance": [
                    {
                        "session": "plenary",
                        "title": {
                            "en": "Plenary on care financing",
                            "ar": "جلسة عامة عن تمويل الرعاية",
                        },
                        "date": "2027-09-16",
                        "attended": True,
                        "recorded_at": attendance.recorded_at.isoformat(),
                    }
                ],
                "sign_in_links": [{"expires_at": token.expires_at.isoformat(), "used_at": None}],
                "commitments": [
                    {
                        "id": commitment.pk,
                        "country": "JO",
                        "lever": "recognise",
                        "text": {
                            "en": "Jordan will count unpaid care work in its time-use survey.",
                            "ar": "",
                        },
                        "deliverable": {"en": "", "ar": ""},
                        "target_date": None,
                        "status": "delayed",
                        "consent_to_publish": True,
                        "published": True,
                        "created_at": commitment.created_at.isoformat(),
                        "updated_at": commitment.updated_at.isoformat(),
                        "progress_updates": [
                            {
                                "date": update.date.isoformat(),
                                "status": "delayed",
                                "text": {"en": "The survey moved to next year.", "ar": ""},
                                "created_at": update.created_at.isoformat(),
                            }
                        ],
                    }
                ],
            },
            {
                "id": second.pk,
                "cohort": {"slug": "lh-second", "name": "Second cohort"},
                "name": "Layla Zaytouni",
                "email": "Layla@Example.org",  # as held: found whatever the case
                "country": "LB",
                "organisation": "Zaytouni Care Cooperative",
                "constituency": "government",
                "working_languages": "Arabic, French",
                "motivation": LAYLA["motivation"],
                "language": "en",
                "status": "submitted",
                "submitted_at": second.submitted_at.isoformat(),
                "decided_at": None,
                "acknowledged_at": None,
                "attendance": [],
                "sign_in_links": [],
                "commitments": [],
            },
        ],
        "emails": [
            {
                "kind": "acknowledgement",
                "recipient": "layla@example.org",
                "subject": "We received your application to Learning Hub test",
                "sent_at": sent.sent_at.isoformat(),
            }
        ],
    }
    assert "omar" not in json.dumps(data).lower()

    output = tmp_path / "layla.json"
    call_command(
        "export_person",
        "--email",
        "layla@example.org",
        "--output",
        str(output),
        stderr=io.StringIO(),
    )
    written = json.loads(output.read_text(encoding="utf-8"))
    assert written.pop("exported_at")
    assert written == data
    assert privacy.person_export(email="nobody@example.org", actor=SYSTEM)["applications"] == []


def _cohort_ended(slug: str, last_day: dt.date) -> Cohort:
    cohort = Cohort.objects.create(slug=slug, name_en=slug, year=last_day.year)
    Phase.objects.create(
        cohort=cohort,
        name_en="Phase",
        mode="online",
        start_date=last_day - dt.timedelta(days=3),
        end_date=last_day,
    )
    return cohort


def _statistics() -> Counter:
    return Counter(Application.objects.values_list("cohort__slug", "country", "status"))


@pytest.mark.parametrize("days", [730, 100])
def test_retention_erases_only_applicants_of_cohorts_ended_long_ago(settings, days):
    settings.APPLICANT_DATA_RETENTION_DAYS = days
    today = timezone.now().date()
    old = _cohort_ended("old", today - dt.timedelta(days=days + 1))
    edge = _cohort_ended("edge", today - dt.timedelta(days=days))  # not yet past the period
    no_phase = Cohort.objects.create(
        slug="no-phase",
        name_en="closed long ago",
        year=2020,
        applications_close_at=timezone.now() - dt.timedelta(days=days + 2),
    )
    for i, (cohort, country, status) in enumerate(
        [
            (old, "JO", "completed"),
            (old, "JO", "declined"),
            (old, "EG", "completed"),
            (no_phase, "QA", "accepted"),
            (edge, "JO", "accepted"),
            (edge, "LB", "submitted"),
        ]
    ):
        make_application(cohort, f"p{i}@example.org", country=country, status=status)
    before = _statistics()

    out = io.StringIO()
    call_command("erase_expired_applicants", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        f"no-phase (ended {(timezone.now() - dt.timedelta(days=days + 2)).date()}): "
        "1 application(s)",
        f"old (ended {today - dt.timedelta(days=days + 1)}): 3 application(s)",
        f"Dry run: 4 application(s) would be erased (> {days} days).",
    ]
    assert Application.objects.filter(erased_at__isnull=False).count() == 0

    assert tasks.erase_expired_applicants() == 4  # the beat task
    erased = Application.objects.filter(erased_at__isnull=False)
    assert sorted(erased.values_list("email", flat=True)) == sorted(
        f"erased-{pk}@erased.invalid" for pk in erased.values_list("pk", flat=True)
    )
    assert set(erased.values_list("cohort__slug", flat=True)) == {"old", "no-phase"}
    assert sorted(
        Application.objects.filter(erased_at__isnull=True).values_list("email", flat=True)
    ) == ["p4@example.org", "p5@example.org"]
    assert _statistics() == before  # counts per cohort, country and status still add up
    assert (
        list(ErasureRecord.objects.values_list("reason", "counts"))
        == [("retention", {"applications": 1})] * 4
    )
    assert set(ErasureRecord.objects.values_list("subject_hash", flat=True)) == {
        privacy.subject_hash(f"p{i}@example.org") for i in range(4)
    }
    assert tasks.erase_expired_applicants() == 0  # safe to run twice


def test_public_pages_and_api_never_show_applicant_personal_data(client, layla, omar):
    _first, _second, commitment = layla
    secret = [*LAYLA_STRINGS, "omar@example.org", "Omar Khalil", "Ministry of Labour"]
    pages = [
        "/en/learning/",
        "/ar/learning/",
        "/en/learning/lh-test/",
        "/ar/learning/lh-test/",
        "/en/learning/commitments/",
        "/ar/learning/commitments/",
        "/en/learning/speakers/",
        "/en/learning/lh-test/plenary/",
        "/en/learning/lh-test/calendar.ics",
        "/en/learning/lh-test/plenary/calendar.ics",
        "/api/v1/cohorts/",
        "/api/v1/cohorts/lh-test/",
        "/api/v1/sessions/",
        "/api/v1/commitments/",
        f"/api/v1/commitments/{commitment.pk}/",
        "/api/v1/changes/",
        "/api/v1/schema/",
        "/sitemap.xml",
        "/en/",
    ]
    bodies = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.content.decode()
    leaks = [(url, s) for url, body in bodies.items() for s in secret if s.lower() in body.lower()]
    assert leaks == []
    # The pages did show the cohort's public content (so the check above had something to read).
    assert "Jordan will count unpaid care work" in bodies["/en/learning/commitments/"]
    assert "Jordan will count unpaid care work" in bodies["/api/v1/commitments/"]
    assert "Plenary on care financing" in bodies["/en/learning/lh-test/"]
    assert "BEGIN:VCALENDAR" in bodies["/en/learning/lh-test/calendar.ics"]


def test_erase_removes_the_name_from_the_admin_log_and_history_reasons(layla, omar, coordinator):
    """The admin's "Recent actions" and object history keep what was changed by name; a history
    row's reason is free text. After erasure none of them names the person."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.admin.options import get_content_type_for_model

    first, _second, commitment = layla
    attendance = Attendance.objects.get(application=first)
    admin = User.objects.create_superuser("admin", "admin@example.org", "x")
    # What the admin writes when an application is changed, and when a page with an inline row
    # naming the person is saved (Django's own change-message shape).
    for obj, message in [
        (first, [{"changed": {"fields": ["Status"]}}]),
        (attendance, []),
        (omar, [{"changed": {"fields": ["Status"]}}]),
        (
            attendance.session,
            [{"added": {"name": "attendance", "object": str(attendance)}}],
        ),
    ]:
        LogEntry.objects.log_actions(
            user_id=admin.pk, queryset=[obj], action_flag=CHANGE, change_message=message
        )
    commitment.history.filter(history_type="~").update(
        history_change_reason="Reworded at the request of Layla Zaytouni"
    )
    assert "Layla Zaytouni" in _dump()

    record = privacy.person_erase(email="layla@example.org", actor=coordinator)

    assert "zaytouni" not in _dump().lower()

    def entry(obj):
        return LogEntry.objects.get(
            content_type=get_content_type_for_model(obj), object_id=str(obj.pk)
        )

    assert entry(first).object_repr == entry(attendance).object_repr == "[erased]"
    assert entry(omar).object_repr == str(omar)  # Omar's entry is untouched
    session_entry = entry(attendance.session)
    assert "[erased] · " in session_entry.get_change_message()
    assert set(
        commitment.history.exclude(history_change_reason=None).values_list(
            "history_change_reason", flat=True
        )
    ) == {"Reworded at the request of [erased]"}
    assert record.counts["admin_log_entries"] == 3


def test_erase_after_the_applications_were_deleted_in_the_admin(layla, omar, coordinator, client):
    """Deleting an application in the admin leaves its name in the action log (the deletion's
    own entry, earlier changes, an inline attendance in a session's page); an erasure of the
    address afterwards finds and scrubs them, though no application row is left."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.admin.options import get_content_type_for_model

    first, second, commitment = layla
    attendance = Attendance.objects.get(application=first)
    admin = User.objects.create_superuser("admin", "admin@example.org", "x")
    for obj, message in [
        (first, [{"changed": {"fields": ["Status"]}}]),
        (attendance, []),
        (omar, [{"changed": {"fields": ["Status"]}}]),
        (attendance.session, [{"added": {"name": "attendance", "object": str(attendance)}}]),
    ]:
        LogEntry.objects.log_actions(
            user_id=admin.pk, queryset=[obj], action_flag=CHANGE, change_message=message
        )
    commitment.history.filter(history_type="~").update(
        history_change_reason="Reworded at the request of Layla Zaytouni"
    )
    client.force_login(admin)
    for application in (first, second):
        url = f"/en/admin/learning/application/{application.pk}/delete/"
        assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Application.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert "Layla Zaytouni" in _dump()  # what the deletion left behind

    out = io.StringIO()
    call_command("erase_person", "--email", "Layla@example.org", stdout=out)

    assert "zaytouni" not in _dump().lower()
    assert "applications: 0" in out.getvalue()
    assert "deleted_applications: 2" in out.getvalue()
    content_type = get_content_type_for_model(Application)
    for application in (first, second):
        reprs = set(
            LogEntry.objects.filter(
                content_type=content_type, object_id=str(application.pk)
            ).values_list("object_repr", flat=True)
        )
        assert reprs == {"[erased]"}
    assert LogEntry.objects.get(
        content_type=content_type, object_id=str(omar.pk)
    ).object_repr == str(omar)  # Omar's entry is untouched
    assert set(
        commitment.history.exclude(history_change_reason=None).values_list(
            "history_change_reason", flat=True
        )
    ) == {"Reworded at the request of [erased]"}
    assert set(commitment.history.values_list("owner_id", flat=True)) == {None}
    assert not DeletedApplication.objects.exists()  # used: nothing left to key on
    # Omar deleted and never erased: his trace stays for a later erasure.
    omar_id = omar.pk
    services.delete_object(obj=omar, actor=admin)
    assert DeletedApplication.objects.get().application_id == omar_id


def test_a_name_given_to_the_erasure_scrubs_traces_of_deletions_it_could_not_know(
    layla, omar, coordinator
):
    """Applications deleted before deletions were recorded: the operator names the person."""
    from django.contrib.admin.models import DELETION, LogEntry

    first, second, _commitment = layla
    admin = User.objects.create_superuser("admin", "admin@example.org", "x")
    LogEntry.objects.log_actions(
        user_id=admin.pk, queryset=[first, omar], action_flag=DELETION, change_message=""
    )
    Application.objects.filter(pk__in=[first.pk, second.pk]).delete()
    DeletedApplication.objects.all().delete()  # as in a database from before the change
    out = io.StringIO()
    call_command("erase_person", "--email", "layla@example.org", stdout=out)
    assert "Layla Zaytouni" in _dump()  # nothing tied the entry to the address
    call_command(
        "erase_person", "--email", "layla@example.org", "--name", "Layla Zaytouni", stdout=out
    )
    assert "zaytouni" not in _dump().lower()
    assert LogEntry.objects.filter(object_repr=str(omar)).exists()
