from django.contrib import admin

from .admin_tools import BilingualAdmin, TranslationStateFilter
from .models import SiteText


@admin.register(SiteText)
class SiteTextAdmin(BilingualAdmin):
    list_display = ("key", "title", "order", "translation_status", "updated_at")
    list_filter = (TranslationStateFilter,)
    search_fields = ("key", "title_en", "title_ar")
    ordering = ("order",)
