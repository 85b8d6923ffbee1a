"""Read endpoints of the registry, each scoped by the model's visible_to()."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle

from registry.api import filters, serializers
from registry.models import Authorisation, Brand, Enterprise, Qualification, VehicleModel


class ObtainTokenView(ObtainAuthToken):
    """Exchange username and password for an API token."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"


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
