"""Public coverage check by VIN: no login, rate limited, the listed fields only."""

from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from aftersales.coverage import checked_vin, vehicle_coverage


class CoverageRateThrottle(SimpleRateThrottle):
    """One budget per client address, shared by the page and the API (scope "coverage")."""

    scope = "coverage"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PublicOutletSerializer(serializers.Serializer):
    name = serializers.CharField()
    city = serializers.CharField()
    phone = serializers.CharField()


class PublicCoverageSerializer(serializers.Serializer):
    """The public answer: these fields and no others."""

    vin = serializers.CharField()
    exported_under_licence = serializers.BooleanField()
    brand = serializers.CharField()
    vehicle_model = serializers.CharField()
    country = serializers.CharField()
    country_name = serializers.CharField()
    warranty_ends_on = serializers.DateField(allow_null=True)
    under_warranty = serializers.BooleanField()
    outlets = PublicOutletSerializer(many=True)


class CoverageView(APIView):
    """GET /api/v1/coverage/?vin=: was this car exported under licence, who services it?"""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [CoverageRateThrottle]

    @extend_schema(
        parameters=[OpenApiParameter("vin", str, required=True)],
        responses=PublicCoverageSerializer,
        auth=[],
    )
    def get(self, request: Request) -> Response:
        vin = checked_vin(request.query_params.get("vin", ""))
        return Response(PublicCoverageSerializer(asdict(vehicle_coverage(vin=vin))).data)


def coverage_page(request: HttpRequest) -> HttpResponse:
    """The public page: a VIN form and, once asked, the answer."""
    raw = request.GET.get("vin", "")
    context: dict[str, Any] = {"vin": raw.strip()}
    if not raw.strip():
        return render(request, "aftersales/coverage.html", context)
    throttle = CoverageRateThrottle()
    if not throttle.allow_request(request, None):
        context["retry_after"] = int(throttle.wait() or 60)
        return render(request, "aftersales/coverage.html", context, status=429)
    try:
        context["coverage"] = vehicle_coverage(vin=checked_vin(raw))
    except ValidationError as exc:
        context["error"] = exc.message_dict["vin"][0]
        return render(request, "aftersales/coverage.html", context, status=400)
    return render(request, "aftersales/coverage.html", context)
