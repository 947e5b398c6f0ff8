"""An Arabic-writing curator in the Arabic admin, at 1366 px, in a real browser: the rich-text
editor's own interface is in Arabic, and a draft with an Arabic title only is saved."""

import pytest
from playwright.sync_api import expect

from hub.models import Resource

from .test_admin_browser import _shot, _sign_in, _user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desktop(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    return page


def test_the_rich_text_editor_speaks_arabic_in_the_arabic_admin(desktop, live_server):
    page = desktop
    _user("curator", "Curator")
    _sign_in(page, live_server, "curator", "ar")
    page.goto(f"{live_server.url}/ar/admin/hub/resource/add/")
    menu = page.locator(".field-body_ar .prose-menubar")
    # Tooltips and the names screen readers read.
    for name, label in [
        ("bold", "غامق"),
        ("italic", "مائل"),
        ("link", "إدراج رابط"),
        ("bulletList", "قائمة نقطية"),
        ("orderedList", "قائمة مرقّمة"),
        ("blockquote", "اقتباس"),
        ("history:undo", "تراجع"),
    ]:
        button = menu.locator(f'button[data-name="{name}"]')
        expect(button).to_have_attribute("title", label)
        expect(button).to_have_attribute("aria-label", label)
    # No button of the menu is named in English any more.
    titles = menu.locator("button[title]").evaluate_all("bs => bs.map(b => b.title)")
    assert len(titles) >= 10
    assert [title for title in titles if title.isascii()] == []
    # The block-type menu: headings (with the page's digits) and the paragraph.
    menu.locator(".prose-menubar__selected").click()
    options = menu.locator(".prose-menubar__picker .prose-menubar__option")
    expect(options).to_have_text(
        ["عنوان من المستوى ٢", "عنوان من المستوى ٣", "عنوان من المستوى ٤", "فقرة"]
    )
    page.keyboard.press("Escape")
    # The link dialog.
    editor = page.locator(".field-body_ar [contenteditable=true]")
    editor.click()
    page.keyboard.type("منظمة العمل الدولية")
    page.keyboard.press("Control+a")
    menu.locator('button[data-name="link"]').click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    expect(dialog.locator(".prose-editor-dialog-title")).to_have_text("تعديل الرابط")
    expect(dialog.locator("label")).to_have_text(["الرابط", "العنوان", "فتح في نافذة جديدة"])
    expect(dialog.locator("button[type=submit]")).to_have_text("تحديث")
    cancel = dialog.locator("button[value=cancel]")
    expect(cancel).to_have_text("إلغاء")
    _shot(page, "admin-editor-link-dialog-ar")
    # Not clipped: the button is as wide as its word.
    assert cancel.evaluate("b => b.scrollWidth <= b.clientWidth")
    cancel.click()
    expect(dialog).to_have_count(0)
    # A numbered list offers its properties, in Arabic.
    menu.locator('button[data-name="orderedList"]').click()
    properties = menu.locator('button[data-name="orderedListProperties"]')
    expect(properties).to_have_attribute("title", "خصائص القائمة")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_curator_saves_a_draft_with_an_arabic_title_only(desktop, live_server, lang):
    page = desktop
    _user("curator", "Curator")
    _sign_in(page, live_server, "curator", lang)
    page.goto(f"{live_server.url}/{lang}/admin/hub/resource/add/")
    page.locator("#id_title_ar").fill("العمل في مجال الرعاية")
    page.locator("#id_summary_ar").fill("ملخص.")
    page.locator("#id_resource_type").select_option("publication")
    page.locator("#id_publication_year").fill("2025")
    page.locator("input[name=_continue]").click()
    page.wait_for_url("**/change/")
    assert page.locator(".errornote, .errorlist").count() == 0
    resource = Resource.objects.get()
    assert not resource.title_en
    assert resource.title_ar == "العمل في مجال الرعاية"
    # Both titles empty: the page says so on both fields, in the page's language.
    page.goto(f"{live_server.url}/{lang}/admin/hub/resource/add/")
    page.locator("#id_resource_type").select_option("publication")
    page.locator("#id_publication_year").fill("2025")
    page.locator("input[name=_continue]").click()
    message = {
        "ar": "مطلوب: اكتبه بالإنكليزية أو بالعربية (تكفي إحداهما).",
        "en": "Required: write it in English or in Arabic (one of the two is enough).",
    }[lang]
    expect(page.locator(".field-title_en .errorlist")).to_have_text(message)
    expect(page.locator(".field-title_ar .errorlist")).to_have_text(message)
    assert Resource.objects.count() == 1
