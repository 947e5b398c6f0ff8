from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from core.links import site_origin


def site(request):
    """The language switcher's links: the same page in each language."""
    current = translation.get_language()
    alternates = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        alternates.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": translate_url(request.get_full_path(), code),
                "current": code == current,
            }
        )
    return {"language_alternates": alternates, "site_url": site_origin(request)}
