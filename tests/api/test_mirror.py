"""examples/mirror.py, the reference consumer, against the portal under gunicorn (DEBUG off, page
and API caches on, tests/live_portal.py) on this test's database: a first sync (crawl plus the
changes made during it), then publish / edit / archive through the services, each followed from
the change feed or a signed webhook; after every step the copy equals a fresh crawl. Then a
backup, edits and a restore: the mirror re-crawls on the feed's 409 and ends an exact copy again.

STEPS is the sequence of writes: extend it (cascades, renames, m2m…) as change capture grows."""

import importlib.util
import io
import json
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from core.permissions import SYSTEM
from hub import services as hub_services
from hub.models import Resource
from learning import services as learning_services
from learning.models import Session
from partners.webhooks import sign

pytestmark = pytest.mark.django_db(transaction=True)

_spec = importlib.util.spec_from_file_location(
    "mirror", Path(__file__).resolve().parents[2] / "examples" / "mirror.py"
)
mirror_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mirror_module)
Mirror = mirror_module.Mirror


def publish_a_resource():
    resource = Resource(
        title_en="Care leave policies compared",
        title_ar="مقارنة سياسات إجازات الرعاية",
        resource_type=Resource.Type.PUBLICATION,
        publication_year=2025,
    )
    hub_services.resource_save(resource=resource, actor=SYSTEM, languages=["en", "ar"])
    hub_services.resource_publish(resource=resource, actor=SYSTEM)


def edit_a_resource():
    resource = Resource.objects.published().get(identifier="south-4-care-launch-2025")
    resource.summary_en = "A revised summary of the launch."
    hub_services.resource_save(resource=resource, actor=SYSTEM)


def archive_a_resource():
    resource = Resource.objects.published().order_by("pk").first()
    hub_services.resource_archive(resource=resource, actor=SYSTEM)


def edit_a_session():
    session = Session.objects.order_by("pk").first()
    session.title_en = f"{session.title_en} (revised)"
    learning_services.session_save(session=session, actor=SYSTEM)


STEPS = [publish_a_resource, edit_a_resource, archive_a_resource, edit_a_session]


@pytest.fixture
def portal(load_content, gunicorn_server, settings):
    server = gunicorn_server()
    # The portal's links (`next`, `url`) are on its configured site: the server's own address
    # (the same here, where the writes are made).
    settings.SITE_URL = server.url
    load_content()
    return server.url


def _fresh(url, tmp_path, name):
    fresh = Mirror(url, str(tmp_path / f"{name}.sqlite3"))
    fresh.sync()
    return fresh.objects()


def test_the_mirror_follows_the_portal_through_the_change_feed(portal, tmp_path, monkeypatch):
    mirror = Mirror(portal, str(tmp_path / "mirror.sqlite3"))
    # A curator edits the very object the crawl has just copied: only the replay of the change
    # feed from the head noted before the crawl brings the edit.
    store, edited = Mirror._store, []

    def store_and_edit(self, kind, body):
        store(self, kind, body)
        if not edited:
            edited.append((kind, body["id"]))
            assert kind == "resource"
            resource = Resource.objects.published().get(identifier=body["id"])
            resource.summary_en = "Edited during the crawl."
            hub_services.resource_save(resource=resource, actor=SYSTEM)

    monkeypatch.setattr(Mirror, "_store", store_and_edit)
    mirror.sync()
    monkeypatch.setattr(Mirror, "_store", store)
    copy = mirror.objects()
    assert copy == _fresh(portal, tmp_path, "fresh-0")
    assert copy[edited[0]]["summary"]["en"] == "Edited during the crawl."
    assert {kind for kind, _ in copy} == {
        "resource",
        "theme",
        "organisation",
        "region",
        "cohort",
        "session",
        "speaker",
        "plan",
        "deliverable",
    }  # commitments: none is public in the real content
    for number, step in enumerate(STEPS, start=1):
        step()
        assert mirror.sync() >= 1, step.__name__
        assert mirror.objects() == _fresh(portal, tmp_path, f"fresh-{number}"), step.__name__
    assert mirror.sync() == 0  # nothing new: the cursor is at the head


def test_a_signed_webhook_makes_the_mirror_sync_and_a_forged_one_does_not(portal, tmp_path):
    mirror = Mirror(portal, str(tmp_path / "mirror.sqlite3"))
    mirror.sync()
    publish_a_resource()
    body = json.dumps({"action": "upsert", "type": "resource", "id": "x"}).encode()
    timestamp = str(int(time.time()))
    forged = {"X-S4C-Timestamp": timestamp, "X-S4C-Signature": "sha256=" + "0" * 64}
    assert mirror.receive_webhook("the-secret", {**forged, "X-S4C-Event-Id": "1"}, body) is False
    assert mirror.objects() != _fresh(portal, tmp_path, "fresh-a")
    headers = {
        "X-S4C-Event-Id": "1",
        "X-S4C-Timestamp": timestamp,
        "X-S4C-Signature": sign(secret="the-secret", timestamp=timestamp, body=body),
    }
    assert mirror.receive_webhook("the-secret", headers, body) is True
    assert mirror.objects() == _fresh(portal, tmp_path, "fresh-b")
    stale = {**headers, "X-S4C-Timestamp": str(int(time.time()) - 600)}
    assert mirror_module.verify_s4c_webhook("the-secret", stale, body) is False


def test_after_a_restore_the_mirror_re_crawls_and_ends_an_exact_copy(portal, tmp_path):
    """A restore starts a new feed epoch: the stored cursor answers 409 `feed_epoch_changed`,
    and the mirror re-crawls, dropping what the restore took away (a resource published after
    the backup) and taking back what it changed (an edit made after the backup)."""
    mirror = Mirror(portal, str(tmp_path / "mirror.sqlite3"))
    mirror.sync()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    publish_a_resource()
    edit_a_resource()
    assert mirror.sync() >= 1
    published = [key for key in mirror.objects() if key[1].startswith("care-leave-policies")]
    assert len(published) == 1
    old_cursor = mirror._state("cursor")

    call_command("restore", archive, interactive=False, stdout=io.StringIO())

    with pytest.raises(mirror_module.FeedEpochChanged) as conflict:
        mirror._get(f"{mirror.api}changes/?since={old_cursor}")
    assert conflict.value.next == f"{conflict.value.epoch}-0"
    assert mirror.sync() >= 1
    copy = mirror.objects()
    assert published[0] not in copy
    assert copy[("resource", "south-4-care-launch-2025")]["summary"]["en"] != (
        "A revised summary of the launch."
    )
    assert copy == _fresh(portal, tmp_path, "fresh-restored")
    assert mirror._state("cursor").startswith(f"{conflict.value.epoch}-")
    assert mirror.sync() == 0  # the cursor is the new epoch's head
    # The feed goes on in the new epoch, and a webhook's sync follows it.
    publish_a_resource()
    body = json.dumps({"action": "upsert", "type": "resource", "id": "x"}).encode()
    timestamp = str(int(time.time()))
    headers = {
        "X-S4C-Event-Id": "after-restore",
        "X-S4C-Timestamp": timestamp,
        "X-S4C-Signature": sign(secret="the-secret", timestamp=timestamp, body=body),
    }
    assert mirror.receive_webhook("the-secret", headers, body) is True
    assert mirror.objects() == _fresh(portal, tmp_path, "fresh-after-restore")
