"""axe-core (bundled by axe-playwright-python) finds no serious or critical violation on the main pages."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/{lang}/",
    "/{lang}/hub/",
    "/{lang}/hub/?q=care",
    "/{lang}/hub/south-4-care-launch-2025/",
    "/{lang}/learning/learning-hub-2025/",
    "/{lang}/learning/learning-hub-2025/south-south-plenary-funding-partners/",
    "/{lang}/hub/r193-promotion-of-cooperatives/",
    "/{lang}/learning/learning-hub-2025/partners-sessions/",
    "/{lang}/learning/speakers/",
    "/{lang}/learning/commitments/",
    "/{lang}/action-plan/sse-2023-2029/",
    "/{lang}/action-plan/sse-2023-2029/deliverables/",
]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_serious_or_critical_accessibility_violations(load_content, page, live_server, lang):
    from axe_playwright_python.sync_playwright import Axe

    load_content()
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


def test_keyboard_users_can_skip_to_the_content(load_content, page, live_server):
    load_content()
    page.goto(f"{live_server.url}/ar/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


# HTML + CSS + JS of one page, as the browser receives it.
PAGE_BUDGET_BYTES = 200_000


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_pages_stay_within_the_weight_budget_and_request_nothing_from_third_parties(
    load_content, page, live_server, lang
):
    load_content()
    over, foreign = {}, set()
    for template in PAGES:
        responses = []

        def record(response, responses=responses):
            responses.append(response)

        page.on("response", record)
        page.goto(f"{live_server.url}{template.format(lang=lang)}", wait_until="load")
        page.remove_listener("response", record)
        weight = 0
        for response in responses:
            if not response.url.startswith(live_server.url):
                foreign.add(response.url)
            elif response.request.resource_type in {"document", "stylesheet", "script"}:
                weight += len(response.body())
        assert weight > 1000, template  # the page itself was measured
        if weight > PAGE_BUDGET_BYTES:
            over[template] = weight
    assert over == {}
    assert foreign == set()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_keyboard_focus_is_visible(load_content, page, live_server, lang):
    load_content()
    page.goto(f"{live_server.url}/{lang}/hub/")
    for _ in range(4):  # the skip link, then the header's links
        page.keyboard.press("Tab")
        style = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; })()"
        )
        assert style[0] in {"A", "INPUT", "BUTTON", "SELECT"}, style
        assert style[1] != "none", style
        assert style[2] != "0px", style
