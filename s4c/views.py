from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .models import SiteText


def home(request):
    texts = SiteText.objects.by_key()
    sections = [
        {"text": texts.get("knowledge-hub"), "url_name": "hub:index"},
        {"text": texts.get("learning-hub"), "url_name": "learning:index"},
        {"text": texts.get("action-plan"), "url_name": "actionplan:index"},
    ]
    return render(
        request,
        "home.html",
        {
            "platform": texts.get("platform"),
            "partners": texts.get("partners"),
            "sections": [s for s in sections if s["text"]],
            "page_title": _("South-4-Care"),
        },
    )


# Pages no crawler should follow, in every language: the admin, and the sign-in pages of
# participants (their links carry a one-time token). The API and OAI-PMH stay open: partners'
# harvesters honour robots.txt, and the API is how they are meant to read the portal.
ROBOTS_DISALLOWED = ("admin:index", "learning:sign-in", "learning:me")


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    lines = ["User-agent: *"]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            lines += [f"Disallow: {reverse(name)}" for name in ROBOTS_DISALLOWED]
    lines += ["Allow: /", "", f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def bad_request(request, exception=None):
    """Malformed requests (too many parameters, a body over the limit…): a 400 that says so, as
    JSON on the API and as a page elsewhere, in the request's language."""
    from django.http import JsonResponse

    message = _("The request could not be understood: it is malformed or too large.")
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"detail": message}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "400.html", {"message": message}, status=400)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        # A URL no API route matches (e.g. /api/v1/sessions/1.5/) answers JSON like the API.
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
