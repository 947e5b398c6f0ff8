from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_arabic_programme_page(load_content, page, live_server):
    load_content()
    Path("/tmp/shots").mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/ar/learning/")
    page.get_by_role("link", name="مركز التعلم لمنصة جنوب من أجل الرعاية ٢٠٢٥").click()
    page.wait_for_url("**/ar/learning/learning-hub-2025/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    headings = page.locator("h3").all_inner_texts()
    assert any("البرنامج الحضوري في الدوحة" in h for h in headings)
    assert page.get_by_text(
        "الجلسة العامة بين بلدان الجنوب: دعم الشركاء التمويلي لاقتصاد الرعاية"
    ).is_visible()
    # A completed cohort says what is known: the partners sessions' phase, not "to be confirmed".
    assert page.get_by_text("خلال المرحلة (١ أيلول/سبتمبر – ١١ أيلول/سبتمبر ٢٠٢٥)").is_visible()
    assert "قيد التأكيد" not in page.locator("main").inner_text()
    assert "لاحقاً" not in page.locator("main").inner_text()
    page.screenshot(path="/tmp/shots/learning-programme-ar.png", full_page=True)
    page.get_by_role(
        "link", name="الجلسة العامة بين بلدان الجنوب: دعم الشركاء التمويلي لاقتصاد الرعاية"
    ).click()
    page.wait_for_url("**/south-south-plenary-funding-partners/")
    assert "مونيكا سالميتو" in page.locator("main").inner_text()
    page.screenshot(path="/tmp/shots/learning-session-ar.png", full_page=True)
    page.goto(f"{live_server.url}/en/learning/learning-hub-2025/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    main = page.locator("main").inner_text()
    assert "to be announced" not in main
    assert "to be confirmed" not in main
    assert page.get_by_text("Monday 1 September 2025").is_visible()
    page.screenshot(path="/tmp/shots/learning-programme-en.png", full_page=True)


def test_fresh_visitors_sign_in_and_apply_with_the_page_cache_on(
    load_content, browser, live_server, settings
):
    """Production's page cache on: each new visitor's form posts (no CSRF 403 for the second)."""
    settings.PAGE_CACHE_SECONDS = 60
    load_content()
    from learning.models import Cohort

    Cohort.objects.filter(slug="learning-hub-2025").update(status=Cohort.Status.OPEN)
    for visitor, language in enumerate(["en", "ar", "en", "ar"]):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{live_server.url}/{language}/learning/sign-in/")
        page.locator("input[name=email]").fill(f"visitor{visitor}@example.org")
        page.locator("form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("[role=status]").is_visible(), page.content()[:500]
        assert "CSRF" not in page.content()
        context.close()


def test_the_arabic_apply_form_on_a_phone(browser, live_server):
    """At 360 px on /ar/: nothing chosen for the applicant, country names in Arabic, and an
    application goes through."""
    import datetime as dt

    from django.utils import timezone

    from learning.models import Application, Cohort

    Cohort.objects.create(
        slug="lh-phone",
        name_en="Phone cohort",
        name_ar="دفعة الهاتف",
        year=2027,
        status=Cohort.Status.OPEN,
        applications_open_at=timezone.now() - dt.timedelta(days=1),
        applications_close_at=timezone.now() + dt.timedelta(days=30),
    )
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/ar/learning/lh-phone/apply/")
    country = page.locator("select[name=country]")
    assert country.input_value() == ""
    assert page.locator("select[name=constituency]").input_value() == ""
    assert country.locator("option").first.inner_text() == "اختر بلداً"
    assert "الأردن" in country.locator("option").all_inner_texts()
    Path("test-artifacts").mkdir(exist_ok=True)
    page.screenshot(path="test-artifacts/learning-apply-ar-360.png", full_page=True)
    page.locator("input[name=name]").fill("أمينة حداد")
    page.locator("input[name=email]").fill("amina@example.org")
    country.select_option(label="الأردن")
    page.locator("input[name=organisation]").fill("وزارة العمل")
    page.locator("select[name=constituency]").select_option(index=1)
    page.locator("input[name=working_languages]").fill("العربية، الإنجليزية")
    page.locator("textarea[name=motivation]").fill(
        "أريد أن أنقل ممارسات سياسات الرعاية إلى وزارتي ومنطقتي."
    )
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/ar/learning/lh-phone/applied/")
    assert Application.objects.get().country == "JO"
    context.close()


@pytest.mark.parametrize(
    ("language", "venue_time", "own_time", "offer"),
    [
        ("en", "10:00", "11:00", "Show the times in your time zone: Abu Dhabi, Dubai"),
        ("ar", "١٠:٠٠", "١١:٠٠", "اعرض الأوقات بتوقيتك: أبو ظبي، دبي"),
    ],
)
def test_the_time_zone_box_names_the_zone_the_times_are_in(
    browser, live_server, timed_session, language, venue_time, own_time, offer
):
    """A visitor in Dubai sees the venue's times (Doha) with the venue's time chosen in the box,
    and an offer to show them in Dubai's time; pressing it converts them and the box says so."""
    Path("test-artifacts").mkdir(exist_ok=True)
    for width in (1366, 360):
        context = browser.new_context(
            timezone_id="Asia/Dubai", viewport={"width": width, "height": 900}
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/{language}/learning/{timed_session.cohort.slug}/")
        select = page.locator("select#tz")
        assert select.input_value() == ""  # the venue's time, as the times below
        times = page.locator(".result-list time").first
        assert times.inner_text().startswith(venue_time)
        button = page.locator("#tz-own button")
        assert button.is_visible()
        assert " ".join(button.inner_text().split()) == offer
        page.screenshot(path=f"test-artifacts/zone-offer-{language}-{width}.png", full_page=True)
        button.click()
        page.wait_for_url("**tz=Asia%2FDubai")
        assert page.locator("select#tz").input_value() == "Asia/Dubai"
        assert page.locator(".result-list time").first.inner_text().startswith(own_time)
        assert not page.locator("#tz-own").is_visible()  # the times are in the visitor's zone
        context.close()


def test_a_date_stays_on_one_line_on_a_phone(browser, live_server, cohort):
    """At 360 px on /ar/, "١٥ أيلول/سبتمبر" is never broken at its slash: every date the
    `local_date` filter writes is one line box."""
    from learning.models import Phase

    Phase.objects.filter(cohort=cohort).update(name_ar="المرحلة الحضورية الطويلة الاسم في الدوحة")
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    Path("test-artifacts").mkdir(exist_ok=True)
    for path in ("/ar/learning/", f"/ar/learning/{cohort.slug}/", "/en/learning/"):
        page.goto(f"{live_server.url}{path}")
        dates = page.locator(".date")
        assert dates.count() > 0, path
        # One line box: every box of the date (one per bidi run) starts at the same height.
        lines = page.evaluate(
            """() => [...document.querySelectorAll('.date')].map(
                d => new Set([...d.getClientRects()].map(r => Math.round(r.top))).size)"""
        )
        assert set(lines) == {1}, (path, lines)
        name = path.strip("/").replace("/", "_")
        page.screenshot(path=f"test-artifacts/dates-{name}-360.png", full_page=True)
    context.close()
