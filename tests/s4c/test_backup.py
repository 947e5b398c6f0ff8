import gzip
import io
import re
import stat
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client

from core.models import OutboxTask, SiteText
from core.permissions import MAILER, SYSTEM
from hub import services as hub_services
from hub.models import Resource
from learning import privacy
from learning import services as learning_services
from learning.models import Application, Cohort, ErasureRecord
from partners.backup import EVENT_ID_MARGIN, _dump_data, restore_backup
from partners.models import ChangeEvent, FeedEpoch, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db(transaction=True)


def _media_snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_backup_and_restore_round_trip_the_whole_data_set_and_media(
    load_content, settings, tmp_path
):
    load_content()
    text = SiteText.objects.get(key="partners")
    text.title_en = "Our partners"
    text.save()  # a history row and a stale Arabic translation, both must survive
    media = Path(settings.MEDIA_ROOT)
    (media / "organisations").mkdir(parents=True)
    (media / "organisations" / "ilo-logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (media / "resources").mkdir()
    (media / "resources" / "report.pdf").write_bytes(b"%PDF-1.7 a report")
    before_data, before_media = _dump_data(), _media_snapshot(media)

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())

    SiteText.objects.all().delete()
    Group.objects.create(name="Intruders")
    (media / "resources" / "report.pdf").unlink()
    (media / "stray.txt").write_text("not in the backup")

    call_command("restore", archive, interactive=False, stdout=io.StringIO())

    # The restore's one addition: the feed epoch it started.
    after_data = re.sub(rb'<object model="partners.feedepoch".*?</object>', b"", _dump_data())
    if after_data != before_data:  # show the first differing line, not megabytes of XML
        diff = next(
            (b, a)
            for b, a in zip(before_data.splitlines(), after_data.splitlines(), strict=False)
            if b != a
        )
        raise AssertionError(diff)
    assert _media_snapshot(media) == before_media
    assert SiteText.objects.get(key="partners").stale_languages() == ["ar"]


def test_restore_refuses_an_archive_with_path_traversal(tmp_path):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        payload = b"owned"
        info = tarfile.TarInfo("media/../../etc/evil")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    with pytest.raises(CommandError, match="unexpected entry"):
        call_command("restore", archive, interactive=False, stdout=io.StringIO())


def test_restore_refuses_a_file_that_is_not_an_archive(tmp_path):
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_text("hello")
    with pytest.raises(CommandError, match="not a readable backup"):
        call_command("restore", bogus, interactive=False, stdout=io.StringIO())


# --- what a restore does for partners, privacy and secrets --------------------------------------

SECRET = "a-partner-signing-secret-of-more-than-32-chars"


def _publish(title: str) -> Resource:
    with transaction.atomic():
        resource = Resource(title_en=title, resource_type="publication", publication_year=2025)
        hub_services.resource_save(resource=resource, actor=SYSTEM, languages=["en"])
        hub_services.resource_publish(resource=resource, actor=SYSTEM)
    return resource


def _edit(resource: Resource, title: str) -> None:
    with transaction.atomic():
        resource.title_en = title
        hub_services.resource_save(resource=resource, actor=SYSTEM, languages=["en"])


def _feed(client, since: str):
    return client.get("/api/v1/changes/", {"since": since})


def _endpoint() -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        name="Care portal", organisation="ILO", url="https://partner.example/hook", secret=SECRET
    )


def test_the_archive_is_owner_only_from_creation_and_holds_no_secret_in_clear(tmp_path):
    _endpoint()
    archive = tmp_path / "backups" / "b.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert stat.S_IMODE(archive.parent.stat().st_mode) == 0o700
    assert not list(archive.parent.glob(".*.part"))  # written under a temporary name, renamed
    assert SECRET.encode() not in gzip.decompress(archive.read_bytes())

    WebhookEndpoint.objects.all().delete()
    restore_backup(archive_path=archive)
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.secret, endpoint.is_active) == (SECRET, True)


def test_secrets_that_another_secret_key_cannot_decrypt_are_replaced_and_deactivated(
    tmp_path, settings
):
    _endpoint()
    archive = tmp_path / "b.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    settings.SECRET_KEY = "another-installation-" + "k" * 60
    out = io.StringIO()
    call_command("restore", archive, interactive=False, stdout=out)
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.is_active is False
    assert endpoint.secret != SECRET
    assert len(endpoint.secret) >= 32
    assert "1 webhook endpoints had a secret this SECRET_KEY cannot decrypt" in out.getvalue()


