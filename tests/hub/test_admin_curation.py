"""What a curator meets in the admin (issue 15, items 9–14): branding, password reset, the
dashboard, the workflow on the edit page, readable errors and the publication gate, pickers that
scale, rich text, and a history a person can read and restore."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError

from core.errors import DomainError
from core.permissions import CONTENT_LOADER, SCHEDULER, SystemActor
from hub import permissions, services
from hub.models import Resource, StatusChange

Status = Resource.Status
pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


# --- 9: branded admin, password reset, dashboard ------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "name"),
    [("en", "South-4-Care administration"), ("ar", "إدارة منصة «جنوب من أجل الرعاية»")],
)
def test_the_admin_names_the_portal_in_both_languages(client, curator, lang, name):
    login = _html(client.get(f"/{lang}/admin/login/"))
    assert name in login
    assert "Django" not in login
    assert f'href="/{lang}/admin/password_reset/"' in login
    client.force_login(curator)
    index = _html(client.get(f"/{lang}/admin/"))
    assert name in index
    assert "Django" not in index


@pytest.mark.parametrize(("lang", "words"), [("en", "password reset"), ("ar", "كلمة المرور")])
def test_a_forgotten_password_is_reset_by_email_in_the_pages_language(
    client, curator, settings, django_capture_on_commit_callbacks, eager_tasks, lang, words
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):  # the mailer writes after commit
        response = client.post(f"/{lang}/admin/password_reset/", {"email": curator.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert words in (message.subject + message.body).lower()
    link = re.search(rf"/{lang}/admin/reset/\S+/\S+/", message.body).group(0)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "another-long-password-456",
            "new_password2": "another-long-password-456",
        },
    )
    assert done.status_code == 302
    assert User.objects.get(pk=curator.pk).check_password("another-long-password-456")


def test_the_dashboard_shows_what_awaits_each_role(client, curator, reviewer, make_resource):
    make_resource("A draft", "", status=Status.DRAFT)
    make_resource("In review", "قيد المراجعة", status=Status.IN_REVIEW)
    broken = make_resource("Broken", "معطّل")
    Resource.objects.filter(pk=broken.pk).update(link_status=Resource.LinkStatus.BROKEN)
    client.force_login(curator)
    page = _html(client.get("/en/admin/"))
    assert "1 draft to finish and submit for review" in page
    assert "?status__exact=draft" in page
    assert "1 resource with a broken link" in page
    assert "Resources: 1 with a missing Arabic translation" in page
    assert "waiting for a reviewer" not in page  # a curator does not publish
    client.force_login(reviewer)
    page = _html(client.get("/ar/admin/"))
    assert "مورد واحد قيد المراجعة ينتظر مراجِعًا" in page
    assert "?status__exact=in_review" in page


@pytest.mark.parametrize(
    ("drafts", "english", "arabic"),
    [
        (2, "2 drafts to finish", "مسودتان لإكمالهما وتقديمهما للمراجعة"),
        (3, "3 drafts to finish", "٣ مسودات لإكمالها وتقديمها للمراجعة"),
        (11, "11 drafts to finish", "١١ مسودةً لإكمالها وتقديمها للمراجعة"),
    ],
)
def test_the_dashboard_counts_take_the_plural_form_of_their_number(
    client, curator, make_resource, drafts, english, arabic
):
    """Arabic has six plural forms (the catalogues' Plural-Forms): "١ موارد" read wrongly."""
    for n in range(drafts):
        make_resource(f"Draft {n}", "", status=Status.DRAFT)
    client.force_login(curator)
    assert english in _html(client.get("/en/admin/"))
    page = _html(client.get("/ar/admin/"))
    assert arabic in page
    missing = {2: "عنصران تنقصهما", 3: "٣ عناصر تنقصها", 11: "١١ عنصرًا تنقصها"}[drafts]
    assert f"الموارد: {missing} الترجمة إلى" in page


# --- 10: the workflow on the edit page -------------------------------------------------------
def _workflow(client, resource, to_status, lang="en"):
    return client.post(
        f"/{lang}/admin/hub/resource/{resource.pk}/workflow/", {"to_status": to_status}, follow=True
    )


def test_the_edit_page_offers_the_moves_of_the_users_role(
    client, curator, reviewer, make_resource, publishable
):
    draft = make_resource(status=Status.DRAFT, **publishable)
    client.force_login(curator)
    page = _html(client.get(f"/en/admin/hub/resource/{draft.pk}/change/"))
    assert 'value="in_review"' in page
    assert 'value="published"' not in page
    assert "A curator: finish the draft and submit it for review." in page
    _workflow(client, draft, Status.IN_REVIEW)
    client.force_login(reviewer)
    page = _html(client.get(f"/ar/admin/hub/resource/{draft.pk}/change/"))
    assert "نشر" in page
    assert 'value="published"' in page
    assert "قيد المراجعة ← " not in page  # the last move: from draft to in review, by the curator
    assert "بواسطة curator" in page
    response = _workflow(client, draft, Status.PUBLISHED, lang="ar")
    assert "منشور" in _html(response)
    assert Resource.objects.get(pk=draft.pk).status == Status.PUBLISHED
    move = StatusChange.objects.filter(resource=draft).first()
    assert (move.from_status, move.to_status, move.actor) == (
        Status.IN_REVIEW,
        Status.PUBLISHED,
        reviewer,
    )


def test_a_reviewer_cannot_publish_a_draft_that_skipped_review(
    client, reviewer, make_resource, publishable, settings
):
    draft = make_resource(status=Status.DRAFT, **publishable)
    client.force_login(reviewer)
    assert 'value="published"' not in _html(
        client.get(f"/en/admin/hub/resource/{draft.pk}/change/")
    )
    response = _workflow(client, draft, Status.PUBLISHED, lang="ar")
    assert "لا تُنشر المسودة إلا بعد مراجعتها" in _html(response)
    assert Resource.objects.get(pk=draft.pk).status == Status.DRAFT
    with pytest.raises(DomainError):
        services.resource_publish(resource=draft, actor=reviewer)
    # The documented setting allows it explicitly.
    settings.HUB_ALLOW_DIRECT_PUBLISH = True
    assert permissions.can_transition(reviewer, draft, Status.PUBLISHED)
    _workflow(client, draft, Status.PUBLISHED)
    assert Resource.objects.get(pk=draft.pk).status == Status.PUBLISHED


def test_system_actors_are_named_and_recorded(make_resource):
    resource = make_resource(status=Status.IN_REVIEW, complete=True)
    services.resource_transition(resource=resource, to_status=Status.PUBLISHED, actor=SCHEDULER)
    move = StatusChange.objects.filter(resource=resource).first()
    assert move.actor is None
    assert move.note == "scheduler"
    assert permissions.can_edit_resource(CONTENT_LOADER, resource)
    assert SystemActor("nightly job").has_perm("hub.publish_resource")


# --- 13: errors a curator understands, and the publication gate ----------------------------------
def test_an_implausible_year_is_a_sentence_on_the_field_in_arabic(client, curator):
    client.force_login(curator)
    response = client.post(
        "/ar/admin/hub/resource/add/",
        {"title_en": "Care", "resource_type": "publication", "publication_year": 1800},
    )
    page = _html(response)
    assert "resource_year_plausible" not in page
    assert "يجب أن تكون سنة النشر بين ١٩٠٠ و٢١٠٠." in page
    errors = response.context["adminform"].form.errors
    assert "publication_year" in errors


def test_the_check_constraint_says_it_in_words_too():
    resource = Resource(title_en="x", resource_type="publication", publication_year=1800)
    with pytest.raises(ValidationError) as caught:
        resource.validate_constraints()
    assert "The publication year must be between 1900 and 2100." in caught.value.messages


def test_the_publication_gate_says_what_is_missing(
    client, reviewer, make_resource, organisation, make_theme
):
    resource = make_resource("Care", "", status=Status.IN_REVIEW)
    problems = services.publication_problems(resource)
    assert set(problems) == {"summary_en", "publisher", "themes", "external_url"}
    client.force_login(reviewer)
    page = _html(client.get(f"/ar/admin/hub/resource/{resource.pk}/change/"))
    assert "قبل أن يمكن نشره" in page
    assert "اختر الجهة الناشرة." in page
    response = _workflow(client, resource, Status.PUBLISHED)
    assert "Not ready to publish" in _html(response)
    assert Resource.objects.get(pk=resource.pk).status == Status.IN_REVIEW
    # English only: publishable once the missing Arabic is marked explicitly.
    Resource.objects.filter(pk=resource.pk).update(
        summary_en="A summary.", publisher=organisation, external_url="https://www.ilo.org/"
    )
    resource.themes.add(make_theme())
    resource.refresh_from_db()
    assert set(services.publication_problems(resource)) == {"arabic_pending"}
    Resource.objects.filter(pk=resource.pk).update(arabic_pending=True)
    _workflow(client, resource, Status.PUBLISHED)
    assert Resource.objects.get(pk=resource.pk).status == Status.PUBLISHED


def test_missing_and_stale_translations_are_shown_beside_the_fields(client, curator, make_resource):
    resource = make_resource("Only English", "", status=Status.DRAFT)
    client.force_login(curator)
    page = _html(client.get(f"/en/admin/hub/resource/{resource.pk}/change/"))
    assert re.search(
        r"field-title_ar.*?Arabic: missing|field-title_ar.*?Arabic missing\.", page, re.S
    )


# --- 11 and 12: rich text, pickers ---------------------------------------------------------------
def test_rich_text_is_edited_with_the_editor_and_still_sanitised(client, curator, make_resource):
    resource = make_resource(status=Status.DRAFT)
    client.force_login(curator)
    page = _html(client.get(f"/en/admin/hub/resource/{resource.pk}/change/"))
    assert re.search(r'<textarea[^>]*name="body_ar"[^>]*data-s4c-rich-text', page) or re.search(
        r'<textarea[^>]*data-s4c-rich-text[^>]*name="body_ar"', page
    )
    assert re.search(r'<script src="/static/s4c/js/rich_text[.\w]*js" type="module">', page)
    assert "cdn" not in page.lower()
    resource.body_ar = (
        "<p><strong>نص</strong><script>alert(1)</script><img src=x onerror=alert(1)></p>"
    )
    services.resource_save(resource=resource, actor=curator)
    assert Resource.objects.get(pk=resource.pk).body_ar == "<p><strong>نص</strong></p>"


def test_pickers_are_searchable_and_the_country_filter_is_one_select(
    client, curator, make_resource, make_theme
):
    make_theme(name_en="Care economy")
    make_resource(countries=["QA"])
    make_resource("Other", "أخرى", countries=["JO"])
    client.force_login(curator)
    page = _html(client.get("/en/admin/hub/resource/add/"))
    assert re.search(
        r'<select[^>]*name="themes"[^>]*admin-autocomplete|admin-autocomplete[^>]*name="themes"',
        page,
    )
    assert re.search(
        r'<select[^>]*name="publisher"[^>]*admin-autocomplete|admin-autocomplete[^>]*name="publisher"',
        page,
    )
    assert 'class="selectfilter"' in page
    assert 'name="countries"' in page
    found = client.get(
        "/en/admin/autocomplete/",
        {"term": "care", "app_label": "hub", "model_name": "resource", "field_name": "themes"},
    ).json()
    assert [r["text"] for r in found["results"]] == ["Care economy"]
    changelist = _html(client.get("/ar/admin/hub/resource/"))
    assert '<select id="s4c-filter-country" name="country">' in changelist
    assert changelist.count("<option") < 60  # the countries of resources only, in one select
    assert '<option value="QA">قطر</option>' in changelist
    assert (
        len(client.get("/en/admin/hub/resource/", {"country": "QA"}).context["cl"].result_list) == 1
    )


# --- 14: history a person can read, and a restore through the services ---------------------------
def _form_data(form) -> dict:
    """What a browser posts back for this form, unchanged."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or (hasattr(value, "field") and not value):
            continue  # empty, unticked, or a file field without a file
        data[name] = value
    return data


def _post_change(client, resource, **changes):
    form = client.get(f"/en/admin/hub/resource/{resource.pk}/change/").context["adminform"].form
    data = {
        **_form_data(form),
        **changes,
        "status_changes-TOTAL_FORMS": 0,
        "status_changes-INITIAL_FORMS": 0,
    }
    return client.post(f"/en/admin/hub/resource/{resource.pk}/change/", data)


def test_one_edit_is_one_readable_entry_and_a_restore_brings_back_themes_and_countries(
    client, reviewer, make_resource, make_theme, no_direct_form_choices
):
    # Themes are set by hub.services.resource_save, in the edit and in the restore, never by
    # Django's form.save_m2m() (which simple-history's restore calls after save_model).
    care, finance = make_theme(name_en="Care economy"), make_theme(name_en="Financing")
    resource = make_resource(status=Status.DRAFT, themes=[care], countries=["QA"])
    before = resource.history.count()
    client.force_login(reviewer)
    response = _post_change(
        client, resource, title_en="Edited title", themes=[finance.pk], countries=["JO"]
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert resource.history.count() == before + 1
    history = _html(client.get(f"/en/admin/hub/resource/{resource.pk}/history/"))
    assert "None" not in history
    assert "Themes:" in history
    assert "Countries:" in history
    assert "Edited title" in history
    version = resource.history.order_by("history_date", "history_id")[before - 1]
    restore_url = f"/en/admin/hub/resource/{resource.pk}/history/{version.history_id}/"
    page = client.get(restore_url)
    plan = _html(page)
    assert "What restoring this version does" in plan
    assert "Jordan" in plan
    assert "Qatar" in plan
    form = page.context["adminform"].form
    assert list(form.initial["themes"]) == [care.pk]
    resource.refresh_from_db()
    assert list(resource.themes.all()) == [finance]
    data = _form_data(form)
    data["themes"] = form.initial["themes"]
    data["countries"] = form.initial["countries"]
    response = client.post(restore_url, {**data, "_save": "Revert"})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert list(resource.themes.all()) == [care]
    assert list(resource.country_links.values_list("country", flat=True)) == ["QA"]
    assert resource.title_en == version.title_en
    latest = resource.history.first()
    assert latest.history_user == reviewer


def test_deleting_a_region_in_the_admin_names_who_did_it_and_tells_partners(
    client, make_resource, region, django_capture_on_commit_callbacks
):
    from partners.models import ChangeEvent

    resource = make_resource(regions=[region])
    admin = User.objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    head = ChangeEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/admin/hub/region/{region.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not resource.regions.exists()
    deletion = type(region).history.filter(id=region.pk, history_type="-").get()
    assert deletion.history_user == admin
    events = ChangeEvent.objects.filter(pk__gt=head).values_list("kind", "object_id", "action")
    assert ("resource", resource.identifier, "upsert") in set(events)


def test_a_region_is_deleted_only_by_whoever_may(region, curator):
    with pytest.raises(DomainError):
        services.region_delete(region=region, actor=curator)
    with pytest.raises(TypeError):
        services.region_delete(region=region, actor=None)
    services.region_delete(region=region, actor=SCHEDULER)
    assert not type(region).objects.filter(pk=region.pk).exists()
