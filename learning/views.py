import zoneinfo

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from s4c.errors import DomainError
from s4c.links import site_domain
from s4c.outbox import enqueue_on_commit

from . import services
from .calendar import build_calendar
from .forms import ApplicationForm, ProgressUpdateForm, SignInRequestForm
from .models import Application, Commitment
from .selectors import (
    cohort_for_display,
    cohorts_public,
    commitments_public,
    programme,
    session_time,
    sessions_public,
    speakers_public,
)

SESSION_KEY = "learning_application_id"


def index(request):
    return render(
        request,
        "learning/index.html",
        {"page_title": _("Learning Hub"), "cohorts": cohorts_public().prefetch_related("phases")},
    )


def _cohort_or_404(slug):
    cohort = cohort_for_display(slug=slug)
    if cohort is None:
        raise Http404(slug)
    return cohort


def _visitor_zone(request) -> str | None:
    zone = request.GET.get("tz", "").strip()
    return zone if zone in zoneinfo.available_timezones() else None


def cohort_detail(request, slug):
    cohort = _cohort_or_404(slug)
    visitor_zone = _visitor_zone(request)
    feed = reverse("learning:cohort-ics", kwargs={"slug": cohort.slug})
    return render(
        request,
        "learning/cohort.html",
        {
            "page_title": cohort.name,
            "cohort": cohort,
            "programme": programme(cohort, visitor_zone=visitor_zone),
            "visitor_zone": visitor_zone,
            "bad_zone": bool(request.GET.get("tz")) and visitor_zone is None,
            "feed_url": feed,
            "webcal_url": "webcal://" + site_domain(request) + feed,
            "applications_open": cohort.applications_open(),
        },
    )


def session_detail(request, slug, session):
    cohort = _cohort_or_404(slug)
    item = (
        sessions_public().filter(cohort=cohort, slug=session).prefetch_related("materials").first()
    )
    if item is None:
        raise Http404(session)
    return render(
        request,
        "learning/session.html",
        {
            "page_title": item.title,
            "cohort": cohort,
            "item": item,
            "time": session_time(item, visitor_zone=_visitor_zone(request)),
        },
    )


def speakers(request):
    return render(
        request,
        "learning/speakers.html",
        {"page_title": _("Speakers"), "speakers": speakers_public()},
    )


def commitments(request):
    queryset = commitments_public()
    country = request.GET.get("country", "").upper()
    lever = request.GET.get("lever", "")
    if country:
        queryset = queryset.filter(country=country)
    if lever in Commitment.Lever.values:
        queryset = queryset.filter(lever=lever)
    return render(
        request,
        "learning/commitments.html",
        {
            "page_title": _("Commitments"),
            "commitments": queryset,
            "levers": Commitment.Lever.choices,
            "countries": sorted(
                {(c.country.code, c.country.name) for c in commitments_public()},
                key=lambda x: str(x[1]),
            ),
            "country": country,
            "lever": lever,
        },
    )


def _rate_limited(request, scope: str) -> bool:
    """At most APPLICATION_RATE_LIMIT posts per address and hour (cache-based)."""
    address = request.META.get("REMOTE_ADDR", "unknown")
    key = f"s4c:rate:{scope}:{address}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count > settings.APPLICATION_RATE_LIMIT


@require_http_methods(["GET", "POST"])
def apply(request, slug):
    cohort = _cohort_or_404(slug)
    if not cohort.applications_open():
        return render(
            request,
            "learning/apply_closed.html",
            {"page_title": _("Applications closed"), "cohort": cohort},
            status=200,
        )
    form = ApplicationForm(request.POST or None)
    if request.method == "POST":
        if _rate_limited(request, "apply"):
            return render(
                request,
                "learning/apply.html",
                {
                    "cohort": cohort,
                    "form": form,
                    "page_title": _("Apply"),
                    "error": _(
                        "Too many attempts from your connection. Please try again in an hour."
                    ),
                },
                status=429,
            )
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            try:
                services.application_submit(
                    cohort=cohort, data=data, language=translation.get_language()
                )
            except DomainError as error:
                form.add_error(error.field, str(error.message))
            else:
                return redirect("learning:applied", slug=cohort.slug)
    return render(
        request,
        "learning/apply.html",
        {"cohort": cohort, "form": form, "page_title": _("Apply")},
        status=400 if form.errors else 200,
    )


