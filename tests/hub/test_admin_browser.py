"""A curator and a reviewer in the admin, in a real browser, in both languages (issue 15, 9–14).

Also writes the README's screenshots when S4C_README_SHOTS is set (docs/img/)."""

import importlib
import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission, User
from playwright.sync_api import expect

from hub.models import Organisation, Resource, Theme

# Transactional (the live server reads what the test writes); the role groups a flush removes
# come back through tests/conftest.py's `_roles_after_a_flush` (and `_role` below).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots")
README_SHOTS = os.environ.get("S4C_README_SHOTS")
PASSWORD = "a-long-password-123"


def _role(name):
    """The role's group; made again from the hub's role migration when a transactional test
    before this one flushed the groups the migrations made."""
    group = Group.objects.filter(name=name).first()
    if group is not None:
        return group
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for config in apps.get_app_configs():
        create_contenttypes(config, verbosity=0)
        create_permissions(config, verbosity=0)
    roles = importlib.import_module("hub.migrations.0002_roles_and_search_index")
    group = Group.objects.create(name=name)
    for dotted in {"Curator": roles.CURATOR, "Reviewer": roles.REVIEWER}[name]:
        app_label, codename = dotted.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return group


def _user(name, group):
    user = User.objects.create_user(name, f"{name}@example.org", PASSWORD, is_staff=True)
    user.groups.add(_role(group))
    return user


def _sign_in(page, live_server, name, lang):
    page.goto(f"{live_server.url}/{lang}/admin/login/")
    page.locator("#id_username").fill(name)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"**/{lang}/admin/")


def _shot(page, name, readme=None):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    if README_SHOTS and readme:
        page.screenshot(path=str(Path(README_SHOTS) / f"{readme}.png"))


@pytest.fixture
def hub_data(db):
    publisher = Organisation.objects.create(
        slug="ilo",
        name_en="International Labour Organization",
        name_ar="منظمة العمل الدولية",
        kind="un_agency",
    )
    theme = Theme.objects.create(
        slug="care-economy", name_en="Care economy", name_ar="اقتصاد الرعاية"
    )
    return publisher, theme


