"""Who may use which door: portal members stay out of the admin, staff out of the portal."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audit.services import refusal_record

ADMIN_PREFIX = "/admin/"
PORTAL_PREFIX = "/portal/"
# Staff may still sign out of a portal session they opened by mistake.
PORTAL_PATHS_OPEN_TO_STAFF = ("/portal/logout/",)


class WrongDoorMiddleware:
    """Refuse portal members in the admin and staff in the portal with a page saying where to go."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        door = self._wrong_door(request)
        if door is None:
            return self.get_response(request)
        refusal_record(
            actor=request.user,
            method=request.method or "",
            path=request.path,
            reason=f"{door} area refused",
        )
        return render(request, "portal/wrong_door.html", {"door": door}, status=403)

    @staticmethod
    def _wrong_door(request: HttpRequest) -> str | None:
        user = request.user
        if not user.is_authenticated:
            return None
        if request.path.startswith(ADMIN_PREFIX) and not user.is_staff:
            return "admin"
        if (
            request.path.startswith(PORTAL_PREFIX)
            and user.is_staff
            and request.path not in PORTAL_PATHS_OPEN_TO_STAFF
        ):
            return "portal"
        return None
