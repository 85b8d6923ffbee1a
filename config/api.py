"""API-wide pieces: exception handling and shared permission classes."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from audit.api.refusals import record_if_refused
from config.errors import DomainError


def validation_error_body(error: DjangoValidationError) -> dict[str, Any]:
    """Render a Django ValidationError as DRF-style field errors."""
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in msgs] for field, msgs in error.message_dict.items()}
    return {"non_field_errors": [str(m) for m in error.messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map exceptions to responses and record every refusal (403) in the audit trail."""
    response = _response_for(exc, context)
    record_if_refused(response, context)
    return response


def _response_for(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map domain exceptions to stable codes; defer everything else to DRF."""
    if isinstance(exc, DomainError):
        return Response({"code": exc.code, "detail": exc.message}, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
