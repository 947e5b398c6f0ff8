import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from core.errors import DomainError
from core.permissions import MAILER, SYSTEM
from learning import services
from learning.models import Application, Commitment, ProgressUpdate

from .conftest import APPLICANT, make_application

pytestmark = pytest.mark.django_db

FORM = APPLICANT


def test_applying_sends_an_acknowledgement_in_the_applicants_language(
    client, cohort, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ar/learning/lh-test/apply/", FORM)
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.language, application.email) == ("ar", "amina@example.org")
    [message] = mail.outbox
    assert message.to == ["amina@example.org"]
    assert message.subject == "استلمنا طلبك إلى مركز التعلم التجريبي"
    assert "حضرة Amina Haddad" in message.body
    assert Application.objects.get().acknowledged_at is not None


@pytest.mark.parametrize(
    ("language", "subject", "needle"),
    [
        ("en", "Your application to Learning Hub test", "We already have an application"),
        ("ar", "طلبك إلى مركز التعلم التجريبي", "لدينا بالفعل طلب"),
    ],
)
def test_a_second_application_answers_as_a_first_and_tells_the_address_owner(
    client, cohort, language, subject, needle, django_capture_on_commit_callbacks, eager_tasks
):
    """Answering "already submitted" would tell anyone who has applied: the answer is the same
    as for a new address, and the owner of the address learns by e-mail that the first stands."""
    make_application(cohort, "amina@example.org", name="Amina First")
    with django_capture_on_commit_callbacks(execute=True):
        repeated = client.post(
            f"/{language}/learning/lh-test/apply/",
            {**FORM, "email": "AMINA@example.org", "name": "Someone Else"},
        )
        new = client.post(
            f"/{language}/learning/lh-test/apply/", {**FORM, "email": "b@example.org"}
        )
    assert (repeated.status_code, repeated["Location"]) == (new.status_code, new["Location"])
    assert Application.objects.filter(email="amina@example.org").get().name == "Amina First"
    notice = next(m for m in mail.outbox if m.to == ["amina@example.org"])
    assert notice.subject == subject
    assert needle in notice.body
    assert "Someone Else" not in notice.body


@pytest.mark.parametrize(
    ("language", "needle"), [("en", "This field is required."), ("ar", "هذا الحقل مطلوب")]
)
def test_validation_errors_speak_the_page_language(client, cohort, language, needle):
    response = client.post(f"/{language}/learning/lh-test/apply/", {"email": "not-an-email"})
    assert response.status_code == 400
    assert needle in response.content.decode()


def test_honeypot(client, cohort):
    response = client.post(
        "/en/learning/lh-test/apply/", {**FORM, "website": "http://spam.example"}
    )
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_applications_only_while_the_window_is_open(client, cohort):
    cohort.applications_close_at = timezone.now() - dt.timedelta(minutes=1)
    cohort.save()
    response = client.post("/en/learning/lh-test/apply/", FORM)
    assert "Applications to Learning Hub test are not open." in response.content.decode()
    assert not Application.objects.exists()


def test_capacity_is_enforced(cohort, admin_user):
    applications = [make_application(cohort, f"p{i}@example.org") for i in range(3)]
    services.application_decide(application=applications[0], status="accepted", actor=admin_user)
    services.application_decide(application=applications[1], status="accepted", actor=admin_user)
    with pytest.raises(DomainError, match="The cohort is full"):
        services.application_decide(
            application=applications[2], status="accepted", actor=admin_user
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_capacity_holds_under_concurrent_accepts(cohort):
    cohort.capacity = 1
    cohort.save()
    first, second = (
        make_application(cohort, "a@example.org"),
        make_application(cohort, "b@example.org"),
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(application):
        try:
            barrier.wait()
            services.application_decide(application=application, status="accepted", actor=SYSTEM)
            outcomes.append("accepted")
        except DomainError:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(a,)) for a in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "full"]
    assert Application.objects.filter(status="accepted").count() == 1


def test_personal_data_never_appears_on_public_pages(client, cohort, timed_session):
    application = make_application(cohort, "secret.person@example.org", name="Zainab Secret-Name")
    Commitment.objects.create(
        cohort=cohort,
        owner=application,
        country="JO",
        text_en="Extend maternity protection to domestic workers",
        text_ar="توسيع حماية الأمومة لتشمل العمال المنزليين",
        lever="reward",
        consent_to_publish=True,
        published=True,
    )
    for path in (
        "/en/learning/",
        "/en/learning/lh-test/",
        "/ar/learning/lh-test/",
        "/en/learning/commitments/",
        "/ar/learning/commitments/",
        "/en/learning/lh-test/plenary/",
        "/en/learning/lh-test/calendar.ics",
        "/en/learning/speakers/",
    ):
        html = client.get(path).content.decode()
        assert "secret.person" not in html, path
        assert "Zainab" not in html, path
        assert "Secret-Name" not in html, path
    assert "Extend maternity protection" in client.get("/en/learning/commitments/").content.decode()


