"""Read endpoints of the registry, each scoped by the model's visible_to()."""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.db.models import QuerySet
from rest_framework import status, viewsets
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

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = request.data if hasattr(request.data, "get") else {}
        credentials = {"username": str(data.get("username", ""))}
        if AxesProxyHandler.is_locked(request._request, credentials=credentials):
            return Response(
                {"code": "locked_out", "detail": "Too many failed logins; try again later."},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        return super().post(request, *args, **kwargs)


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
