"""Middleware recording the client address for audit events of this request."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from audit.context import current_ip


class AuditContextMiddleware:
    """Expose the request's client IP to audit_record for the duration of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
