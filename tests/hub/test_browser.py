"""A participant searches the hub in Arabic, opens a result and switches to English."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots")


def test_search_in_arabic_open_a_result_and_switch_language(load_content, page, live_server):
    load_content()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/ar/hub/")
    page.get_by_label("البحث في مركز المعرفة").fill("الرعايه")
    page.get_by_role("button", name="بحث").click()
    page.wait_for_url("**/ar/hub/?q=*")
    page.screenshot(path=str(SHOTS / "hub-search-ar.png"), full_page=True)
    first = page.locator(".result-list h3 a").first
    title = first.inner_text()
    assert "الرعاية" in title
    first.click()
    page.wait_for_url("**/ar/hub/*/")
    assert page.locator("h1").inner_text() == title
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.screenshot(path=str(SHOTS / "hub-detail-ar.png"), full_page=True)
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/hub/*/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.screenshot(path=str(SHOTS / "hub-detail-en.png"), full_page=True)
