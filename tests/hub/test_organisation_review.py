"""Issue 14.9: a curator may not rename an organisation that published resources show; a reviewer
may, and so may a curator under the documented policy setting."""

import pytest

from core.errors import DomainError
from hub import permissions, services
from hub.models import Resource

pytestmark = pytest.mark.django_db


def _rename(organisation, actor, name="ILO (renamed)"):
    organisation.name_en = name
    return services.organisation_save(organisation=organisation, actor=actor)


def test_a_curator_edits_an_organisation_nothing_public_shows(curator, organisation, make_resource):
    make_resource(status=Resource.Status.DRAFT, publisher=organisation)
    assert not permissions.organisation_shown_publicly(organisation)
    _rename(organisation, curator)
    organisation.refresh_from_db()
    assert organisation.name_en == "ILO (renamed)"


def test_a_curator_may_not_rename_the_publisher_of_a_published_resource(
    curator, reviewer, organisation, make_resource, publishable
):
    make_resource(**publishable)
    assert permissions.organisation_shown_publicly(organisation)

    with pytest.raises(DomainError) as refused:
        _rename(organisation, curator)
    assert refused.value.code == "forbidden"
    organisation.refresh_from_db()
    assert organisation.name_en == "International Labour Organization"

    _rename(organisation, reviewer, "International Labour Organization (ILO)")
    organisation.refresh_from_db()
    assert organisation.name_en == "International Labour Organization (ILO)"


def test_the_admin_shows_a_curator_the_public_organisation_read_only(
    client, curator, organisation, make_resource, publishable
):
    make_resource(**publishable)
    client.force_login(curator)
    url = f"/en/admin/hub/organisation/{organisation.pk}/change/"
    response = client.post(url, {"slug": "ilo", "name_en": "Renamed", "kind": "un_agency"})
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name_en == "International Labour Organization"


def test_the_policy_setting_lets_curators_edit_public_organisations(
    settings, curator, organisation, make_resource, publishable
):
    settings.HUB_CURATORS_EDIT_PUBLIC_ORGANISATIONS = True
    make_resource(**publishable)
    _rename(organisation, curator)
    organisation.refresh_from_db()
    assert organisation.name_en == "ILO (renamed)"
