"""Compliance reports: an enterprise submits its own; everyone sees only their own."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales import services
from aftersales.api.views import MembersWriteOwn, OwnedRecordViewSet
from aftersales.models import ComplianceReport
from registry.api.fields import CountryCodeField

WAIT_DAYS = {"max_digits": 6, "decimal_places": 1}


class ComplianceReportSerializer(serializers.ModelSerializer):
    country = CountryCodeField()
    # Bounds are checked by the service so every bad figure is reported in one answer.
    warranty_claims_received = serializers.IntegerField()
    warranty_claims_resolved = serializers.IntegerField()
    repair_wait_avg_days = serializers.DecimalField(**WAIT_DAYS)
    repair_wait_p90_days = serializers.DecimalField(**WAIT_DAYS)
    parts_fill_rate_pct = serializers.DecimalField(max_digits=6, decimal_places=1)
    outlets_active = serializers.IntegerField()

    class Meta:
        model = ComplianceReport
        fields = [
            "id",
            "enterprise",
            "country",
            "period_start",
            "period_end",
            "due_on",
            "status",
            *ComplianceReport.FIGURES,
            "submitted_at",
            "late",
            "question",
            "reviewed_at",
            "version",
        ]
        validators: list = []  # one report per period is the service's rule
        read_only_fields = [
            "enterprise",
            "period_end",
            "due_on",
            "status",
            "submitted_at",
            "late",
            "question",
            "reviewed_at",
            "version",
        ]


class ComplianceReportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ComplianceReport.Status.choices)
    country = django_filters.CharFilter(method="filter_country")
    late = django_filters.BooleanFilter()

    class Meta:
        model = ComplianceReport
        fields = ["status", "country", "late"]

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(country_id=value.strip().upper())


class ComplianceReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Submit a market's figures for a period (POST again to answer a query)."""

    permission_classes = [permissions.IsAuthenticated, MembersWriteOwn]
    serializer_class = ComplianceReportSerializer
    filterset_class = ComplianceReportFilter
    lookup_value_regex = r"[0-9]{1,18}"
    caller_enterprise = OwnedRecordViewSet.caller_enterprise

    def get_queryset(self) -> QuerySet[Any]:
        return ComplianceReport.objects.visible_to(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        report = services.compliance_report_submit(
            actor=request.user,
            enterprise=self.caller_enterprise(),
            country_id=data.pop("country").code,
            period_start=data.pop("period_start"),
            figures={name: data[name] for name in ComplianceReport.FIGURES},
        )
        return Response(self.get_serializer(report).data, status=201)
