"""JSON shapes of after-sales records; parsing only, every rule lives in the services."""

from typing import Any

from rest_framework import serializers

from aftersales.models import ServiceOutlet, SparePartsCommitment, WarrantyCommitment
from registry.api.fields import CountryCodeField
from registry.models import Brand

MAX_ID = 2**63 - 1


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key that refuses non-integers and out-of-range ids before querying."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not (
            isinstance(data, int) or (isinstance(data, str) and data.isdigit())
        ):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= int(data) <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(int(data))


class VersionedSerializer(serializers.ModelSerializer):
    """Adds an optional `version` the client may send back to detect concurrent edits."""

    enterprise = serializers.PrimaryKeyRelatedField(read_only=True)
    country = CountryCodeField()
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class ServiceOutletSerializer(VersionedSerializer):
    brands = IdRelatedField(many=True, queryset=Brand.objects.all(), allow_empty=False)

    class Meta:
        model = ServiceOutlet
        fields = [
            "id",
            "enterprise",
            "country",
            "city",
            "address",
            "operator_name",
            "operator_kind",
            "brands",
            "contract_valid_from",
            "contract_valid_until",
            "verification_status",
            "verified_at",
            "rejection_reason",
            "withdrawn_at",
            "version",
            "created_at",
        ]
        read_only_fields = [
            "verification_status",
            "verified_at",
            "rejection_reason",
            "withdrawn_at",
            "created_at",
        ]


class WarrantyCommitmentSerializer(VersionedSerializer):
    brand = IdRelatedField(queryset=Brand.objects.all())

    class Meta:
        model = WarrantyCommitment
        fields = [
            "id",
            "enterprise",
            "brand",
            "country",
            "vehicle_warranty_months",
            "battery_warranty_months",
            "battery_warranty_km",
            "valid_from",
            "valid_until",
            "withdrawn_at",
            "version",
            "created_at",
        ]
        read_only_fields = ["withdrawn_at", "created_at"]


class SparePartsCommitmentSerializer(VersionedSerializer):
    brand = IdRelatedField(queryset=Brand.objects.all())

    class Meta:
        model = SparePartsCommitment
        fields = [
            "id",
            "enterprise",
            "brand",
            "country",
            "supply_years",
            "max_lead_time_days",
            "depot",
            "valid_from",
            "valid_until",
            "withdrawn_at",
            "version",
            "created_at",
        ]
        read_only_fields = ["withdrawn_at", "created_at"]


class AftersalesWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
