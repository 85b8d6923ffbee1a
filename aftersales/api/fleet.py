"""Exported vehicles and obligations: read your own; report first registrations abroad."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales import services
from aftersales.api.filters import OwnedRecordFilter
from aftersales.api.registration_csv import (
    check_upload_size,
    registration_rows,
    request_content_length,
)
from aftersales.api.views import MembersWriteOwn
from aftersales.models import ExportedVehicle, Obligation
from aftersales.services.fleet import RegistrationImportRefused
from registry.api.fields import CountryCodeField
from registry.models import member_enterprise_id


class ExportedVehicleSerializer(serializers.ModelSerializer):
    country = CountryCodeField(read_only=True)
    vehicle_model_name = serializers.CharField(source="vehicle_model.name", read_only=True)
    brand_name = serializers.CharField(source="brand.name", read_only=True)

    class Meta:
        model = ExportedVehicle
        fields = [
            "id",
            "vin",
            "enterprise",
            "brand",
            "brand_name",
            "vehicle_model",
            "vehicle_model_name",
            "country",
            "licence_number",
            "declaration_number",
            "exported_on",
            "warranty_months",
            "first_registered_on",
            "warranty_ends_on",
        ]
        read_only_fields = fields


class FirstRegistrationSerializer(serializers.Serializer):
    first_registered_on = serializers.DateField()


class RegistrationUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    import_valid_rows = serializers.BooleanField(default=False)


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    vin = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class RegistrationImportSerializer(serializers.Serializer):
    updated = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)


# A refused upload: rows are wrong (the import's own answer), or the file or a field itself is
# unusable (messages per field). The row answer is registered by the 200 response.
REGISTRATION_IMPORT_REFUSED = OpenApiResponse(
    description="Rows refused, or the upload itself unusable.",
    response={
        "anyOf": [
            {"$ref": "#/components/schemas/RegistrationImport"},
            {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        ]
    },
)


class ExportedVehicleFilter(OwnedRecordFilter):
    vin = django_filters.CharFilter(method="filter_vin")
    licence = django_filters.CharFilter(field_name="licence_number")
    warranty_ends_before = django_filters.DateFilter(
        field_name="warranty_ends_on", lookup_expr="lt"
    )
    warranty_ends_after = django_filters.DateFilter(field_name="warranty_ends_on", lookup_expr="gt")
    valid_on = None

    class Meta:
        model = ExportedVehicle
        fields = [
            "vin",
            "brand",
            "country",
            "licence",
            "warranty_ends_before",
            "warranty_ends_after",
        ]

    def filter_vin(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(vin=value.strip().upper())


class ExportedVehicleViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Cars your enterprise exported under licence, with their warranty end."""

    permission_classes = [permissions.IsAuthenticated, MembersWriteOwn]
    serializer_class = ExportedVehicleSerializer
    filterset_class = ExportedVehicleFilter
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet:
        return ExportedVehicle.objects.visible_to(self.request.user).select_related(
            "brand", "vehicle_model"
        )

    @extend_schema(request=FirstRegistrationSerializer, responses=ExportedVehicleSerializer)
    @action(detail=True, methods=["post"], url_path="first-registration")
    def first_registration(self, request: Request, pk: str | None = None) -> Response:
        """Report this car's first registration abroad; its warranty starts then."""
        vehicle = self.get_object()
        body = FirstRegistrationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        vehicle = services.exported_vehicle_register_abroad(
            actor=request.user, vehicle=vehicle, **body.validated_data
        )
        return Response(self.get_serializer(vehicle).data)

    @extend_schema(
        request={"multipart/form-data": RegistrationUploadSerializer},
        responses={200: RegistrationImportSerializer, 400: REGISTRATION_IMPORT_REFUSED},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="first-registrations",
        parser_classes=[MultiPartParser],
    )
    def first_registrations(self, request: Request) -> Response:
        """Upload a CSV `vin,first_registered_on` of up to 100,000 rows."""
        check_upload_size(request_content_length(request.META))
        body = RegistrationUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = services.first_registrations_import(
                actor=request.user,
                enterprise_id=member_enterprise_id(request.user),
                rows=registration_rows(body.validated_data["file"]),
                import_valid_rows=body.validated_data["import_valid_rows"],
            )
        except RegistrationImportRefused as refused:
            data = {"updated": 0, "errors": refused.result.errors}
            return Response(data, status=status.HTTP_400_BAD_REQUEST)
        return Response({"updated": result.updated, "errors": result.errors})


class ObligationSerializer(serializers.ModelSerializer):
    country = CountryCodeField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    reason = serializers.CharField(read_only=True)

    class Meta:
        model = Obligation
        fields = [
            "id",
            "enterprise",
            "brand",
            "country",
            "status",
            "status_label",
            "horizon",
            "vehicles",
            "gaps",
            "gap_ends_on",
            "reason",
            "assessed_on",
        ]
        read_only_fields = fields


class ObligationFilter(OwnedRecordFilter):
    status = django_filters.ChoiceFilter(choices=Obligation.Status.choices)
    valid_on = None

    class Meta:
        model = Obligation
        fields = ["country", "brand", "status"]


class ObligationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """What your enterprise owes each market, and whether it is met today."""

    serializer_class = ObligationSerializer
    filterset_class = ObligationFilter
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[Any]:
        return Obligation.objects.visible_to(self.request.user)
