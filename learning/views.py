import datetime as dt
import zoneinfo

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.formats import local_time
from core.links import site_domain
from core.net import client_network
from core.seo import json_ld_script, languages_of

from . import ratelimits, services
from .calendar import build_calendar
from .forms import ApplicationForm, ProgressUpdateForm, SignInRequestForm
from .models import Application, Commitment
from .presentation import cohort_json_ld, session_json_ld
from .selectors import (
    cohort_for_display,
    cohorts_public,
    commitments_public,
    programme,
    public_materials,
    session_time,
    sessions_public,
    speakers_with_sessions,
)
from .zones import ZONE_GROUPS, ZONE_NAMES, zone_label

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
    sessions = list(cohort.sessions.all())
    today = timezone.localdate()
    # RFC 5545 wants at least one event: a programme with no dated session yet has no calendar.
    has_calendar = any(s.date is not None for s in sessions)
    feed = reverse("learning:cohort-ics", kwargs={"slug": cohort.slug}) if has_calendar else ""
    return render(
        request,
        "learning/cohort.html",
        {
            "page_title": cohort.name,
            "page_languages": languages_of(cohort, "name"),
            "json_ld": json_ld_script(cohort_json_ld(cohort)),
            "cohort": cohort,
            "programme": programme(cohort, visitor_zone=visitor_zone),
            "visitor_zone": visitor_zone,
            "visitor_zone_label": zone_label(visitor_zone) if visitor_zone else "",
            "visitor_zone_listed": visitor_zone in ZONE_NAMES,
            "zone_groups": ZONE_GROUPS,
            "bad_zone": bool(request.GET.get("tz")) and visitor_zone is None,
            # The time-zone choice matters only when a session has a time (most are date-only).
            "has_timed_sessions": any(session.is_timed for session in sessions),
            "phase_over": {phase.pk: phase.end_date < today for phase in cohort.phases.all()},
            "feed_url": feed,
            "webcal_url": f"webcal://{site_domain(request)}{feed}" if feed else "",
            "applications_open": cohort.applications_open(),
            "applications_closed": bool(
                cohort.applications_close_at and cohort.applications_close_at <= timezone.now()
            ),
        },
    )


def session_detail(request, slug, session):
    cohort = _cohort_or_404(slug)
    item = (
        sessions_public()
        .filter(cohort=cohort, slug=session)
        .prefetch_related(public_materials())
        .first()
    )
    if item is None:
        raise Http404(session)
    return render(
        request,
        "learning/session.html",
        {
            "page_title": item.title,
            "page_languages": languages_of(item, "title"),
            "json_ld": json_ld_script(session_json_ld(item)),
            "cohort": cohort,
            "item": item,
            "time": session_time(item, visitor_zone=_visitor_zone(request)),
            "visitor_zone_label": zone_label(_visitor_zone(request) or ""),
        },
    )


