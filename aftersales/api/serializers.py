"""JSON shapes of after-sales records; parsing only, every rule lives in the services."""

from rest_framework import serializers

from aftersales.models import ServiceOutlet, SparePartsCommitment, WarrantyCommitment
from registry.api.fields import CountryCodeField, IdRelatedField
from registry.models import Brand


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
            "phone",
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
