import pytest
from django.contrib.auth.models import AnonymousUser, Group, User

from core.errors import DomainError
from core.permissions import MAILER, SCHEDULER, SYSTEM
from learning import services
from learning.models import Application, Session

from .conftest import APPLICANT, make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(db):
    user = User.objects.create_user("coordinator", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Learning coordinator"))
    return user


def test_only_coordinators_decide_on_applications(cohort, coordinator):
    application = make_application(cohort, "p@example.org")
    outsider = User.objects.create_user("outsider", password="x", is_staff=True)
    with pytest.raises(DomainError, match="permission"):
        services.application_decide(application=application, status="accepted", actor=outsider)
    assert Application.objects.get().status == "submitted"
    services.application_decide(application=application, status="accepted", actor=coordinator)
    assert Application.objects.get().status == "accepted"


def test_applicants_act_as_themselves_and_only_the_mailer_writes_to_them(cohort):
    """The public forms' services take the visitor as their actor: a job cannot apply or sign in
    on someone's behalf, a visitor's request cannot send e-mails or mint links, and a call that
    forgot its actor fails instead of skipping the checks."""
    data = dict(APPLICANT)
    with pytest.raises(DomainError, match="permission"):
        services.application_submit(cohort=cohort, data=data, language="en", actor=SCHEDULER)
    with pytest.raises(TypeError, match="actor"):
        services.application_submit(cohort=cohort, data=data, language="en", actor=None)
    assert not Application.objects.exists()
    application = services.application_submit(
        cohort=cohort, data=data, language="en", actor=AnonymousUser()
    )
    assert application.email == "amina@example.org"

    with pytest.raises(DomainError, match="permission"):
        services.sign_in_link_issue(application=application, actor=AnonymousUser())
    with pytest.raises(DomainError, match="permission"):
        services.email_send_once(
            key="k",
            kind="sign_in",
            application=application,
            subject="s",
            body="b",
            actor=AnonymousUser(),
        )
    assert not application.sign_in_tokens.exists()
    token = services.sign_in_link_issue(application=application, actor=MAILER)
    with pytest.raises(DomainError, match="permission"):
        services.sign_in_link_use(token=token, actor=SYSTEM)
    assert services.sign_in_link_use(token=token, actor=AnonymousUser()) == application


def test_the_coordinator_group_cannot_delete(coordinator):
    assert coordinator.has_perm("learning.change_application")
    assert not coordinator.has_perm("learning.delete_application")
    assert not coordinator.has_perm("learning.delete_cohort")


def test_self_service_needs_a_sign_in_link(client, cohort):
    response = client.get("/en/learning/me/")
    assert response.status_code == 302
    assert response["Location"] == "/en/learning/sign-in/"


def test_admin_pages_and_csv_export_are_for_staff_only(client, cohort, coordinator):
    make_application(cohort, "amina@example.org")
    anonymous = client.get("/en/admin/learning/application/")
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]
    client.force_login(coordinator)
    response = client.post(
        "/en/admin/learning/application/",
        {"action": "export_csv", "_selected_action": [Application.objects.get().pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = response.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("cohort,name,email,country")
    assert rows[1].startswith(
        "lh-test,Amina Haddad,amina@example.org,JO,Ministry of Labour,government"
    )


def test_cohort_admin_shows_the_balance_of_accepted_participants(client, cohort, coordinator):
    for i, (country, group) in enumerate(
        [("JO", "government"), ("BR", "workers"), ("BR", "government")]
    ):
        application = make_application(
            cohort, f"p{i}@example.org", country=country, constituency=group
        )
        Application.objects.filter(pk=application.pk).update(status="accepted")
    make_application(cohort, "waiting@example.org", country="QA", constituency="employers")
    client.force_login(coordinator)
    html = client.get(f"/en/admin/learning/cohort/{cohort.pk}/change/").content.decode()
    assert "Constituency · Government: <strong>2</strong>" in html
    assert "Constituency · Workers&#x27; organisation: <strong>1</strong>" in html
    assert (
        "Employers" not in html.split("Balance of accepted participants")[1].split("</fieldset>")[0]
    )


def test_a_changed_session_gets_a_higher_sequence(timed_session, coordinator):
    session = Session.objects.get(pk=timed_session.pk)
    session.title_ar = "جلسة عامة معدّلة"
    services.session_save(session=session, actor=coordinator)
    assert Session.objects.get(pk=session.pk).sequence == 1
    services.session_save(session=Session.objects.get(pk=session.pk), actor=coordinator)
    assert Session.objects.get(pk=session.pk).sequence == 1  # nothing a calendar shows changed


def test_coordinators_choose_published_materials_without_seeing_drafts(
    client, timed_session, coordinator
):
    from hub import services as hub_services
    from hub.models import Resource

    def resource(title, *, publish):
        item = Resource(title_en=title, resource_type="training", publication_year=2025)
        hub_services.resource_save(resource=item, actor=SYSTEM)
        if publish:
            hub_services.resource_publish(resource=item, actor=SYSTEM)
        return item

    published = resource("Care financing toolkit", publish=True)
    draft = resource("Care financing notes", publish=False)
    archived = resource("Care financing slides", publish=True)
    timed_session.materials.set([archived])
    hub_services.resource_archive(resource=archived, actor=SYSTEM)
    assert not coordinator.has_perm("hub.view_resource")
    client.force_login(coordinator)

    assert client.get("/en/admin/hub/resource/").status_code == 403
    assert client.get(f"/en/admin/hub/resource/{draft.pk}/change/").status_code == 403
    found = client.get(
        "/en/admin/autocomplete/",
        {
            "app_label": "learning",
            "model_name": "session",
            "field_name": "materials",
            "term": "care",
        },
    ).json()["results"]
    assert [r["id"] for r in found] == [str(published.pk)]
    # The form takes published resources and keeps the archived one the session already has.
    page = client.get(f"/en/admin/learning/session/{timed_session.pk}/change/")
    choices = page.context["adminform"].form.fields["materials"].queryset
    assert set(choices) == {published, archived}