@pytest.mark.parametrize(
    ("lang", "header", "bold", "submit", "submitted"),
    [
        ("en", "South-4-Care administration", "Bold", "Submit for review", "In review"),
        ("ar", "إدارة منصة «جنوب من أجل الرعاية»", "Bold", "تقديم للمراجعة", "قيد المراجعة"),
    ],
)
def test_a_curator_writes_arabic_rich_text_and_submits_from_the_edit_page(
    page, live_server, hub_data, lang, header, bold, submit, submitted
):
    publisher, theme = hub_data
    _user("curator", "Curator")
    csp_errors = []
    page.on(
        "console",
        lambda m: (
            csp_errors.append(m.text)
            if "Content Security Policy" in m.text and "script" in m.text
            else None
        ),
    )
    _sign_in(page, live_server, "curator", lang)
    assert header in page.locator("#site-name").inner_text()
    _shot(page, f"admin-index-{lang}", readme=f"admin-index-{lang}")
    page.goto(f"{live_server.url}/{lang}/admin/hub/resource/add/")
    page.locator("#id_title_en").fill("Care work in the Arab States")
    page.locator("#id_title_ar").fill("أعمال الرعاية في الدول العربية")
    page.locator("#id_summary_en").fill("A summary.")
    page.locator("#id_summary_ar").fill("ملخص.")
    page.locator("#id_resource_type").select_option("publication")
    page.locator("#id_publication_year").fill("2024")
    page.locator("#id_external_url").fill("https://www.ilo.org/")
    # The Arabic body: a real editor, right to left; type, select, bold.
    editor = page.locator(".field-body_ar [contenteditable=true]")
    assert page.locator(".field-body_ar .prose-editor").get_attribute("dir") == "rtl"
    editor.click()
    page.keyboard.type("الرعاية عمل")
    page.keyboard.press("Control+a")
    page.keyboard.press("Control+b")
    assert editor.locator("strong").inner_text() == "الرعاية عمل"
    assert editor.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # Pickers: themes and the publisher are searched, countries are filtered by typing.
    page.locator(".field-themes .select2-selection").click()
    page.keyboard.type("care" if lang == "en" else "الرعاية")
    page.locator(
        ".select2-results__option", has_text=str(theme.name_en if lang == "en" else theme.name_ar)
    ).click()
    page.locator(".field-publisher .select2-selection").click()
    page.keyboard.type("Labour" if lang == "en" else "العمل")
    page.locator(".select2-results__option").first.click()
    search = page.locator("#id_countries_input")
    search.press_sequentially("Jordan" if lang == "en" else "الأردن")
    # Playwright types letters that are not on its US keyboard without key events; an Arabic
    # keyboard sends them, and the picker filters on them.
    search.dispatch_event("keyup")
    # The filter redraws the list: choose once only Jordan is left, and see it chosen.
    matches = page.locator("#id_countries_from option")
    expect(matches).to_have_count(1)
    matches.first.dblclick()
    expect(page.locator("#id_countries_to option")).to_have_attribute("value", "JO")
    _shot(page, f"admin-resource-form-{lang}", readme=f"admin-resource-form-{lang}")
    page.locator("input[name=_continue]").click()
    page.wait_for_url("**/change/")
    resource = Resource.objects.get()
    assert resource.body_ar == "<p><strong>الرعاية عمل</strong></p>"
    assert list(resource.country_links.values_list("country", flat=True)) == ["JO"]
    assert list(resource.themes.all()) == [theme]
    assert resource.publisher == publisher
    # The workflow, on the edit page.
    page.get_by_role("button", name=submit).click()
    page.wait_for_url("**/change/")
    assert page.locator("#s4c-status").inner_text() == submitted
    assert "curator" in page.locator("#s4c-last-move").inner_text()
    page.locator("#s4c-workflow").scroll_into_view_if_needed()
    _shot(page, f"admin-workflow-{lang}", readme=f"admin-workflow-{lang}")
    assert Resource.objects.get().status == Resource.Status.IN_REVIEW
    assert not csp_errors, csp_errors


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_reviewer_filters_by_country_publishes_and_reads_the_history(
    page, live_server, hub_data, lang
):
    from hub import services

    publisher, theme = hub_data
    _user("reviewer", "Reviewer")
    curator = _user("curator", "Curator")
    resource = Resource(
        title_en="Care in Qatar",
        title_ar="الرعاية في قطر",
        summary_en="S.",
        summary_ar="م.",
        resource_type="publication",
        publication_year=2024,
        publisher=publisher,
        external_url="https://www.ilo.org/",
    )
    services.resource_save(resource=resource, actor=curator, themes=[theme], countries=["QA"])
    services.resource_submit(resource=resource, actor=curator)
    _sign_in(page, live_server, "reviewer", lang)
    page.goto(f"{live_server.url}/{lang}/admin/hub/resource/")
    select = page.locator("#s4c-filter-country")
    select.select_option("QA")
    page.locator(".s4c-dropdown-filter button").click()
    page.wait_for_url("**country=QA**")
    assert page.locator("#result_list tbody tr").count() == 1
    assert page.evaluate("document.documentElement.scrollHeight") < 2000
    # Django's script redraws the counter: in the page's digits.
    page.locator("#result_list tbody .action-select").first.check()
    expect(page.locator(".action-counter")).to_have_text(
        "1 of 1 selected" if lang == "en" else re.compile(r"^[^0-9]*١[^0-9]*$")
    )
    _shot(page, f"admin-resource-list-{lang}")
    page.locator("#result_list tbody tr a").first.click()
    # The date picker's calendar and clock, drawn by Django's script: in the page's digits, and
    # picking a day still writes the date the server reads.
    date_input = page.locator("#id_publish_at_0")
    page.locator("#id_publish_at_0 ~ .datetimeshortcuts a[id^=calendarlink]").click()
    calendar = page.locator(".calendarbox:visible")
    days = calendar.locator("td a")
    expect(days.first).to_have_text("1" if lang == "en" else "١")
    assert (re.search(r"[0-9]", calendar.inner_text()) is None) == (lang == "ar")
    # Every weekday column shows (Django's Arabic weekday names are whole words).
    assert calendar.evaluate("box => box.scrollWidth <= box.clientWidth")
    calendar.screenshot(path=str(SHOTS / f"admin-calendar-{lang}.png"))
    calendar.locator("td a", has_text=re.compile("^(15|١٥)$")).click()
    expect(date_input).to_have_value(re.compile(r"^[0-9]{4}-[0-9]{2}-15$"))
    page.locator("#id_publish_at_1 ~ .datetimeshortcuts a[id^=clocklink]").click()
    clock = page.locator(".clockbox:visible")
    assert (re.search(r"[0-9]", clock.inner_text()) is None) == (lang == "ar")
    page.keyboard.press("Escape")
    date_input.fill("")
    page.locator("#s4c-workflow button", has_text="Publish" if lang == "en" else "نشر").click()
    page.wait_for_url("**/change/")
    assert Resource.objects.get().status == Resource.Status.PUBLISHED
    page.goto(f"{live_server.url}/{lang}/admin/hub/resource/{resource.pk}/history/")
    history = page.locator("#change-history").inner_text()
    assert "None" not in history
    assert ("Status" if lang == "en" else "الحالة") in history
    _shot(page, f"admin-history-{lang}", readme=f"admin-history-{lang}")
