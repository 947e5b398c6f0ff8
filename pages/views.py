from django.conf import settings
from django.db.models import F
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from actionplan.money import millions_in_words
from actionplan.selectors import budget_overview, plan_with_structure, plans_public
from core.models import SiteText
from hub.selectors import resources_published
from learning.selectors import cohorts_public

HOME_RESOURCES = 4


def home(request):
    # The home page leads into the three parts: it reads each app's public selectors.
    texts = SiteText.objects.by_key()
    sections = [
        {"text": texts.get("knowledge-hub"), "url_name": "hub:index"},
        {"text": texts.get("learning-hub"), "url_name": "learning:index"},
        {"text": texts.get("action-plan"), "url_name": "actionplan:index"},
    ]
    published = resources_published().select_related("publisher")
    featured = list(published.filter(featured=True).order_by("-publication_year")[:HOME_RESOURCES])
    newest = list(
        published.exclude(pk__in=[r.pk for r in featured]).order_by(
            F("publication_year").desc(),
            F("publication_month").desc(nulls_last=True),
            F("publication_day").desc(nulls_last=True),
            "identifier",
        )[:HOME_RESOURCES]
    )
    cohort = cohorts_public().prefetch_related("phases").first()
    plan_summary = None
    first_plan = plans_public().first()
    if first_plan is not None:
        plan = plan_with_structure(slug=first_plan.slug)
        objectives = list(plan.objectives.all())
        outcomes = [o for objective in objectives for o in objective.outcomes.all()]
        budget = budget_overview(plan)
        plan_summary = {
            "plan": plan,
            "objectives": objectives,
            "outcomes": len(outcomes),
            "deliverables": sum(len(o.deliverables.all()) for o in outcomes),
            "total": millions_in_words(budget["total"].current.amount, plan.currency)
            if budget["total"].current
            else "",
        }
    return render(
        request,
        "home.html",
        {
            "platform": texts.get("platform"),
            "partners": texts.get("partners"),
            "sections": [s for s in sections if s["text"]],
            "newest": newest,
            "featured": featured,
            "cohort": cohort,
            "plan_summary": plan_summary,
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


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """/favicon.ico, which a browser asks for on a page that names no icon (a file, an API answer):
    the icon every page names (templates/base.html, the admin's base_site.html). A temporary
    redirect: the static file's name changes with its content."""
    return HttpResponseRedirect(static("s4c/img/favicon.svg"))