def applied(request, slug):
    return render(
        request,
        "learning/applied.html",
        {"cohort": _cohort_or_404(slug), "page_title": _("Application received")},
    )


@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = SignInRequestForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request, "sign-in"):
            return render(
                request,
                "learning/sign_in.html",
                {
                    "form": form,
                    "page_title": _("Sign in"),
                    "error": _(
                        "Too many attempts from your connection. Please try again in an hour."
                    ),
                },
                status=429,
            )
        # The same answer, and the same work, whether or not the address is known: the e-mail goes
        # out from a worker, so neither the reply nor its timing tells who has applied.
        application = (
            Application.objects.filter(email__iexact=form.cleaned_data["email"])
            .order_by("-submitted_at")
            .first()
        )
        if application is not None:
            with transaction.atomic():
                enqueue_on_commit(
                    "learning.send_sign_in_link",
                    application_id=application.pk,
                    language=translation.get_language(),
                )
        sent = True
    return render(
        request, "learning/sign_in.html", {"form": form, "sent": sent, "page_title": _("Sign in")}
    )


@require_http_methods(["GET", "POST"])
def sign_in_link(request, token):
    # Opening the link only shows a button: mail scanners that fetch links must not use it up.
    if request.method == "GET":
        return render(request, "learning/sign_in_confirm.html", {"page_title": _("Sign in")})
    try:
        application = services.sign_in_link_use(token=token)
    except DomainError as error:
        return render(
            request,
            "learning/sign_in.html",
            {"form": SignInRequestForm(), "page_title": _("Sign in"), "error": str(error.message)},
            status=400,
        )
    request.session.cycle_key()
    request.session[SESSION_KEY] = application.pk
    return redirect("learning:me")


@require_http_methods(["GET", "POST"])
def me(request):
    application = (
        Application.objects.select_related("cohort")
        .filter(pk=request.session.get(SESSION_KEY), erased_at__isnull=True)
        .first()
    )
    if application is None:
        return redirect("learning:sign-in")
    form = ProgressUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        commitment = Commitment.objects.filter(
            pk=form.cleaned_data["commitment"], owner=application
        ).first()
        if commitment is None:
            form.add_error(None, _("You can only update your own commitments."))
        else:
            try:
                services.progress_update_add(
                    commitment=commitment,
                    application=application,
                    light=form.cleaned_data["light"],
                    text=form.cleaned_data["text"],
                    language=translation.get_language(),
                )
            except DomainError as error:
                form.add_error(error.field, str(error.message))
            else:
                return redirect("learning:me")
    return render(
        request,
        "learning/me.html",
        {
            "page_title": _("My Learning Hub"),
            "application": application,
            "form": form,
            "commitments": application.commitments.prefetch_related("updates"),
        },
        # A refused update says why (it was silently dropped before).
        status=400 if form.errors else 200,
    )


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def cohort_ics(request, slug):
    cohort = _cohort_or_404(slug)
    return _ics_response(
        build_calendar(
            cohort=cohort, sessions=list(cohort.sessions.all()), language=translation.get_language()
        ),
        f"{cohort.slug}.ics",
    )


def session_ics(request, slug, session):
    cohort = _cohort_or_404(slug)
    item = sessions_public().filter(cohort=cohort, slug=session).first()
    if item is None:
        raise Http404(session)
    return _ics_response(
        build_calendar(cohort=cohort, sessions=[item], language=translation.get_language()),
        f"{item.slug}.ics",
    )
