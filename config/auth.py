"""Authentication backend with brute-force lockout (django-axes)."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Refuse logins for a locked (username, IP) pair; let request-less calls through.

    Every login over HTTP (admin, portal, API token) passes the request, so lockout
    applies there; server-side code calling authenticate() without one is not an
    attack surface and is left to the next backend.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
