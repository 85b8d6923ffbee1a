"""Case JSON (DESIGN.md §6) and the bodies of case actions."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.ids import MAX_ID
from licensing.models import Case, CaseLine, Document, InformationRequest, ScheduledVehicle
from registry.api.fields import CountryCodeField, IdRelatedField
from registry.models import Enterprise


class CaseLineSerializer(serializers.ModelSerializer):
    serializer_related_field = IdRelatedField

    class Meta:
        model = CaseLine
        fields = ["id", "vehicle_model", "quantity", "unit_price_usd"]
        extra_kwargs = {
            "quantity": {"min_value": 1, "max_value": 1_000_000},
            "unit_price_usd": {"min_value": Decimal("0.01")},
        }


class ScheduledVehicleSerializer(serializers.ModelSerializer):
    """One vehicle of a used-vehicle case's schedule."""

    # A plain id: the service looks every row's model up at once, not one query per row.
    vehicle_model = serializers.IntegerField(
        source="vehicle_model_id", min_value=1, max_value=MAX_ID, help_text="Vehicle model id."
    )

    class Meta:
        model = ScheduledVehicle
        fields = ["vin", "vehicle_model", "first_registered_on", "transferred_on", "unit_price_usd"]
        extra_kwargs = {
            # The service checks the VIN, with the row it is on; here only its size.
            "vin": {"validators": [], "max_length": 17},
            "unit_price_usd": {"min_value": Decimal("0.01")},
        }


class SlaSerializer(serializers.Serializer):
    limit = serializers.IntegerField()
    due_on = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True)
    paused = serializers.BooleanField()
    stopped = serializers.BooleanField()


class CaseSerializer(serializers.ModelSerializer):
    serializer_related_field = IdRelatedField
    applicant = IdRelatedField(queryset=Enterprise.objects.all(), required=False)
    destination = CountryCodeField(required=False, allow_null=True)
    lines = CaseLineSerializer(many=True, required=False)
    vehicles = ScheduledVehicleSerializer(
        many=True,
        required=False,
        max_length=settings.USED_VEHICLE_SCHEDULE_MAX,
        help_text="Used-vehicle cases only: the schedule.",
    )
    sla = serializers.SerializerMethodField()
    # Blank until recommended or decided: declared here because a read-only field built from
    # the model loses `allow_blank`, and the schema would then promise an outcome.
    recommendation = serializers.ChoiceField(
        choices=Case.Outcome.choices, allow_blank=True, read_only=True
    )
    decision = serializers.ChoiceField(
        choices=Case.Outcome.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "kind",
            "status",
            "applicant",
            "version",
            "brand",
            "destination",
            "customs_port",
            "trade_mode",
            "contract_number",
            "payment_terms",
            "transport_mode",
            "use_mode",
            "valid_from",
            "valid_until",
            "year",
            "qualification_class",
            "lines",
            "vehicles",
            "assigned_to",
            "recommendation",
            "recommendation_reasons",
            "recommended_by",
            "decision",
            "decision_reasons",
            "appeal_information",
            "decided_by",
            "submitted_at",
            "decided_at",
            "created_at",
            "sla",
        ]
        read_only_fields = [
            "reference",
            "status",
            "version",
            "assigned_to",
            "recommendation",
            "recommendation_reasons",
            "recommended_by",
            "decision",
            "decision_reasons",
            "appeal_information",
            "decided_by",
            "submitted_at",
            "decided_at",
            "created_at",
        ]

    @extend_schema_field(SlaSerializer(allow_null=True))
    def get_sla(self, case: Case) -> dict[str, Any] | None:
        sla = self.context.get("slas", {}).get(case.pk)
        if sla is None:
            return None
        return SlaSerializer(sla).data

    def validate_lines(self, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # A bound on input size only; what lines a case needs is the service's rule.
        if len(lines) > 200:
            raise serializers.ValidationError("At most 200 goods lines.")
        return lines


class CaseUpdateSerializer(CaseSerializer):
    """A draft edit: any editable field, and the version the client last saw."""

    version = serializers.IntegerField(min_value=1)

    class Meta(CaseSerializer.Meta):
        read_only_fields = [*CaseSerializer.Meta.read_only_fields, "kind", "applicant"]
        read_only_fields.remove("version")


class VersionedActionSerializer(serializers.Serializer):
    """Every action may carry the version the client last saw (stale -> 409)."""

    version = serializers.IntegerField(min_value=1, required=False)


class WithdrawSerializer(VersionedActionSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class AssignSerializer(VersionedActionSerializer):
    assignee = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="User id; default the caller."
    )


class RequestInfoSerializer(VersionedActionSerializer):
    question = serializers.CharField(max_length=5000)
    due_on = serializers.DateField()


class RespondSerializer(VersionedActionSerializer):
    answer = serializers.CharField(max_length=20000)


class OutcomeSerializer(VersionedActionSerializer):
    outcome = serializers.ChoiceField(choices=Case.Outcome.choices)
    reasons = serializers.CharField(max_length=10000)


class DecideSerializer(OutcomeSerializer):
    appeal_information = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ReturnSerializer(VersionedActionSerializer):
    reason = serializers.CharField(max_length=5000)


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = [
            "id",
            "doc_type",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "information_request",
            "uploaded_at",
        ]


class DocumentUploadSerializer(serializers.Serializer):
    doc_type = serializers.ChoiceField(choices=Document.DocType.choices)
    file = serializers.FileField(max_length=255)
    information_request = serializers.IntegerField(required=False)


class InformationRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = InformationRequest
        fields = ["id", "question", "due_on", "asked_at", "answer", "answered_at"]


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    passed = serializers.BooleanField()
    detail = serializers.CharField()
    overridden = serializers.BooleanField()


class ChecklistSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    checks = CheckSerializer(many=True)


class OverrideSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    reason = serializers.CharField(max_length=5000)
