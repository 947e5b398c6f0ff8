"""One domain error type, the API's mapping of errors to clear 4xx JSON responses, the guards
against malformed requests and the error pages (JSON on the API, a page elsewhere)."""

import logging
import sys

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

# The one refusal of a permission, whichever service or rule says it.
FORBIDDEN = gettext_lazy("You do not have permission to do this.")


class DomainError(Exception):
    """A rule of the domain was broken. `message` is translatable and shown to the user as is."""

    def __init__(self, message, *, code: str = "invalid", field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        detail = {"detail": str(exc.message), "code": exc.code}
        if exc.field:
            detail["parameter"] = exc.field
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    response = exception_handler(exc, context)
    if isinstance(exc, exceptions.AuthenticationFailed) and response is not None:
        response.data["code"] = exc.get_codes()  # e.g. "invalid_api_key", "revoked_api_key"
    return response


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


class QueryStringGuard:
    """Refuses a query string with a NUL character, for every page and the API, with a clear 400.

    No parameter of ours can contain one, and PostgreSQL refuses NUL in text: without this guard a
    search for "a%00b" (or an admin list filtered on it) would reach the database and be a 500.
    Placed after LocaleMiddleware, so the message speaks the request's language.

    The API is read-only: a request to it with any other method than GET, HEAD or OPTIONS goes on
    to its 405 (RFC 9110: the method is what is wrong), which never reads the query string.
    """

    API_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _is_api(request) and request.method not in self.API_METHODS:
            return self.get_response(request)
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return bad_parameter_response(request, name.replace("\x00", "\ufffd"))
        return self.get_response(request)


class NulPathGuard:
    """A path with a NUL character is a 404 (JSON on the API), before any view sees it.

    No identifier of ours can contain one, and PostgreSQL refuses NUL in text: without this guard
    `/api/v1/resources/a%00b/` reached the database and answered 500, on every detail route.
    Placed after LocaleMiddleware, so the page speaks the request's language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            return page_not_found(request)
        return self.get_response(request)


def bad_parameter_response(request, name: str):
    message = _("The parameter “%(name)s” contains a character that is not allowed.") % {
        "name": name
    }
    if _is_api(request):
        return JsonResponse(
            {name: [message]}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "400.html", {"message": message}, status=400)


# --- the project's error handlers (handler400/404/500 in the URLconf) ---------------------------


def bad_request(request, exception=None):
    """Malformed requests (too many parameters, a body over the limit…): a 400 that says so, as
    JSON on the API and as a page elsewhere, in the request's language."""
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


def is_database_outage(exception) -> bool:
    """OperationalError: refused, reset or terminated (a restart's "terminating connection due to
    administrator command"); InterfaceError: a connection already closed under us."""
    return isinstance(exception, OperationalError | InterfaceError)


def database_unavailable(request, exception):
    """A database that is restarting: a short 503 with Retry-After in the request's language (JSON
    on the API), not a 500. Connections are health-checked and reopened at the next request
    (CONN_HEALTH_CHECKS), so the portal recovers by itself as soon as the database is back."""
    logging.getLogger("s4c.database").warning("database unavailable: %s", exception)
    if _is_api(request):
        response = JsonResponse(
            {
                "detail": _(
                    "The portal is restarting one of its parts. Please try again in a few seconds."
                )
            },
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = render(request, "503.html", status=503)
    response["Retry-After"] = "5"
    return response


def server_error(request):
    # Django calls this handler inside its `except`: the exception is still at hand. A database
    # error raised outside a view (a middleware: the session saved, the page cache, the writes
    # capture), which DatabaseUnavailableMiddleware never sees, is the same 503.
    exception = sys.exc_info()[1]
    if is_database_outage(exception):
        return database_unavailable(request, exception)
    return render(request, "500.html", status=500)
