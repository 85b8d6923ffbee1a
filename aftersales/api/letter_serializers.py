"""JSON shapes of confirmation letters and their requests; every rule lives in the services."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from aftersales.models import ConfirmationLetter, LetterRequest, ServiceOutlet
from registry.api.fields import CountryCodeField, IdRelatedField
from registry.models import VehicleModel


@extend_schema_field(OpenApiTypes.INT)
class OwnOutletField(IdRelatedField):
    """An outlet id among those the caller may see; any other id does not exist."""

    def get_queryset(self) -> QuerySet[ServiceOutlet]:
        return ServiceOutlet.objects.visible_to(self.context["request"].user)


class LetterRequestSerializer(serializers.ModelSerializer):
    vehicle_model = IdRelatedField(queryset=VehicleModel.objects.all())
    country = CountryCodeField()
    vin = serializers.CharField(max_length=40)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    requester_name = serializers.CharField(source="requester.name_en", read_only=True)
    manufacturer_name = serializers.CharField(source="manufacturer.name_en", read_only=True)
    letter = serializers.SerializerMethodField()

    class Meta:
        model = LetterRequest
        fields = [
            "id",
            "requester",
            "requester_name",
            "manufacturer",
            "manufacturer_name",
            "vin",
            "vehicle_model",
            "country",
            "note",
            "status",
            "status_label",
            "refusal_reason",
            "created_at",
            "answered_at",
            "letter",
        ]
        read_only_fields = ["requester", "manufacturer", "refusal_reason", "answered_at"]
        validators: list = []  # the service checks uniqueness, as field errors

    def get_letter(self, request: LetterRequest) -> str | None:
        """The number of the letter issued on this request, if any."""
        letter = getattr(request, "letter", None)
        return letter.number if letter else None


class ConfirmationLetterSerializer(serializers.ModelSerializer):
    vehicle_model = IdRelatedField(queryset=VehicleModel.objects.all())
    country = CountryCodeField()
    outlet = OwnOutletField()
    vin = serializers.CharField(max_length=40)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    manufacturer_name = serializers.CharField(source="manufacturer.name_en", read_only=True)
    brand = serializers.CharField(source="vehicle_model.brand.name", read_only=True)

    class Meta:
        model = ConfirmationLetter
        fields = [
            "id",
            "number",
            "manufacturer",
            "manufacturer_name",
            "requester",
            "request",
            "vin",
            "brand",
            "vehicle_model",
            "country",
            "outlet",
            "status",
            "status_label",
            "issued_at",
            "revoked_at",
            "revocation_reason",
        ]
        read_only_fields = ["manufacturer", "requester", "revoked_at", "revocation_reason"]
        validators: list = []  # the service checks uniqueness, as field errors


class IssueOnRequestSerializer(serializers.Serializer):
    outlet = OwnOutletField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class LetterFilter(django_filters.FilterSet):
    vin = django_filters.CharFilter(method="filter_vin")
    country = django_filters.CharFilter(method="filter_country")

    def filter_vin(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(vin=value.strip().upper())

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(country_id=value.strip().upper())


class LetterRequestFilter(LetterFilter):
    status = django_filters.ChoiceFilter(choices=LetterRequest.Status.choices)

    class Meta:
        model = LetterRequest
        fields = ["vin", "country", "status"]


class ConfirmationLetterFilter(LetterFilter):
    status = django_filters.ChoiceFilter(choices=ConfirmationLetter.Status.choices)

    class Meta:
        model = ConfirmationLetter
        fields = ["vin", "country", "status"]


def issue_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The letter_issue arguments from validated data."""
    return {key: data[key] for key in ("vin", "vehicle_model", "country", "outlet")}
