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


class DatabaseUnavailableMiddleware:
    """Answer 503 without a traceback when the database connection fails mid-request.

    Every write runs in a transaction, so a connection lost half-way commits nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "database unavailable during %s %s: %s", request.method, request.path, exception
        )
        message = _("The service is briefly unavailable. Nothing was saved; try again shortly.")
        if request.path.startswith("/api/"):
            body = {"code": "database_unavailable", "detail": str(message)}
            response: HttpResponse = JsonResponse(body, status=503)
        else:
            response = HttpResponse(message, content_type="text/plain; charset=utf-8", status=503)
        response["Retry-After"] = "30"
        return response
