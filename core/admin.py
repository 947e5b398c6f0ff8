from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from core import services
from core.admin_tools import BilingualAdmin, TranslationStateFilter
from core.models import SiteText

# The portal's name on every admin page, in the user's language.
admin.site.site_header = _("South-4-Care administration")
admin.site.site_title = _("South-4-Care administration")
admin.site.index_title = _("What awaits you, and everything you may edit")
admin.site.index_template = "admin/s4c/index.html"


def _admin_javascript_catalog(request, extra_context=None):
    # Django's catalogue, the rich-text editor's own (django-prose-editor translates its dialogs
    # through it; it has no Arabic yet) and ours (LOCALE_PATHS, merged last, so that it wins):
    # the pickers' and the editor's strings in Arabic (locale/ar/LC_MESSAGES/djangojs.po).
    return JavaScriptCatalog.as_view(packages=["django.contrib.admin", "django_prose_editor"])(
        request
    )


admin.site.i18n_javascript = _admin_javascript_catalog


@admin.register(SiteText)
class SiteTextAdmin(BilingualAdmin):
    services = services
    list_display = ("key", "title", "order", "translation_status", "updated_at")
    list_filter = (TranslationStateFilter,)
    search_fields = ("key", "title_en", "title_ar")
    ordering = ("order",)


# --- roles: groups whose names are their keys (in English), shown in the user's language ------
# Each app marks the names of the roles its migrations make (`ROLES` in <app>/permissions.py).


def role_name(group: Group) -> str:
    return gettext(group.name)


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return role_name(obj)


# Django writes its permissions' names in English when it makes them ("Can add resource"): the
# pickers name them from the model instead, in the user's language (our own permissions' names
# are marked for translation where the models declare them).
_ACTIONS = {
    "add": _("Can add %(thing)s"),
    "change": _("Can change %(thing)s"),
    "delete": _("Can delete %(thing)s"),
    "view": _("Can view %(thing)s"),
}


def permission_name(permission) -> str:
    model = permission.content_type.model_class()
    if model is None:  # a model no longer installed
        return str(permission)
    action, _sep, model_name = permission.codename.partition("_")
    thing = _model_name(model)
    if action in _ACTIONS and model_name == model._meta.model_name:
        name = _ACTIONS[action] % {"thing": thing}
    else:
        name = gettext(permission.name)
    return f"{model._meta.app_config.verbose_name} | {thing} | {name}"


def _model_name(model) -> str:
    # django-simple-history names its models "historical <name>" in English, and the history of a
    # many-to-many table after the table's class.
    original = getattr(model, "instance_type", None)
    if original is None:
        return str(model._meta.verbose_name)
    owner = original._meta.auto_created or original  # a many-to-many table: its model
    return _("history of %(thing)s") % {"thing": owner._meta.verbose_name}


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_name(obj)


class RoleFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        return [(group.pk, role_name(group)) for group in Group.objects.order_by("name")]


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    list_filter = tuple(
        ("groups", RoleFilter) if name == "groups" else name for name in UserAdmin.list_filter
    )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["form_class"] = RoleChoiceField
        elif db_field.name == "user_permissions":
            kwargs["form_class"] = PermissionChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    list_display = ("name", "shown_as")

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "permissions":
            kwargs["form_class"] = PermissionChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("shown as"))
    def shown_as(self, group):
        return role_name(group)
