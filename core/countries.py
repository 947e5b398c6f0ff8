"""The country list of every country field, picker and filter: django-countries' names (with the
project catalogue's corrections, `COUNTRY_NAMES`) in the alphabetical order of the active language
(`core.text.collation_key`, as the Knowledge Hub's facets)."""

from django.utils.translation import get_language, gettext_noop
from django_countries import Countries as BaseCountries

from core.text import collation_key

# django-countries' own msgids whose Arabic names read wrongly, overridden by the project's
# catalogue (which comes before the apps'): the UN Arabic short names of "Micronesia (Federated
# States of)" (django-countries says "Micronesia (United States)") and the hamza of أفريقيا.
COUNTRY_NAMES = [
    gettext_noop("Micronesia (Federated States of)"),
    gettext_noop("South Africa"),
    gettext_noop("Central African Republic"),
]


class Countries(BaseCountries):
    """django-countries' list, sorted by `collation_key` of each name in the active language.

    Without a collation library django-countries sorts by the names' ASCII letters: Arabic names
    have none, so they stayed in the English order (Egypt 46th, Saudi Arabia last)."""

    def __iter__(self):
        cache = self.__dict__.setdefault("_collated", {})
        language = get_language()
        if language not in cache:
            cache[language] = sorted(super().__iter__(), key=lambda c: collation_key(c.name))
        yield from cache[language]


countries = Countries()