def test_commitments_filter_by_country_and_lever(client, cohort):
    Commitment.objects.create(
        cohort=cohort,
        country="JO",
        text_en="A",
        lever="reward",
        consent_to_publish=True,
        published=True,
    )
    Commitment.objects.create(
        cohort=cohort,
        country="BR",
        text_en="B",
        lever="reduce",
        consent_to_publish=True,
        published=True,
    )
    Commitment.objects.create(
        cohort=cohort, country="BR", text_en="Unpublished", lever="reduce", consent_to_publish=True
    )
    assert [
        c.text_en
        for c in client.get("/en/learning/commitments/", {"country": "BR"}).context["commitments"]
    ] == ["B"]
    assert [
        c.text_en
        for c in client.get("/en/learning/commitments/", {"lever": "reward"}).context["commitments"]
    ] == ["A"]


def test_the_sign_in_link_works_once_and_expires(
    client, cohort, settings, django_capture_on_commit_callbacks, eager_tasks
):
    application = make_application(cohort, "amina@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ar/learning/sign-in/", {"email": "Amina@example.org"})
    assert response.status_code == 200
    [message] = mail.outbox
    assert message.subject == "رابط تسجيل الدخول إلى منصة جنوب من أجل الرعاية"  # the page language
    link = next(line for line in message.body.splitlines() if "/sign-in/" in line)
    path = link.replace(settings.SITE_URL, "")
    assert path.startswith("/ar/learning/sign-in/")
    # Opening the link (as a mail scanner would) does not use it up.
    assert client.get(path).status_code == 200
    assert client.get("/ar/learning/me/").status_code == 302
    assert client.post(path)["Location"] == "/ar/learning/me/"
    assert client.get("/ar/learning/me/").status_code == 200
    other = type(client)()
    assert other.post(path).status_code == 400  # used already
    token = services.sign_in_link_issue(application=application, actor=MAILER)
    from learning.models import SignInToken

    SignInToken.objects.filter(used_at__isnull=True).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert other.post(f"/en/learning/sign-in/{token}/").status_code == 400


def test_unknown_addresses_get_the_same_answer_and_no_mail(
    client, cohort, django_capture_on_commit_callbacks, eager_tasks
):
    make_application(cohort, "amina@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post("/en/learning/sign-in/", {"email": "nobody@example.org"})
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/en/learning/sign-in/", {"email": "amina@example.org"})
    assert len(mail.outbox) == 1
    for response in (unknown, known):
        assert response.status_code == 200
        assert "a sign-in link is on its way" in response.content.decode()


def test_participant_adds_progress_to_their_own_commitment_only(client, cohort):
    application = make_application(cohort, "amina@example.org")
    mine = Commitment.objects.create(
        cohort=cohort, owner=application, country="JO", text_en="Mine", lever="reward"
    )
    theirs = Commitment.objects.create(
        cohort=cohort, country="JO", text_en="Theirs", lever="reward"
    )
    token = services.sign_in_link_issue(application=application, actor=MAILER)
    client.post(f"/en/learning/sign-in/{token}/")
    client.post(
        "/en/learning/me/",
        {"commitment": mine.pk, "light": "delayed", "text": "Draft law sent to parliament"},
    )
    client.post(
        "/en/learning/me/", {"commitment": theirs.pk, "light": "achieved", "text": "Hijack"}
    )
    assert list(ProgressUpdate.objects.values_list("commitment_id", "text_en")) == [
        (mine.pk, "Draft law sent to parliament")
    ]
    assert Commitment.objects.get(pk=mine.pk).light == "delayed"


@pytest.mark.parametrize(
    "actor", ["owner", "other participant", "staff without the permission", None]
)
def test_progress_is_reported_by_its_participant_or_staff_allowed_to(
    cohort, django_user_model, actor
):
    owner = make_application(cohort, "amina@example.org")
    commitment = Commitment.objects.create(
        cohort=cohort, owner=owner, country="JO", text_en="Mine", lever="reward"
    )
    actors = {
        "owner": owner,
        "other participant": make_application(cohort, "omar@example.org"),
        "staff without the permission": django_user_model.objects.create_user(
            "editor", is_staff=True
        ),
        None: None,
    }

    def report():
        return services.progress_update_add(
            commitment=commitment,
            actor=actors[actor],
            light="delayed",
            text="Draft law sent to parliament",
            language="en",
        )

    if actor == "owner":
        assert report().commitment == commitment
    elif actor is None:  # a forgotten actor is a bug, never "staff"
        with pytest.raises(TypeError):
            report()
    else:
        with pytest.raises(DomainError):
            report()
    assert ProgressUpdate.objects.count() == (actor == "owner")


def test_inactive_commitments_are_marked_and_owners_reminded_once(
    cohort, settings, django_capture_on_commit_callbacks, eager_tasks
):
    from learning.tasks import mark_inactive_commitments

    application = make_application(cohort, "amina@example.org", language="ar")
    stale = Commitment.objects.create(
        cohort=cohort, owner=application, country="JO", text_en="Old", lever="reward"
    )
    fresh = Commitment.objects.create(
        cohort=cohort, owner=application, country="JO", text_en="New", lever="reward"
    )
    Commitment.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - dt.timedelta(days=400)
    )
    ProgressUpdate.objects.create(commitment=fresh, light="on_track", text_en="ok")
    with django_capture_on_commit_callbacks(execute=True):
        assert mark_inactive_commitments() == 1
    assert Commitment.objects.get(pk=stale.pk).inactive
    assert not Commitment.objects.get(pk=fresh.pk).inactive
    assert [m.subject for m in mail.outbox] == [
        "كيف يتقدم التزامك في إطار منصة جنوب من أجل الرعاية؟"
    ]
    assert mark_inactive_commitments() == 0  # reminded already this period
