"""Project-level views: liveness, error pages."""

import sys

from django.contrib.sessions.exceptions import SessionInterrupted
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit.services import refusal_record
from config.celery import app as celery_app
from config.middleware import DATABASE_ERRORS, database_unavailable_response
from notifications.selectors import outbox_health


def database_ok() -> bool:
    """Answer whether the database runs a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_ok() -> bool:
    """Answer whether the Celery broker accepts a connection."""
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report database and broker liveness (503 when either is down) and the outbox backlog."""
    checks = {"database": database_ok(), "broker": broker_ok()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": checks,
        # A backlog is not a liveness failure, but operators watch it here.
        "details": {"outbox": outbox_health() if checks["database"] else None},
    }
    return JsonResponse(body, status=200 if healthy else 503)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Record every refused page (admin, portal) in the audit trail, then answer 403."""
    refusal_record(
        actor=getattr(request, "user", None),
        method=request.method or "",
        path=request.path,
        reason=str(exception),
    )
    return defaults.permission_denied(request, exception)


def _database_lost(error: BaseException | None) -> bool:
    """Answer whether a lost database connection is the error or lies behind it."""
    while error is not None:
        if isinstance(error, DATABASE_ERRORS):
            return True
        error = error.__cause__ or error.__context__
    return False


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer a session that could not be saved for want of a database with the clean 503."""
    # Django reports a failed session update as an interrupted session (400), whatever the cause.
    if isinstance(exception, SessionInterrupted) and _database_lost(exception):
        return database_unavailable_response(request)
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer a database lost outside the view with the clean 503; anything else with 500."""
    # Django calls the 500 handler while it handles the exception, so the error is at hand.
    if _database_lost(sys.exc_info()[1]):
        return database_unavailable_response(request)
    return defaults.server_error(request)


FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="6" fill="#1f4e79"/>'
    '<path d="M18 4 8 18h7l-2 10 11-15h-7z" fill="#ffd24d"/></svg>'
)


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Serve the site icon (a lightning bolt on the ministry blue), cached for a day."""
    response = HttpResponse(FAVICON_SVG, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
