"""The Arabic home page in a real browser: right-to-left, no English left, switcher to English."""

import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("test-artifacts")
# Proper names and acronyms that stay in Latin script in Arabic UN texts.
ALLOWED_LATIN = {"South", "Care", "ILO", "ITC", "GIZ", "SSTC", "S4C", "API"}

VISIBLE_LATIN_WORDS = """
() => {
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || el.closest('[lang="en"]') || el.closest('script,style')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    words.push(...(node.textContent.match(/[A-Za-z]{2,}/g) || []));
  }
  for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')) {
    if (el.closest('[lang="en"]')) continue;
    for (const attr of ['aria-label', 'title', 'placeholder', 'alt']) {
      words.push(...((el.getAttribute(attr) || '').match(/[A-Za-z]{2,}/g) || []));
    }
  }
  return words;
}
"""


@pytest.fixture
def content(load_content):
    load_content()


@pytest.mark.parametrize("width", [1280, 360])
def test_arabic_home_is_rtl_fully_arabic_and_switches_to_the_same_page(
    page, live_server, content, width
):
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/ar/")

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    leftover = [w for w in page.evaluate(VISIBLE_LATIN_WORDS) if w not in ALLOWED_LATIN]
    assert leftover == []
    # Mirrored layout: the brand sits at the inline start, which is the right edge in Arabic.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] + brand["width"] > width * 0.6
    # No horizontal scrolling at phone width.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SHOTS / f"home-ar-{width}.png"), full_page=True)

    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.screenshot(path=str(SHOTS / f"home-en-{width}.png"), full_page=True)


def test_switcher_on_a_section_page_stays_on_that_section(page, live_server, content):
    page.goto(f"{live_server.url}/ar/action-plan/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r".*/en/action-plan/sse-2023-2029/$"))
