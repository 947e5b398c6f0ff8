"""axe-core (bundled by axe-playwright-python) finds no serious or critical violation on the main pages."""

import io

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/{lang}/",
    "/{lang}/hub/",
    "/{lang}/hub/?q=care",
    "/{lang}/hub/south-4-care-launch-2025/",
    "/{lang}/learning/learning-hub-2025/",
    "/{lang}/learning/learning-hub-2025/south-south-plenary-funding-partners/",
    "/{lang}/action-plan/sse-2023-2029/",
]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_serious_or_critical_accessibility_violations(page, live_server, lang):
    from axe_playwright_python.sync_playwright import Axe

    call_command("load_south4care", stdout=io.StringIO())
    axe = Axe()
    problems = {}
    for template in PAGES:
        path = template.format(lang=lang)
        page.goto(f"{live_server.url}{path}")
        results = axe.run(page)
        serious = [
            (v["id"], len(v["nodes"]))
            for v in results.response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        if serious:
            problems[path] = serious
        # Phone width: nothing forces horizontal scrolling.
        page.set_viewport_size({"width": 360, "height": 800})
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            problems.setdefault(path, []).append(("horizontal-scroll", width))
        page.set_viewport_size({"width": 1280, "height": 900})
    assert problems == {}


def test_keyboard_users_can_skip_to_the_content(page, live_server):
    call_command("load_south4care", stdout=io.StringIO())
    page.goto(f"{live_server.url}/ar/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
