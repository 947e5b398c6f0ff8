"""What participants see in a real browser (issue 15), in both languages, at 360 px where the
layout is the point. Screenshots go to test-artifacts/."""

from pathlib import Path

import pytest

from core.formats import LATIN_RUN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("test-artifacts")

ARABIC_PAGES = [
    "/ar/",
    "/ar/hub/",
    "/ar/hub/south-4-care-launch-2025/",
    "/ar/hub/r193-promotion-of-cooperatives/",
    "/ar/hub/gb346-sse-strategy-plan-of-action/",
    "/ar/learning/",
    "/ar/learning/learning-hub-2025/",
    "/ar/learning/learning-hub-2025/partners-sessions/",
    "/ar/learning/learning-hub-2025/south-south-plenary-funding-partners/",
    "/ar/learning/speakers/",
    "/ar/learning/commitments/",
    "/ar/action-plan/sse-2023-2029/",
    "/ar/action-plan/sse-2023-2029/deliverables/",
]

# Every visible text of the page that is written in Arabic (not in an element marked English or
# left to right: names, codes, addresses), with the SVG charts' labels.
ARABIC_TEXTS = """
() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || el.closest('[lang="en"],[dir="ltr"],script,style')) continue;
    if (!el.getClientRects().length) continue;  // not displayed
    const text = node.textContent.trim();
    if (text) texts.push(text);
  }
  return texts;
}
"""
# A month named in one form only ("سبتمبر" rather than "أيلول/سبتمبر"), as a whole word.
SINGLE_MONTH = (
    r"(?<![\u0600-\u06FF/])"
    r"(?:يناير|فبراير|مارس|أبريل|مايو|يونيو|يونيه|يوليو|يوليه|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر)"
    r"(?![\u0600-\u06FF])"
)


@pytest.fixture
def content(load_content):
    load_content()


def test_arabic_pages_use_one_convention_for_digits_and_months(page, live_server, content):
    """The seed's UN Arabic usage everywhere: "١ أيلول/سبتمبر ٢٠٢٥", never "1 سبتمبر 2025"."""
    import re

    problems = {}
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        for path in ARABIC_PAGES:
            page.goto(f"{live_server.url}{path}")
            for text in page.evaluate(ARABIC_TEXTS):
                # Latin-script names ("South-4-Care", "GB.346") keep their own digits.
                arabic = LATIN_RUN.sub("", text)
                if re.search(r"[0-9]", arabic) or re.search(SINGLE_MONTH, arabic):
                    problems.setdefault(f"{path} @{width}", []).append(text[:80])
    assert problems == {}


def test_phone_layout_results_first_filters_folded(browser, live_server, content):
    SHOTS.mkdir(exist_ok=True)
    for lang in ("en", "ar"):
        phone = browser.new_page(viewport={"width": 360, "height": 800})
        phone.goto(f"{live_server.url}/{lang}/hub/")
        filters = phone.locator("details#filters")
        assert filters.get_attribute("open") is None
        first_result = phone.locator(".result-list > li").first.bounding_box()
        assert first_result["y"] < 700, first_result  # was ~1,930 px under six facet boxes
        assert not phone.locator("#filters fieldset").first.is_visible()
        phone.screenshot(path=str(SHOTS / f"hub-{lang}-360.png"), full_page=True)
        phone.locator("#filters > summary").click()
        assert phone.locator("#filters fieldset").first.is_visible()
        phone.close()

        # Wide, with JavaScript: a sidebar at the inline start, open.
        wide = browser.new_page(viewport={"width": 1366, "height": 900})
        wide.goto(f"{live_server.url}/{lang}/hub/")
        wide.wait_for_function("document.getElementById('filters').open")
        facets = wide.locator("#filters").bounding_box()
        results = wide.locator(".results").bounding_box()
        assert (facets["x"] < results["x"]) == (lang == "en")
        wide.close()

    # Without JavaScript the disclosure still opens and the filters still apply.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    plain = context.new_page()
    plain.goto(f"{live_server.url}/en/hub/")
    plain.locator("#filters > summary").click()
    plain.locator("#filters input[name=type][value=policy]").check()
    plain.get_by_role("button", name="Apply filters").click()
    plain.wait_for_url("**type=policy**")
    assert plain.locator(".results-count").inner_text().endswith("resources")
    context.close()


