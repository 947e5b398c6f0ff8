"""Every admin form builds cleanly, and a link typed without its scheme means https."""

import warnings

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import User
from django.utils.deprecation import RemovedInDjango60Warning

pytestmark = pytest.mark.django_db


def test_the_deprecated_transitional_url_setting_is_not_set():
    # Django 5.x warns at start-up for FORMS_URLFIELD_ASSUME_HTTPS itself; the forms say https.
    assert not settings.is_overridden("FORMS_URLFIELD_ASSUME_HTTPS")


def test_every_admin_form_and_inline_builds_without_a_deprecation_warning(rf):
    request = rf.get("/en/admin/")
    request.user = User.objects.create_superuser("root", "root@example.org", None)
    built = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error", RemovedInDjango60Warning)
        for model_admin in admin.site._registry.values():
            model_admin.get_form(request)()
            for inline in model_admin.get_inline_instances(request):
                inline.get_formset(request)()
            built += 1
    assert built == len(admin.site._registry) > 20


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("hub.organisation", "website"),
        ("hub.resource", "external_url"),
        ("learning.session", "recording_url"),
        ("actionplan.plan", "source_url"),
        ("partners.webhookendpoint", "url"),
    ],
)
def test_a_link_without_its_scheme_is_https_in_every_admin(rf, model, field):
    from django.apps import apps

    request = rf.get("/en/admin/")
    request.user = User.objects.create_superuser("root", "root@example.org", None)
    form_field = admin.site.get_model_admin(apps.get_model(model)).get_form(request)().fields[field]
    assert form_field.clean("www.ilo.org/care") == "https://www.ilo.org/care"
    assert form_field.clean("http://www.ilo.org/care") == "http://www.ilo.org/care"


def test_every_admin_form_asks_a_required_text_in_either_language(rf):
    """Themes, organisations, sessions, speakers, cohorts and their phases, plans and their
    principles…: a required name or title is asked in English or Arabic, one of the two."""
    from core.admin_tools import BilingualModelForm
    from core.bilingual import LANGUAGE_CODES, one_language_required

    request = rf.get("/en/admin/")
    request.user = User.objects.create_superuser("root", "root@example.org", None)
    checked = set()
    for model_admin in admin.site._registry.values():
        forms = [model_admin.get_form(request)]
        forms += [i.get_formset(request).form for i in model_admin.get_inline_instances(request)]
        for form_class in forms:
            required = one_language_required(form_class._meta.model)
            if not required:
                continue
            assert issubclass(form_class, BilingualModelForm), form_class._meta.model
            form = form_class()
            for name in required:
                for code in LANGUAGE_CODES:
                    assert not form.fields[f"{name}_{code}"].required, (form_class, name)
            checked.add(form_class._meta.model._meta.label)
    assert {
        "hub.Resource",
        "hub.Theme",
        "hub.Organisation",
        "learning.Session",
        "learning.Speaker",
        "learning.Cohort",
        "learning.Phase",
        "actionplan.OperationalPrinciple",
        "learning.ProgressUpdate",
    } <= checked


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_theme_and_a_speaker_named_in_arabic_only_are_saved(client, lang):
    from hub.models import Theme
    from learning.models import Speaker

    client.force_login(User.objects.create_superuser("root", "root@example.org", None))
    response = client.post(
        f"/{lang}/admin/hub/theme/add/",
        {"slug": "care", "name_en": "", "name_ar": "الرعاية", "order": "0"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    theme = Theme.objects.get()
    assert str(theme) == "الرعاية"
    response = client.post(
        f"/{lang}/admin/learning/speaker/add/",
        {"slug": "amal", "name_en": "", "name_ar": "أمل", "role_en": "", "role_ar": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert str(Speaker.objects.get()) == "أمل"
    # Nameless in both languages: refused, on both fields.
    response = client.post(
        f"/{lang}/admin/hub/theme/add/", {"slug": "x", "name_en": "", "name_ar": "", "order": "0"}
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"name_en", "name_ar"}


def test_the_arabic_admin_catalogue_gives_the_rich_text_editor_its_arabic(client):
    """django-prose-editor reads window.gettext (the admin's JavaScript catalogue): its dialogs'
    strings and the menu's names (s4c/js/rich_text.js) are there in Arabic, and a button's
    "Cancel" is "إلغاء" (Django's own catalogue says "ألغ", an imperative)."""
    import json

    client.force_login(User.objects.create_superuser("root", "root@example.org", None))
    script = client.get("/ar/admin/jsi18n/").content.decode()
    for msgid, arabic in [
        ("Cancel", "إلغاء"),
        ("Edit Link", "تعديل الرابط"),
        ("Open in new window", "فتح في نافذة جديدة"),
        ("Update", "تحديث"),
        ("List properties", "خصائص القائمة"),
        ("Bold", "غامق"),
        ("Heading %s", "عنوان من المستوى %s"),
        ("Paragraph", "فقرة"),
    ]:
        assert f"{json.dumps(msgid)}: {json.dumps(arabic)}" in script, msgid
    assert json.dumps("ألغ") not in script


@pytest.mark.django_db
def test_roles_are_named_in_the_users_language_and_still_given(admin_client):
    from django.contrib.auth.models import Group, User

    person = User.objects.create_user("amina", "amina@example.org", "a-long-password-123")
    change = f"/ar/admin/auth/user/{person.pk}/change/"
    page = admin_client.get(change).content.decode()
    for arabic, english in (("أمين المحتوى", "Curator"), ("المراجِع", "Reviewer")):
        assert f">{arabic}</option>" in page
        assert f">{english}</option>" not in page
    listing = admin_client.get("/ar/admin/auth/user/").content.decode()
    assert "منسّق مركز التعلم" in listing  # the list's filter by role
    assert "مسؤول المتابعة" in admin_client.get("/ar/admin/auth/group/").content.decode()
    assert ">Curator</option>" in admin_client.get(change.replace("/ar/", "/en/")).content.decode()

    form = admin_client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        username="amina",
        email="amina@example.org",
        groups=[Group.objects.get(name="Curator").pk],
        is_active="on",
        date_joined_0=person.date_joined.date().isoformat(),
        date_joined_1="00:00:00",
        user_permissions=[],
    )
    data.pop("password", None)
    data.pop("last_login", None)
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(person.groups.values_list("name", flat=True)) == ["Curator"]


@pytest.mark.django_db
def test_permissions_are_named_in_the_users_language(admin_client):
    from django.contrib.auth.models import Group, User

    reviewer = Group.objects.get(name="Reviewer")
    page = admin_client.get(f"/ar/admin/auth/group/{reviewer.pk}/change/").content.decode()
    assert "مركز المعرفة | مورد | يمكنه إضافة مورد</option>" in page
    assert "يمكنه نشر الموارد وإلغاء نشرها وأرشفتها</option>" in page  # one of ours
    assert "Can add" not in page
    admin_user = User.objects.get(is_superuser=True)
    user_form = admin_client.get(f"/ar/admin/auth/user/{admin_user.pk}/change/").content.decode()
    assert "يمكنه عرض مورد</option>" in user_form
    assert "Can add" not in user_form
    english = admin_client.get(f"/en/admin/auth/group/{reviewer.pk}/change/").content.decode()
    assert "Knowledge Hub | resource | Can add resource</option>" in english
