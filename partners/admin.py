from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_tools import HTTPS_URL_FIELDS, https_formfield
from partners.changes import KINDS
from partners.keys import api_key_issue, api_key_revoke
from partners.models import (
    PARTNER_PERMISSION,
    ApiKey,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


class PartnerAccessAdmin(admin.ModelAdmin):
    """Partners' keys and endpoints: superusers, or users given `manage_partner_access` (no role
    has it by default)."""

    formfield_overrides = HTTPS_URL_FIELDS

    def _allowed(self, request) -> bool:
        return request.user.is_active and request.user.has_perm(PARTNER_PERMISSION)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


@admin.register(ApiKey)
class ApiKeyAdmin(PartnerAccessAdmin):
    list_display = ("name", "organisation", "prefix", "created_at", "last_used_at", "state")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "organisation", "contact", "prefix")
    readonly_fields = ("prefix", "created_at", "created_by", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else ()

    def get_fields(self, request, obj=None):
        fields = ["name", "organisation", "contact"]
        return fields + list(self.readonly_fields) if obj else fields

    @admin.display(description=_("state"))
    def state(self, obj):
        return _("revoked") if obj.revoked_at else _("active")

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
        else:
            # Kept on the instance only, to be shown once by response_add: never stored.
            obj._raw_key = api_key_issue(key=obj, actor=request.user)  # noqa: SLF001 - ours, see above

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "title": _("API key created"),
            "opts": self.opts,
            "key": obj,
            "raw_key": getattr(obj, "_raw_key", ""),
        }
        response = TemplateResponse(request, "admin/partners/apikey/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke the selected API keys"))
    def revoke(self, request, queryset):
        keys = list(queryset.filter(revoked_at__isnull=True))
        for key in keys:
            api_key_revoke(key=key, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d API key revoked.", "%(count)d API keys revoked.", len(keys))
            % {"count": len(keys)},
            messages.SUCCESS,
        )


class WebhookEndpointForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("kinds of object"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The kinds of object whose changes are sent; none selected means all."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "organisation", "url", "secret", "kinds", "is_active"]
        formfield_callback = https_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(name, name) for name in sorted(KINDS)]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(PartnerAccessAdmin):
    form = WebhookEndpointForm
    list_display = ("name", "organisation", "url", "kinds_display", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "organisation", "url")

    @admin.display(description=_("kinds of object"))
    def kinds_display(self, obj):
        return ", ".join(obj.kinds) if obj.kinds else _("all")


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ("number", "attempted_at", "status_code", "error", "duration_ms")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(PARTNER_PERMISSION)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(PartnerAccessAdmin):
    """The delivery log: read only."""

    fields = (
        "event_summary",
        "event_id",
        "endpoint",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "created_at",
    )
    list_display = fields
    list_filter = ("status", "endpoint")
    list_select_related = ("event", "endpoint")
    search_fields = ("event__object_id", "event__id")
    readonly_fields = fields
    inlines = [WebhookAttemptInline]

    @admin.display(description=_("change"))
    def event_summary(self, obj):
        return str(obj.event)

    @admin.display(description=_("event id"))
    def event_id(self, obj):
        return str(obj.event_id)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