def test_phone_pages_do_not_overflow_and_the_plan_reflows(browser, live_server, content):
    SHOTS.mkdir(exist_ok=True)
    for lang in ("en", "ar"):
        phone = browser.new_page(viewport={"width": 360, "height": 800})
        for path in ("learning/commitments/", "action-plan/sse-2023-2029/deliverables/"):
            phone.goto(f"{live_server.url}/{lang}/{path}")
            assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
        phone.goto(f"{live_server.url}/{lang}/action-plan/sse-2023-2029/")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        # A table of contents leads to each part of the long page.
        toc = phone.locator("nav.toc a")
        assert toc.count() >= 8
        for href in toc.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
            assert phone.locator(href).count() == 1, href
        # No table scrolls sideways: every cell is inside the page, and names its column.
        cells = phone.evaluate(
            """() => [...document.querySelectorAll('table.reflow td')].map(td => {
                 const r = td.getBoundingClientRect();
                 return [r.left >= -1 && r.right <= 361, td.dataset.label || null,
                         getComputedStyle(td, '::before').content];
               })"""
        )
        assert cells
        assert all(inside for inside, _label, _before in cells)
        labelled = [before for _inside, label, before in cells if label]
        assert labelled
        assert all(before not in ("none", "normal") for before in labelled)
        # The budget chart drawn for a phone: labels at a legible size.
        chart = phone.locator("svg.chart-narrow").first
        assert chart.is_visible()
        assert not phone.locator("svg.chart-wide").first.is_visible()
        heights = chart.locator("text").evaluate_all(
            "texts => texts.map(t => t.getBoundingClientRect().height)"
        )
        assert min(heights) >= 11, heights
        chart.screenshot(path=str(SHOTS / f"plan-chart-{lang}-360.png"))
        phone.screenshot(path=str(SHOTS / f"plan-{lang}-360.png"), full_page=True)
        phone.close()

        # Desktop: the chart's values are not clipped ("17.2 million US…").
        wide = browser.new_page(viewport={"width": 1366, "height": 900})
        wide.goto(f"{live_server.url}/{lang}/action-plan/sse-2023-2029/")
        chart = wide.locator("svg.chart-wide").first
        box = chart.bounding_box()
        for text in chart.locator("text").all():
            t = text.bounding_box()
            assert box["x"] - 1 <= t["x"]
            assert t["x"] + t["width"] <= box["x"] + box["width"] + 1
        chart.screenshot(path=str(SHOTS / f"plan-chart-{lang}-1366.png"))
        wide.close()


def test_home_page_search_leads_to_the_hub(browser, live_server, content):
    SHOTS.mkdir(exist_ok=True)
    for lang, word, result in (("en", "care", "resources"), ("ar", "الرعاية", "موارد")):
        for width in (1366, 360):
            home = browser.new_page(viewport={"width": width, "height": 900})
            home.goto(f"{live_server.url}/{lang}/")
            assert home.evaluate("document.documentElement.scrollWidth") <= width
            assert home.locator(".brand img.brand-mark").is_visible()
            assert "S4C" not in home.locator("header").inner_text()
            home.screenshot(path=str(SHOTS / f"home-{lang}-{width}.png"), full_page=True)
            home.close()
        home = browser.new_page(viewport={"width": 360, "height": 800})
        home.goto(f"{live_server.url}/{lang}/")
        home.locator("#home-q").fill(word)
        home.locator("#home-q").press("Enter")
        home.wait_for_url(f"**/{lang}/hub/?q=**")
        assert result in home.locator(".results-count").inner_text()
        home.go_back()
        home.locator(".home-block").nth(1).get_by_role("link").nth(1).click()
        home.wait_for_url("**/learning/learning-hub-2025/")
        home.close()


def test_speakers_link_to_their_sessions_and_back(page, live_server, content):
    for lang in ("en", "ar"):
        page.goto(f"{live_server.url}/{lang}/learning/learning-hub-2025/")
        page.locator("a[href$='#speaker-monica-salmito']").first.click()
        page.wait_for_url("**/speakers/#speaker-monica-salmito")
        speaker = page.locator("#speaker-monica-salmito")
        speaker.locator("ul a").first.click()
        page.wait_for_url("**/south-south-plenary-funding-partners/")


@pytest.mark.parametrize(
    ("lang", "button", "missing"),
    [
        ("en", "Open in Arabic (PDF)", "English — no online copy linked here"),
        ("ar", "فتح النسخة العربية (PDF)", "الإنكليزية — لا توجد نسخة إلكترونية مرتبطة هنا"),
    ],
)
def test_the_document_buttons_say_language_and_format(
    browser, live_server, content, lang, button, missing
):
    phone = browser.new_page(viewport={"width": 360, "height": 800})
    phone.goto(f"{live_server.url}/{lang}/hub/r193-promotion-of-cooperatives/")
    links = phone.locator(".documents a.button")
    assert links.all_inner_texts() == [button]
    assert links.first.get_attribute("href").endswith("wcms_r193_ar.pdf")
    assert links.first.get_attribute("hreflang") == "ar"
    assert missing in phone.locator(".document-languages").inner_text()
    # Inside the phone's width: a long label wraps rather than pushes the page sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.goto(f"{live_server.url}/{lang}/hub/gb346-sse-strategy-plan-of-action/")
    assert phone.locator(".documents a.button").count() == 0
    assert phone.locator(".documents .no-copy").is_visible()
    phone.close()
