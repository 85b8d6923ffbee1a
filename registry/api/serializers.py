from rest_framework import serializers

from registry.models import Authorisation, Brand, Enterprise, Qualification, VehicleModel


class EnterpriseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name_zh",
            "name_en",
            "uscc",
            "kind",
            "miit_catalogue_number",
            "status",
            "negative_listed",
        ]
        read_only_fields = fields


class BrandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Brand
        fields = ["id", "name", "name_zh", "manufacturer"]
        read_only_fields = fields


class VehicleModelSerializer(serializers.ModelSerializer):
    class Meta:
        model = VehicleModel
        fields = [
            "id",
            "brand",
            "name",
            "powertrain",
            "hs_code",
            "type_approval_number",
            "is_active",
        ]
        read_only_fields = fields


class AuthorisationSerializer(serializers.ModelSerializer):
    revoked = serializers.BooleanField(source="is_revoked", read_only=True)

    class Meta:
        model = Authorisation
        fields = [
            "id",
            "manufacturer",
            "exporter",
            "brands",
            "valid_from",
            "valid_until",
            "evidence_reference",
            "revoked",
            "revoked_at",
        ]
        read_only_fields = fields


class QualificationSerializer(serializers.ModelSerializer):
    valid_until = serializers.DateField(read_only=True)

    class Meta:
        model = Qualification
        fields = [
            "id",
            "enterprise",
            "year",
            "qualification_class",
            "status",
            "granted_on",
            "valid_until",
            "source_case_reference",
        ]
        read_only_fields = fields
