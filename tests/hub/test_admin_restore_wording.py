"""The history and restore pages read as a curator would say it, in both languages: an empty
publisher is "—" (not "Deleted organisation (pk=None)"), the breadcrumb names the section and the
list, and a restore says that the version was restored (Django's Arabic said "added")."""

import re

import pytest
from django.contrib.messages import get_messages

from hub import services
from hub.models import Resource

from .test_admin_curation import _form_data, _html

pytestmark = pytest.mark.django_db


@pytest.fixture
def given_a_publisher(make_resource, reviewer, organisation):
    """A draft first saved without a publisher, then given one: its first version's publisher
    is empty."""
    resource = make_resource(status=Resource.Status.DRAFT)
    resource.publisher = organisation
    services.resource_save(resource=resource, actor=reviewer)
    return resource


def _breadcrumbs(html: str) -> str:
    crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>|&rsaquo;", " ", crumbs).split())


@pytest.mark.parametrize(
    ("lang", "crumbs", "restored"),
    [
        (
            "en",
            "Home Knowledge Hub Resources",
            "Resource “{title}”: the version of {date} was restored.",
        ),
        ("ar", "الرئيسية مركز المعرفة الموارد", "مورد «{title}»: استُعيدت النسخة المؤرخة {date}."),
    ],
)
def test_history_and_restore_read_as_a_curator_says_it(
    client, reviewer, given_a_publisher, lang, crumbs, restored
):
    from django.utils import formats, timezone, translation

    from core.formats import arabic_text_digits

    resource = given_a_publisher
    client.force_login(reviewer)
    history = _html(client.get(f"/{lang}/admin/hub/resource/{resource.pk}/history/"))
    assert "pk=None" not in history
    assert "Deleted" not in history
    version = resource.history.order_by("history_date", "history_id").first()
    assert version.publisher_id is None
    url = f"/{lang}/admin/hub/resource/{resource.pk}/history/{version.history_id}/"
    page = client.get(url)
    html = _html(page)
    assert "pk=None" not in html
    assert "Deleted" not in html
    assert re.search(r"<bdi>[^<]*</bdi> <span aria-hidden=\"true\">[←→]</span> <bdi>—</bdi>", html)
    assert _breadcrumbs(html).startswith(crumbs)
    assert "Historical" not in _breadcrumbs(html)
    response = client.post(url, {**_form_data(page.context["adminform"].form), "_save": "Revert"})
    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    with translation.override(lang):
        date = formats.date_format(timezone.localtime(version.history_date), "DATETIME_FORMAT")
    title = resource.title_ar if lang == "ar" else resource.title_en
    expected = restored.format(title=title, date=date)
    shown = _html(client.get(response["Location"]))
    assert message == expected
    assert (expected if lang == "en" else arabic_text_digits(expected)) in shown
    assert "نجحت إضافة" not in shown


def test_an_arabic_edit_says_changed_not_added():
    from django.utils import translation

    with translation.override("ar"):
        assert translation.gettext("The {name} “{obj}” was changed successfully.") == (
            "تم تعديل {name} «{obj}» بنجاح."
        )
