import simple_history
from modeltranslation.translator import TranslationOptions, register

from core.history import StableHistoricalRecords

from .models import Organisation, Region, Resource, Theme


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "acronym")


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Resource)
class ResourceTranslation(TranslationOptions):
    fields = ("title", "summary", "body")


# History after translation registration (see ../shared/ECOSYSTEM.md). The resource's history
# keeps its themes and regions too, so restoring a version restores them.
for model in (Region, Organisation, Theme):
    simple_history.register(model)
simple_history.register(
    Resource,
    records_class=StableHistoricalRecords,
    m2m_fields=["themes", "regions"],
    excluded_fields=["search_vector", "search_text"],
)
