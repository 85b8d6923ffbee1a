"""List filters: country (alpha-2), brand (id), status."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aftersales.models import ServiceOutlet, SparePartsCommitment, WarrantyCommitment
from config.ids import parse_id


class OwnedRecordFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(method="filter_country")
    brand = django_filters.CharFilter(method="filter_brand")
    valid_on = django_filters.DateFilter(method="filter_valid_on")
    brand_field = "brand"

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(country_id=value.strip().upper())

    def filter_brand(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # An id that cannot exist matches nothing instead of reaching the database.
        brand_id = parse_id(value)
        if brand_id is None:
            return queryset.none()
        return queryset.filter(**{self.brand_field: brand_id}).distinct()

    def filter_valid_on(self, queryset: Any, name: str, value: Any) -> QuerySet:
        return queryset.valid_on(value)


class ServiceOutletFilter(OwnedRecordFilter):
    status = django_filters.ChoiceFilter(
        choices=[*ServiceOutlet.Status.choices, ("withdrawn", _("Withdrawn"))],
        method="filter_status",
    )
    brand_field = "brands"

    class Meta:
        model = ServiceOutlet
        fields = ["country", "brand", "status", "operator_kind", "valid_on"]

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "withdrawn":
            return queryset.filter(withdrawn_at__isnull=False)
        return queryset.filter(withdrawn_at__isnull=True, verification_status=value)


class CommitmentFilter(OwnedRecordFilter):
    status = django_filters.ChoiceFilter(
        choices=[("active", _("Active")), ("withdrawn", _("Withdrawn"))],
        method="filter_status",
    )

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(withdrawn_at__isnull=(value == "active"))


class WarrantyCommitmentFilter(CommitmentFilter):
    class Meta:
        model = WarrantyCommitment
        fields = ["country", "brand", "status", "valid_on"]


class SparePartsCommitmentFilter(CommitmentFilter):
    class Meta:
        model = SparePartsCommitment
        fields = ["country", "brand", "status", "valid_on"]
