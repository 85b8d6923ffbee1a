"""Read endpoints of the registry, each scoped by the model's visible_to()."""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework import status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from registry.api import filters, serializers
from registry.models import Authorisation, Brand, Enterprise, Qualification, VehicleModel


class ObtainTokenView(ObtainAuthToken):
    """Exchange username and password for an API token."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        responses={
            200: inline_serializer("TokenResponse", {"token": drf_serializers.CharField()}),
            400: OpenApiResponse(description="A field is missing or blank."),
            401: OpenApiResponse(description="Wrong username or password."),
            429: OpenApiResponse(description="Locked out after too many failed log-ins."),
        }
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = request.data if hasattr(request.data, "get") else {}
        username = str(data.get("username", ""))
        if "\x00" in username:
            # The lockout lookup would send it to the database, which refuses NUL in text.
            return Response(
                {"username": [_("Null characters are not allowed.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        credentials = {"username": username}
        if AxesProxyHandler.is_locked(request._request, credentials=credentials):
            return Response(
                {"code": "locked_out", "detail": "Too many failed logins; try again later."},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            return _refusal(serializer.errors)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


def _refusal(errors: dict[str, Any]) -> Response:
    """Answer wrong credentials with 401 (docs/api.md) and an incomplete request with 400."""
    refused = errors.get("non_field_errors", [])
    if set(errors) != {"non_field_errors"} or refused[0].code != "authorization":
        return Response(errors, status=status.HTTP_400_BAD_REQUEST)
    body = {"code": "invalid_credentials", "detail": str(refused[0])}
    return Response(
        body, status=status.HTTP_401_UNAUTHORIZED, headers={"WWW-Authenticate": "Token"}
    )


class ScopedReadViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint whose queryset always starts from visible_to(user)."""

    model: Any = None
    related: tuple[str, ...] = ()

    def get_queryset(self) -> QuerySet:
        queryset = self.model.objects.visible_to(self.request.user)
        return queryset.select_related(*self.related) if self.related else queryset


class EnterpriseViewSet(ScopedReadViewSet):
    model = Enterprise
    serializer_class = serializers.EnterpriseSerializer
    filterset_class = filters.EnterpriseFilter


class BrandViewSet(ScopedReadViewSet):
    model = Brand
    serializer_class = serializers.BrandSerializer
    filterset_class = filters.BrandFilter


class VehicleModelViewSet(ScopedReadViewSet):
    model = VehicleModel
    serializer_class = serializers.VehicleModelSerializer
    filterset_class = filters.VehicleModelFilter


class AuthorisationViewSet(ScopedReadViewSet):
    model = Authorisation
    serializer_class = serializers.AuthorisationSerializer
    filterset_class = filters.AuthorisationFilter

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related("brands")


class QualificationViewSet(ScopedReadViewSet):
    model = Qualification
    serializer_class = serializers.QualificationSerializer
    filterset_class = filters.QualificationFilter
