"""The admin's rich-text editor under the strict Content-Security-Policy (issue 15, item 11):
its styles come from static files, so the browser blocks nothing and reports no violation."""

import pytest
from django.contrib.auth.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-password-123"

# Every violation the page meets, also those the browser reports before any listener of ours.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_rich_text_editor_meets_no_csp_violation(page, live_server, lang):
    User.objects.create_superuser("admin", "admin@example.org", PASSWORD)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{live_server.url}/{lang}/admin/login/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"**/{lang}/admin/")
    response = page.goto(f"{live_server.url}/{lang}/admin/hub/resource/add/")
    assert "style-src 'self'" in response.headers["content-security-policy"]
    editor = page.locator(".field-body_ar [contenteditable=true]")
    editor.click()
    page.keyboard.type("الرعاية")
    # The editor's own base styles are applied (from the static file, not an injected <style>).
    assert editor.evaluate("e => getComputedStyle(e).whiteSpace") in {"pre-wrap", "break-spaces"}
    assert page.locator("style").count() == 0
    # The heading menu opens a second editor (its picker): it must not inject styles either.
    page.locator(".field-body_ar .prose-menubar__selected").first.click()
    assert page.evaluate("window.__violations") == []
    assert [text for text in console if "Content Security Policy" in text] == []
