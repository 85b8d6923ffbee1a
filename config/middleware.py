"""Session lifetime (an absolute limit on top of the idle timeout); database outages."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "_session_started_at"
logger = logging.getLogger(__name__)


class AbsoluteSessionLifetimeMiddleware:
    """Log a user out once their session is older than SESSION_ABSOLUTE_SECONDS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.setdefault(SESSION_STARTED_KEY, time.time())
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)


DATABASE_ERRORS = (OperationalError, InterfaceError)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class DatabaseUnavailableMiddleware:
    """Answer 503 without a traceback when the database connection fails mid-request.

    Every write runs in a transaction, so a connection lost half-way commits nothing. A loss
    outside the view (the session saved on the way out, say) reaches the 500 handler, which
    answers with the same 503 (config.views.server_error).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 500 and request.method not in SAFE_METHODS:
            # The view has answered: a failure from here on may follow committed work.
            request.may_have_written = True  # type: ignore[attr-defined]
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error(
            "database unavailable during %s %s: %s", request.method, request.path, exception
        )
        return database_unavailable_response(request)


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 a lost database gets: JSON with a stable code for the API, text elsewhere."""
    if getattr(request, "may_have_written", False):
        message = _(
            "The service is briefly unavailable. Your last change may have been saved: "
            "check before trying again."
        )
    else:
        message = _("The service is briefly unavailable. Nothing was saved; try again shortly.")
    if request.path.startswith("/api/"):
        body = {"code": "database_unavailable", "detail": str(message)}
        response: HttpResponse = JsonResponse(body, status=503)
    else:
        response = HttpResponse(message, content_type="text/plain; charset=utf-8", status=503)
    response["Retry-After"] = "30"
    return response