def _as_format_3(archive: Path, out: Path) -> None:
    """Rewrite a fresh archive as the release before the partner app wrote it: format 3, the
    partner models and their content types under the library's label "s4c"."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(out, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                data = data.replace(b'"format": 4', b'"format": 3')
                assert b'"format": 3' in data
            elif member.name == "data.xml":
                data = re.sub(rb'model="partners\.', b'model="s4c.', data)
                data = data.replace(b"<natural>partners</natural>", b"<natural>s4c</natural>")
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))


def test_an_archive_written_before_the_partner_app_restores(tmp_path):
    _endpoint()
    partner_admin = Group.objects.create(name="Partner admins")
    partner_admin.permissions.add(
        Permission.objects.get(codename="manage_partner_access", content_type__app_label="partners")
    )
    archive, old = tmp_path / "b.tar.gz", tmp_path / "old.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    _as_format_3(archive, old)
    assert b'model="s4c.webhookendpoint"' in _data_of(old)

    WebhookEndpoint.objects.all().delete()
    partner_admin.delete()
    restore_backup(archive_path=old)
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.secret, endpoint.is_active) == (SECRET, True)
    restored = Group.objects.get(name="Partner admins")
    assert list(restored.permissions.values_list("content_type__app_label", "codename")) == [
        ("partners", "manage_partner_access")
    ]


def _data_of(archive: Path) -> bytes:
    with tarfile.open(archive, "r:gz") as tar:
        return tar.extractfile("data.xml").read()


@pytest.mark.postgres
def test_after_a_restore_the_feed_stays_monotonic_and_old_cursors_ask_for_a_recrawl(tmp_path):
    client = Client()
    kept = _publish("Care leave policies")
    edited = _publish("Care financing")
    archive = tmp_path / "b.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    backup_max = ChangeEvent.objects.latest("id").id

    # After the backup: an edit, a new resource, a partner that read the feed, an endpoint.
    _edit(edited, "Care financing, revised")
    created = _publish("Care workers' rights")
    old_cursor = _feed(client, "0").json()["next"]
    highest = ChangeEvent.objects.latest("id").id
    assert int(old_cursor) == highest > backup_max
    _endpoint()

    out = io.StringIO()
    call_command("restore", archive, interactive=False, stdout=out)

    assert FeedEpoch.current() == 2
    gone = _feed(client, old_cursor)
    assert gone.status_code == 409
    assert gone.json()["code"] == "feed_epoch_changed"
    assert gone.json()["next"] == "2-0"
    assert "re-crawl" in gone.json()["detail"].lower()

    page = _feed(client, "2-0").json()
    assert page["epoch"] == 2
    restore_events = list(ChangeEvent.objects.filter(id__gt=backup_max).order_by("id"))
    # The restore's own events: the edit reverted (upsert), the new resource gone (delete); the
    # untouched resource has none. Their ids are above every id ever handed out.
    assert {(e.object_id, e.action) for e in restore_events} == {
        (created.identifier, "delete"),
        (edited.identifier, "upsert"),
    }
    assert restore_events[0].id == highest + EVENT_ID_MARGIN
    assert kept.identifier not in {e.object_id for e in restore_events}
    assert page["next"] == f"2-{restore_events[-1].id}"
    assert client.get(f"/api/v1/resources/{created.identifier}/").status_code == 410
    assert "epoch 2" in out.getvalue()
    assert "1 upsert and 1 delete events" in out.getvalue()

    # The sequence itself continues above them.
    _publish("Care after the restore")
    assert ChangeEvent.objects.latest("id").id == restore_events[-1].id + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM s4c_changeevent WHERE id > %s", [backup_max])
        assert cursor.fetchone()[0] == 3


def test_webhooks_are_sent_for_what_the_restore_changed(tmp_path):
    _endpoint()
    resource = _publish("Care leave policies")
    archive = tmp_path / "b.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    _edit(resource, "Care leave policies, revised")
    highest = ChangeEvent.objects.latest("id").id
    restore_backup(archive_path=archive)
    deliveries = WebhookDelivery.objects.filter(event__cursor__gt=highest)
    assert [(d.event.object_id, d.event.action) for d in deliveries] == [
        (resource.identifier, "upsert")
    ]


def test_erasures_recorded_after_the_backup_are_replayed(tmp_path):
    cohort = Cohort.objects.create(
        slug="lh", name_en="Learning Hub", year=2027, status=Cohort.Status.OPEN
    )
    fields = {"country": "JO", "constituency": "government", "motivation": "Care policy."}
    erased = Application.objects.create(
        cohort=cohort, name="Amina Haddad", email="amina@example.org", **fields
    )
    kept = Application.objects.create(
        cohort=cohort, name="Omar Nasser", email="omar@example.org", **fields
    )
    before = privacy.person_erase(email="early@example.org", actor=SYSTEM)  # in the backup too
    archive = tmp_path / "b.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    record = privacy.person_erase(email="Amina@Example.org", actor=SYSTEM)

    out = io.StringIO()
    call_command("restore", archive, interactive=False, stdout=out)

    erased.refresh_from_db()
    assert (erased.name, erased.erased_at is not None) == ("", True)
    assert erased.email.endswith("@erased.invalid")
    assert Application.objects.get(pk=kept.pk).name == "Omar Nasser"
    assert sorted(ErasureRecord.objects.values_list("subject_hash", "erased_at")) == sorted(
        [(before.subject_hash, before.erased_at), (record.subject_hash, record.erased_at)]
    )
    assert "replayed: 1 (1 applications erased again)" in out.getvalue()


def test_an_erasure_after_the_backup_of_an_application_deleted_before_it_is_replayed(tmp_path):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth.models import User

    cohort = Cohort.objects.create(
        slug="lh", name_en="Learning Hub", year=2027, status=Cohort.Status.OPEN
    )
    fields = {"country": "JO", "constituency": "government", "motivation": "Care policy."}
    amina = Application.objects.create(
        cohort=cohort, name="Amina Haddad", email="amina@example.org", **fields
    )
    admin = User.objects.create_superuser("admin", "admin@example.org", "x")
    LogEntry.objects.log_actions(
        user_id=admin.pk, queryset=[amina], action_flag=CHANGE, change_message=""
    )
    amina.delete()
    unrelated = OutboxTask.objects.create(task_name="s4c.ping", kwargs={"value": 1})
    archive = tmp_path / "b.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    privacy.person_erase(email="amina@example.org", actor=SYSTEM)
    assert not LogEntry.objects.filter(object_repr__contains="Amina").exists()

    call_command("restore", archive, interactive=False, stdout=io.StringIO())

    assert not LogEntry.objects.filter(object_repr__contains="Amina").exists()
    assert LogEntry.objects.get().object_repr == "[erased]"
    # The replay knew no address: it removed no one else's queued task.
    assert OutboxTask.objects.filter(pk=unrelated.pk).exists()


def test_a_restore_stops_every_sign_in_link_issued_before_it(tmp_path):
    cohort = Cohort.objects.create(
        slug="lh", name_en="Learning Hub", year=2027, status=Cohort.Status.OPEN
    )
    fields = {"country": "JO", "constituency": "government", "motivation": "Care policy."}
    amina = Application.objects.create(
        cohort=cohort, name="Amina Haddad", email="amina@example.org", **fields
    )
    used = learning_services.sign_in_link_issue(application=amina, actor=MAILER)
    unused = learning_services.sign_in_link_issue(application=amina, actor=MAILER)
    archive = tmp_path / "b.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    visitor = Client()
    assert visitor.post(f"/en/learning/sign-in/{used}/").status_code == 302  # used after backup
    issued_after = learning_services.sign_in_link_issue(application=amina, actor=MAILER)

    out = io.StringIO()
    call_command("restore", archive, interactive=False, stdout=out)

    for token in (used, unused, issued_after):
        assert Client().post(f"/en/learning/sign-in/{token}/").status_code == 400, token
    assert "Sign-in links issued before the restore no longer work: 2 " in out.getvalue()
    # A link asked for after the restore works.
    fresh = learning_services.sign_in_link_issue(application=amina, actor=MAILER)
    assert Client().post(f"/en/learning/sign-in/{fresh}/").status_code == 302


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("0", (1, 0)), ("1042", (1, 1042)), ("2-1042", (2, 1042)), ("2-0", (2, 0)),
     ("0-5", None), ("01-5", None), ("-5", None), ("2-", None), ("x-1", None), ("2-١٢", None),
     ("1" * 19, None), ("1" * 10 + "-1", None)],
)  # fmt: skip
def test_feed_cursors_name_their_epoch(text, parsed):
    assert FeedEpoch.parse_cursor(text) == parsed


def test_a_cursor_of_another_epoch_asks_for_a_recrawl_and_the_start_never_does(client):
    FeedEpoch.objects.create(number=3, started_at="2026-12-01T00:00:00Z")
    assert client.get("/api/v1/changes/", {"since": "12"}).status_code == 409
    assert client.get("/api/v1/changes/", {"since": "4-12"}).status_code == 409
    assert client.get("/api/v1/changes/", {"since": "0"}).json()["next"] == "3-0"
    assert client.get("/api/v1/changes/", {"since": "3-0"}).json()["next"] == "3-0"
    # A cursor of this epoch is no conflict; past the head of an empty feed it is a plain 400.
    assert client.get("/api/v1/changes/", {"since": "3-12"}).status_code == 400
