"""Who may use which door, and the language a member chose."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from audit.services import refusal_record
from registry.models import member_enterprise_id

ADMIN_PREFIX = "/admin/"
PORTAL_PREFIX = "/portal/"
# Staff may still sign out, or switch the language of the page that refuses them.
PORTAL_PATHS_OPEN_TO_STAFF = ("/portal/logout/", "/portal/account/language/")


class MemberLanguageMiddleware:
    """Show a member every page in the language stored on their membership, if they chose one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if member_enterprise_id(request.user) is not None and request.user.membership.language:
            translation.activate(request.user.membership.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


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
