from django.contrib import admin
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
    # through it; it has no Arabic yet) and ours, last, so that it wins: the pickers' and the
    # editor's strings in Arabic (core/locale/ar/LC_MESSAGES/djangojs.po).
    return JavaScriptCatalog.as_view(
        packages=["django.contrib.admin", "django_prose_editor", "core"]
    )(request)


admin.site.i18n_javascript = _admin_javascript_catalog


@admin.register(SiteText)
class SiteTextAdmin(BilingualAdmin):
    services = services
    list_display = ("key", "title", "order", "translation_status", "updated_at")
    list_filter = (TranslationStateFilter,)
    search_fields = ("key", "title_en", "title_ar")
    ordering = ("order",)
