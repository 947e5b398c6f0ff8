import simple_history
from modeltranslation.translator import TranslationOptions, register

from core.models import SiteText


@register(SiteText)
class SiteTextTranslation(TranslationOptions):
    fields = ("title", "body")


# History is registered after translation (a HistoricalRecords field on a translated model breaks saves).
simple_history.register(SiteText)
# simple_history gives the historical model the module `core` (this app's label, `s4c`, is not its
# package's name) while it puts the class in `core.models`: say where it is, so that `manage.py
# shell` and pickling find it.
SiteText.history.model.__module__ = SiteText.__module__
