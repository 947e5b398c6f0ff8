import io
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_arabic_programme_page(page, live_server):
    call_command("load_south4care", stdout=io.StringIO())
    Path("/tmp/shots").mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/ar/learning/")
    page.get_by_role("link", name="مركز التعلم لمنصة جنوب من أجل الرعاية 2025").click()
    page.wait_for_url("**/ar/learning/learning-hub-2025/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    headings = page.locator("h3").all_inner_texts()
    assert any("البرنامج الحضوري في الدوحة" in h for h in headings)
    assert page.get_by_text(
        "الجلسة العامة بين بلدان الجنوب: دعم الشركاء التمويلي لاقتصاد الرعاية"
    ).is_visible()
    assert page.get_by_text("التاريخ قيد التأكيد").is_visible()
    page.screenshot(path="/tmp/shots/learning-programme-ar.png", full_page=True)
    page.get_by_role(
        "link", name="الجلسة العامة بين بلدان الجنوب: دعم الشركاء التمويلي لاقتصاد الرعاية"
    ).click()
    page.wait_for_url("**/south-south-plenary-funding-partners/")
    assert "مونيكا سالميتو" in page.locator("main").inner_text()
    page.screenshot(path="/tmp/shots/learning-session-ar.png", full_page=True)
    page.goto(f"{live_server.url}/en/learning/learning-hub-2025/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.get_by_text("All day (time to be announced)").first.is_visible()
    page.screenshot(path="/tmp/shots/learning-programme-en.png", full_page=True)
