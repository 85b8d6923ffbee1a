"""Public licence verification: no login, rate limited, minimal fields."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from config.errors import NotFound
from licensing.numbering import is_licence_number
from licensing.selectors import licence_verification


class VerifyRateThrottle(SimpleRateThrottle):
    """One budget per client address, shared by the page and the API (scope "verify")."""

    scope = "verify"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class VerificationSerializer(serializers.Serializer):
    """The public answer: these fields and no others."""

    number = serializers.CharField()
    holder = serializers.CharField()
    destination = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    status = serializers.CharField()


class PublicCheckView(APIView):
    """A public check of a document's number: no login, the shared rate budget."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [VerifyRateThrottle]


class VerifyLicenceView(PublicCheckView):
    """GET /api/v1/verify/<number>/: is this licence genuine, and is it in force?"""

    @extend_schema(responses=VerificationSerializer, auth=[])
    def get(self, request: Request, number: str) -> Response:
        return Response(VerificationSerializer(licence_verification(number)).data)


def verify_page(request: HttpRequest, number: str) -> HttpResponse:
    """The public HTML page a certificate's QR code points to."""
    return public_check_page(
        request, number, template="licensing/verify.html", find=licence_verification, as_="licence"
    )


def public_check_page(
    request: HttpRequest, number: str, *, template: str, find: Callable[[str], Any], as_: str
) -> HttpResponse:
    """Answer a public check page from the shared rate budget: found, unknown (404) or 429."""
    number = number[:40]
    throttle = VerifyRateThrottle()
    if not throttle.allow_request(request, None):
        context = {"number": number, "retry_after": int(throttle.wait() or 60)}
        return render(request, template, context, status=429)
    try:
        found = find(number)
    except NotFound:
        return render(request, template, {"number": number}, status=404)
    return render(request, template, {"number": number, as_: found})


def verify_search(request: HttpRequest) -> HttpResponse:
    """The search box: a well-formed number goes to its page; anything else is explained."""
    number = request.GET.get("number", "").strip()
    if is_licence_number(number):
        return redirect("licence-verify", number=number)
    if not number:
        return render(request, "licensing/verify.html", {"number": ""})
    problem = _("“%(number)s” is not a licence number: it has the form YY-CC-NNNNNN.") % {
        "number": number[:40]
    }
    context = {"problem": problem, "number": number[:40]}
    return render(request, "licensing/verify.html", context, status=400)
