from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_arabic_plan_page_with_its_mirrored_chart(load_content, page, live_server):
    load_content()
    Path("test-artifacts").mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/ar/action-plan/")
    page.wait_for_url("**/ar/action-plan/sse-2023-2029/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    chart = page.locator("svg.chart").first
    chart.scroll_into_view_if_needed()
    bars = chart.locator("rect.chart-bar")
    assert bars.count() == 3
    # In Arabic the bars grow from the right: each bar's right edge is aligned, left edges differ.
    boxes = [bars.nth(i).bounding_box() for i in range(3)]
    rights = {round(b["x"] + b["width"]) for b in boxes}
    assert len(rights) == 1
    assert boxes[1]["width"] > boxes[0]["width"] > boxes[2]["width"]  # 17.2 > 15.6 > 4.7
    chart.screenshot(path="test-artifacts/plan-chart-ar.png")
    page.screenshot(path="test-artifacts/plan-ar.png")
    assert page.get_by_role("table").first.inner_text().count("مليون") >= 4
