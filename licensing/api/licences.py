"""REST API for licences: scoped reads, certificate, officer actions, declarations."""

from typing import Any

import django_filters
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from config.ids import MAX_ID, IdFilter
from licensing.api.pagination import EstimatedCountPagination
from licensing.models import Declaration, Licence, LicenceLine
from licensing.selectors import licence_declarations, licence_for, licences_visible_to
from licensing.services.certificate import licence_certificate_pdf
from licensing.services.declarations import DeclaredLine, declaration_record
from licensing.services.licences import licence_act


class LicenceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = LicenceLine
        fields = ["id", "vehicle_model", "licensed_quantity", "remaining", "unit_price_usd"]
        read_only_fields = fields


class LicenceSerializer(serializers.ModelSerializer):
    holder = serializers.PrimaryKeyRelatedField(read_only=True)
    destination = serializers.CharField(source="destination_id", read_only=True)
    issuing_office = serializers.CharField(source="issuing_office.code", read_only=True)
    # Null for a licence that replaces none (most of them).
    replaces = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    lines = LicenceLineSerializer(many=True, read_only=True)

    class Meta:
        model = Licence
        fields = [
            "id",
            "number",
            "case",
            "status",
            "status_reason",
            "version",
            "holder",
            "issuing_office",
            "brand",
            "destination",
            "customs_port",
            "trade_mode",
            "contract_number",
            "use_mode",
            "valid_from",
            "valid_until",
            "uses_left",
            "issued_at",
            "replaces",
            "lines",
        ]
        read_only_fields = fields


class ActionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, trim_whitespace=True)
    version = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class DeclaredLineSerializer(serializers.Serializer):
    vehicle_model = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    quantity = serializers.IntegerField(min_value=1, max_value=1_000_000)
    vins = serializers.ListField(
        child=serializers.CharField(max_length=17, trim_whitespace=True), max_length=10_000
    )


class DeclarationInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=18)
    declared_on = serializers.DateField()
    lines = DeclaredLineSerializer(many=True, allow_empty=False, max_length=100)

    def declared_lines(self) -> list[DeclaredLine]:
        return [
            DeclaredLine(
                vehicle_model_id=line["vehicle_model"],
                quantity=line["quantity"],
                vins=[vin.upper() for vin in line["vins"]],
            )
            for line in self.validated_data["lines"]
        ]


class DeclarationSerializer(serializers.ModelSerializer):
    lines = serializers.SerializerMethodField()

    class Meta:
        model = Declaration
        fields = ["id", "number", "declared_on", "recorded_at", "lines"]
        read_only_fields = fields

    def get_lines(self, declaration: Declaration) -> list[dict[str, Any]]:
        vins: dict[int, list[str]] = {}
        for vehicle in declaration.vehicles.all():
            vins.setdefault(vehicle.declaration_line_id, []).append(vehicle.vin)
        return [
            {
                "vehicle_model": line.licence_line.vehicle_model_id,
                "quantity": line.quantity,
                "vins": vins.get(line.pk, []),
            }
            for line in declaration.lines.all()
        ]


class LicenceFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Licence.Status.choices)
    destination = django_filters.CharFilter(field_name="destination_id")
    holder = IdFilter(field_name="holder_id")

    class Meta:
        model = Licence
        fields = ["status", "destination", "holder"]


class PDFRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None):  # type: ignore[no-untyped-def]
        # Errors on the certificate URL still reach a PDF-only client as JSON text.
        return data if isinstance(data, bytes) else JSONRenderer().render(data)


class LicenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Licences: staff see all, portal members their own enterprise's."""

    CERTIFICATE_RENDERERS = [JSONRenderer, PDFRenderer]

    serializer_class = LicenceSerializer
    filterset_class = LicenceFilter
    pagination_class = EstimatedCountPagination

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return licences_visible_to(self.request.user).order_by("-issued_at", "-pk")

    def get_object(self) -> Licence:
        return licence_for(user=self.request.user, pk=self.kwargs["pk"])

    # Routed in urls.py as licences/{id}/certificate.pdf (the router would add a slash).
    @extend_schema(
        operation_id="licences_certificate",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def certificate(self, request: Request, pk: str | None = None) -> HttpResponse:
        """Download the licence certificate (PDF)."""
        licence = self.get_object()
        pdf = licence_certificate_pdf(licence)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="licence-{licence.number}.pdf"'
        return response

    @action(detail=True, methods=["post"], serializer_class=ActionSerializer)
    def suspend(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, "suspend")

    @action(detail=True, methods=["post"], serializer_class=ActionSerializer)
    def reinstate(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, "reinstate")

    @action(detail=True, methods=["post"], serializer_class=ActionSerializer)
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, "revoke")

    def _act(self, request: Request, name: str) -> Response:
        licence = self.get_object()
        body = ActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        licence_act(
            licence=licence,
            action=name,
            actor=request.user,
            reason=body.validated_data["reason"],
            expected_version=body.validated_data.get("version"),
        )
        return Response(LicenceSerializer(licence_for(user=request.user, pk=licence.pk)).data)

    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=DeclarationInputSerializer,
    )
    def declarations(self, request: Request, pk: str | None = None) -> Response:
        """List the licence's declarations, or record one (draws the licence down)."""
        licence = self.get_object()
        if request.method == "GET":
            rows = licence_declarations(licence)
            return Response(DeclarationSerializer(rows, many=True).data)
        body = DeclarationInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        declaration = declaration_record(
            licence=licence,
            actor=request.user,
            number=body.validated_data["number"],
            declared_on=body.validated_data["declared_on"],
            lines=body.declared_lines(),
        )
        refreshed = licence_for(user=request.user, pk=licence.pk)
        return Response(
            {
                "declaration": DeclarationSerializer(declaration).data,
                "licence": LicenceSerializer(refreshed).data,
            },
            status=status.HTTP_201_CREATED,
        )
