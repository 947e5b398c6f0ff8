"""One domain error type, and the API's mapping of errors to clear 4xx JSON responses."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


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
