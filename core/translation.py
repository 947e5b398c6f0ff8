import simple_history
from modeltranslation.translator import TranslationOptions, register

from core.models import SiteText


@register(SiteText)
class SiteTextTranslation(TranslationOptions):
    fields = ("title", "body")
    required_languages = ("en",)


# History is registered after translation (a HistoricalRecords field on a translated model breaks saves).
simple_history.register(SiteText)
