"""Sickle, the OAI-PMH harvester many catalogues run, against the portal under gunicorn (DEBUG off,
page cache on, tests/live_portal.py), on this test's database: a full
harvest, an incremental one (`from=`), sets, and resumption tokens while curators edit, withdraw
and re-type records between pages. What a harvester ends with after a harvest and an incremental
harvest from its start is what a fresh harvest gives."""

import datetime as dt
import time

import pytest
from sickle import Sickle
from sickle.oaiexceptions import NoRecordsMatch

from core.permissions import SYSTEM
from hub import services
from hub.models import Resource

pytestmark = pytest.mark.django_db(transaction=True)

# The server's SITE_URL is its own address: identifiers are under its host.
PREFIX = "oai:127.0.0.1:"


@pytest.fixture
def harvester(gunicorn_server):
    server = gunicorn_server(OAI_PAGE_SIZE="2")  # several pages from a few records
    assert server.host.startswith("127.0.0.1:")
    return Sickle(f"{server.url}/oai/", max_retries=0, timeout=30)


@pytest.fixture
def records(make_resource, make_theme):
    theme = make_theme("care-work")
    made = [
        make_resource(f"Resource {n}", f"مورد {n}", themes=[theme] if n % 2 else [])
        for n in range(1, 8)
    ]
    return theme, made


def _harvest(iterator, *, between_pages=None, page_size=2):
    """Identifier → (deleted, title or None) of everything harvested, later pages winning."""
    mirror = {}
    for count, record in enumerate(iterator, start=1):
        header = record.header
        title = None if header.deleted else record.metadata["title"][0]
        mirror[header.identifier] = (header.deleted, title)
        if between_pages and count % page_size == 0:
            between_pages(count)
    return mirror


def _now_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _retitle(resource, title):
    resource.refresh_from_db()
    resource.title_en = title
    services.resource_save(resource=resource, actor=SYSTEM)


def test_full_harvest_gives_every_published_record_once(harvester, records):
    _, made = records
    mirror = _harvest(harvester.ListRecords(metadataPrefix="oai_dc"))
    assert mirror == {PREFIX + r.identifier: (False, r.title_en) for r in made}
    identify = harvester.Identify()
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.deletedRecord == "persistent"


def test_incremental_harvest_gives_what_changed_since(harvester, records):
    _, made = records
    _harvest(harvester.ListRecords(metadataPrefix="oai_dc"))
    time.sleep(1.1)  # datestamps are to the second
    started = _now_stamp()
    _retitle(made[2], "Revised title")
    services.resource_archive(resource=made[4], actor=SYSTEM)
    changed = _harvest(harvester.ListRecords(metadataPrefix="oai_dc", **{"from": started}))
    assert changed == {
        PREFIX + made[2].identifier: (False, "Revised title"),
        PREFIX + made[4].identifier: (True, None),
    }
    time.sleep(1.1)
    with pytest.raises(NoRecordsMatch):
        list(harvester.ListIdentifiers(metadataPrefix="oai_dc", **{"from": _now_stamp()}))


def test_sets(harvester, records):
    theme, made = records
    specs = {s.setSpec for s in harvester.ListSets()}
    assert {"theme:care-work", "type:publication"} <= specs
    members = {
        h.identifier
        for h in harvester.ListIdentifiers(metadataPrefix="oai_dc", set="theme:care-work")
    }
    assert members == {PREFIX + r.identifier for r in made if theme in r.themes.all()}


def test_edits_between_pages_still_give_a_consistent_harvest(harvester, records):
    _, made = records
    started = _now_stamp()

    def curate(count):
        if count == 2:  # after the first page: change records behind and ahead of the harvest
            _retitle(made[0], "Edited after it was harvested")
            _retitle(made[5], "Edited before it was harvested")
            services.resource_archive(resource=made[3], actor=SYSTEM)
            services.resource_publish(
                resource=Resource.objects.get(pk=made[6].pk), actor=SYSTEM
            )  # a no-op publication: nothing public changes

    mirror = _harvest(harvester.ListRecords(metadataPrefix="oai_dc"), between_pages=curate)
    # Every record once; the ones ahead of the harvest as they are now.
    assert set(mirror) == {PREFIX + r.identifier for r in made}
    assert mirror[PREFIX + made[5].identifier] == (False, "Edited before it was harvested")
    assert mirror[PREFIX + made[3].identifier] == (True, None)
    # The record edited behind the harvest comes with the incremental harvest from its start.
    mirror.update(_harvest(harvester.ListRecords(metadataPrefix="oai_dc", **{"from": started})))
    assert mirror == _harvest(harvester.ListRecords(metadataPrefix="oai_dc"))
    assert mirror[PREFIX + made[0].identifier] == (False, "Edited after it was harvested")


def test_a_token_stays_valid_when_the_rest_of_the_set_leaves_it(harvester, records):
    _, made = records

    def retype(count):
        if count == 2:  # every record still ahead of the harvest moves to another type
            for resource in made[2:]:
                resource.refresh_from_db()
                resource.resource_type = Resource.Type.POLICY
                services.resource_save(resource=resource, actor=SYSTEM)

    mirror = _harvest(
        harvester.ListRecords(metadataPrefix="oai_dc", set="type:publication"),
        between_pages=retype,
    )
    # No badResumptionToken: the list ends (the last record it gave, again, as the protocol's
    # schema wants a record in every list).
    assert set(mirror) == {PREFIX + r.identifier for r in made[:2]}
    policies = {
        h.identifier for h in harvester.ListIdentifiers(metadataPrefix="oai_dc", set="type:policy")
    }
    assert policies == {PREFIX + r.identifier for r in made[2:]}
