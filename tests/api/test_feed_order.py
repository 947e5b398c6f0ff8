"""The change feed's ids follow commit order, so a consumer resuming from a cursor misses nothing."""

import threading
import time

import pytest
from django.db import connection, transaction

from core.permissions import SYSTEM
from hub import services
from hub.models import Resource, Theme
from partners.changes import KINDS, _digests
from partners.models import ChangeEvent, PublicState

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _start(work, errors: list) -> threading.Thread:
    """`work` in a thread of its own (its own database connection, closed after it); what it
    raises goes to `errors`, which each test asserts empty."""

    def run():
        try:
            work()
        except Exception as exc:  # noqa: BLE001 - reported by the test's `errors == []`
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _draft(title: str) -> Resource:
    resource = Resource(
        title_en=title, title_ar="عنوان", resource_type="publication", publication_year=2025
    )
    return services.resource_save(resource=resource, actor=SYSTEM, languages=["en"])


def test_a_transaction_that_commits_later_cannot_slip_an_event_behind_a_read_cursor():
    slow, fast = _draft("Slow publication"), _draft("Fast publication")
    slow_wrote, release_slow = threading.Event(), threading.Event()
    fast_done = threading.Event()
    errors = []

    def publish_slowly():
        with transaction.atomic():
            # The service records its feed entry as it ends (captured()), inside this longer
            # transaction, which then stays open as a long admin request would.
            services.resource_publish(resource=slow, actor=SYSTEM)
            slow_wrote.set()
            release_slow.wait(10)

    def publish_fast():
        services.resource_publish(resource=fast, actor=SYSTEM)
        fast_done.set()

    slow_thread = _start(publish_slowly, errors)
    assert slow_wrote.wait(10)
    fast_thread = _start(publish_fast, errors)
    # The fast publication waits for the slow transaction instead of committing an event whose
    # id a reader could pass before the slow one's appears.
    assert not fast_done.wait(1.0)
    assert not ChangeEvent.objects.filter(object_id__in=[slow.identifier, fast.identifier]).exists()
    release_slow.set()
    slow_thread.join(10)
    fast_thread.join(10)
    assert errors == []
    assert fast_done.is_set()
    order = list(
        ChangeEvent.objects.filter(object_id__in=[slow.identifier, fast.identifier])
        .order_by("id")
        .values_list("object_id", flat=True)
    )
    assert order == [slow.identifier, fast.identifier]


def test_two_transactions_meeting_in_one_object_leave_its_last_event_current():
    """A theme renamed while its resource's publication is still uncommitted: the resource's last
    event (and the ledger) must show the new name, or a mirror keeps the old one for good."""
    theme = services.theme_save(
        theme=Theme(slug="race-theme", name_en="Race theme", name_ar="موضوع"), actor=SYSTEM
    )
    resource = _draft("Published as its theme is renamed")
    services.resource_save(resource=resource, actor=SYSTEM, themes=[theme.pk])
    published, release_publication = threading.Event(), threading.Event()
    renamed = threading.Event()
    errors = []

    def publish():
        with transaction.atomic():
            services.resource_publish(resource=resource, actor=SYSTEM)
            published.set()
            release_publication.wait(10)

    def rename():
        renaming = Theme.objects.get(pk=theme.pk)
        renaming.slug = "race-theme-renamed"
        services.theme_save(theme=renaming, actor=SYSTEM)
        renamed.set()

    publisher = _start(publish, errors)
    assert published.wait(10)
    renamer = _start(rename, errors)
    assert not renamed.wait(1.0)  # its flush waits for the publication to commit
    release_publication.set()
    publisher.join(10)
    renamer.join(10)
    assert errors == []
    events = list(
        ChangeEvent.objects.filter(kind__in=["resource", "theme"])
        .order_by("id")
        .values_list("kind", "object_id", "action")
    )
    # The publication's event, then the rename's (the theme's events come after it).
    assert events[-4:] == [
        ("resource", resource.identifier, "upsert"),
        ("resource", resource.identifier, "upsert"),
        ("theme", "race-theme-renamed", "upsert"),
        ("theme", "race-theme", "delete"),
    ]
    state = PublicState.objects.get(kind="resource", object_id=resource.identifier)
    assert state.content_hash == _digests(KINDS["resource"], [resource.pk])[resource.pk][1]


def test_a_change_dated_before_its_commit_never_earns_a_stale_304(client):
    """Its date is taken as its transaction records it; a reader between then and the commit gets
    the old answer with an earlier date of the same second. Revalidating with that date after the
    commit must not be told "not modified"."""
    resource = _draft("Dated before its commit")
    services.resource_publish(resource=resource, actor=SYSTEM)
    url = f"/api/v1/resources/{resource.identifier}/"
    while time.time() % 1 > 0.2:  # early in a second S
        time.sleep(0.01)
    resource.title_en = "Edited early in the second"
    services.resource_save(resource=resource, actor=SYSTEM)
    recorded, release = threading.Event(), threading.Event()
    errors = []

    def edit_and_commit_late():
        with transaction.atomic():
            edited = Resource.objects.get(pk=resource.pk)
            edited.title_en = "Recorded in S, committed in S + 1"
            services.resource_save(resource=edited, actor=SYSTEM)  # recorded (dated) here
            recorded.set()
            release.wait(10)

    time.sleep(0.4)
    writer = _start(edit_and_commit_late, errors)
    assert recorded.wait(10)
    second = int(time.time())
    while int(time.time()) == second:  # into S + 1, where S's date may be sent
        time.sleep(0.01)
    old = client.get(url)
    assert old.json()["title"]["en"] == "Edited early in the second"
    release.set()
    writer.join(10)
    assert errors == []
    revalidated = client.get(url, HTTP_IF_MODIFIED_SINCE=old["Last-Modified"])
    assert revalidated.status_code == 200
    assert revalidated.json()["title"]["en"] == "Recorded in S, committed in S + 1"