def speakers(request):
    return render(
        request,
        "learning/speakers.html",
        {"page_title": _("Speakers"), "speakers": speakers_with_sessions()},
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


def _limits(request, form: str, email: str) -> list[ratelimits.Limit]:
    """A generous limit per client address and form, and one on e-mails to the address."""
    per_address = {"apply": settings.APPLICATION_RATE_LIMIT, "sign-in": settings.SIGN_IN_RATE_LIMIT}
    return [
        ratelimits.Limit(f"{form}-address", client_network(request), per_address[form]),
        ratelimits.Limit("mail", email, settings.EMAIL_RATE_LIMIT),
    ]


def _refusal_message(until) -> str:
    return _(
        "Too many requests from your connection or for this e-mail address. Please try again "
        "after %(time)s (UTC)."
    ) % {"time": local_time(timezone.localtime(until, dt.UTC))}


def _refusal(request, template: str, context: dict, until) -> HttpResponse:
    """429 saying when to come back; the form keeps what the person typed."""
    context["error"] = _refusal_message(until)
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(max(1, int((until - timezone.now()).total_seconds())))
    return response


class AdminPasswordResetView(auth_views.PasswordResetView):
    """The admin's "forgotten your password?": the same limits as the public forms (accepted
    requests per client address, and e-mails per recipient), so it cannot flood a mailbox.

    The e-mail is written by the mailer after commit, through the outbox (never by Django's
    `form.save()` inside the request): its link is built from SITE_URL, a mail server or broker
    that is down only delays it, and the request does the same work for any address."""

    def form_valid(self, form):
        limits = [
            ratelimits.Limit(
                "password-reset-address",
                client_network(self.request),
                settings.PASSWORD_RESET_RATE_LIMIT,
            ),
            ratelimits.Limit("mail", form.cleaned_data["email"], settings.EMAIL_RATE_LIMIT),
        ]
        with transaction.atomic():
            until = ratelimits.take(limits)
        if until is not None:
            # On the field: the admin's reset template shows the e-mail field's errors.
            form.add_error("email", _refusal_message(until))
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(max(1, int((until - timezone.now()).total_seconds())))
            return response
        with transaction.atomic():
            services.password_reset_request(
                email=form.cleaned_data["email"],
                language=translation.get_language(),
                actor=self.request.user,
            )
        return redirect(self.get_success_url())


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
    context = {"cohort": cohort, "form": form, "page_title": pgettext("to a cohort", "Apply")}
    if request.method == "POST" and form.is_valid():
        # Only accepted applications count: mistakes corrected in the form cost nothing.
        limits = _limits(request, "apply", form.cleaned_data["email"])
        data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
        try:
            with transaction.atomic():
                until = ratelimits.take(limits)
                if until is None:
                    services.application_submit(
                        cohort=cohort,
                        data=data,
                        language=translation.get_language(),
                        actor=request.user,
                    )
        except DomainError as error:
            form.add_error(error.field, str(error.message))
        else:
            if until is not None:
                return _refusal(request, "learning/apply.html", context, until)
            return redirect("learning:applied", slug=cohort.slug)
    return render(request, "learning/apply.html", context, status=400 if form.errors else 200)


def applied(request, slug):
    return render(
        request,
        "learning/applied.html",
        {"cohort": _cohort_or_404(slug), "page_title": _("Application received")},
    )


@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = SignInRequestForm(request.POST or None)
    context = {"form": form, "sent": False, "page_title": _("Sign in")}
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        with transaction.atomic():
            until = ratelimits.take(_limits(request, "sign-in", email))
            if until is None:
                services.sign_in_link_request(
                    email=email, language=translation.get_language(), actor=request.user
                )
        if until is not None:
            return _refusal(request, "learning/sign_in.html", context, until)
        context["sent"] = True
    return render(request, "learning/sign_in.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def sign_in_link(request, token):
    # Opening the link only shows a button: mail scanners that fetch links must not use it up.
    if request.method == "GET":
        response = render(request, "learning/sign_in_confirm.html", {"page_title": _("Sign in")})
        # The button posts from this page: its address (the token) must not travel as a Referer.
        response["Referrer-Policy"] = "no-referrer"
        return response
    try:
        application = services.sign_in_link_use(token=token, actor=request.user)
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
                    actor=application,
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
    sessions = [s for s in cohort.sessions.all() if s.date is not None]
    if not sessions:
        raise Http404(slug)  # no event yet: RFC 5545 has no empty calendar
    return _ics_response(
        build_calendar(cohort=cohort, sessions=sessions, language=translation.get_language()),
        f"{cohort.slug}.ics",
    )


def session_ics(request, slug, session):
    cohort = _cohort_or_404(slug)
    # A session whose date is not known yet has no event, so no calendar (RFC 5545 wants one).
    item = sessions_public().filter(cohort=cohort, slug=session, date__isnull=False).first()
    if item is None:
        raise Http404(session)
    return _ics_response(
        build_calendar(cohort=cohort, sessions=[item], language=translation.get_language()),
        f"{item.slug}.ics",
    )
