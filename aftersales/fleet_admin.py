"""Admin for the exported fleet: vehicles, obligations (worst first), compliance reports."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from aftersales import services
from aftersales.admin import run_each
from aftersales.models import ComplianceReport, ExportedVehicle, Obligation
from aftersales.services.reports import REVIEW_PERMISSION
from registry.admin_base import apply_with_reason
from registry.models import Enterprise

O = Obligation.Status  # noqa: E741
STATUS_RANK = Case(
    When(status=O.BREACHED, then=Value(0)),
    When(status=O.AT_RISK, then=Value(1)),
    When(status=O.COVERED, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff read these records; only services write them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ExportedVehicle)
class ExportedVehicleAdmin(ReadOnlyAdmin):
    list_display = ["vin", "enterprise", "brand", "country", "exported_on", "warranty_ends_on"]
    list_filter = ["country"]
    list_select_related = ["enterprise", "brand", "country"]
    search_fields = ["=vin", "=licence_number", "=declaration_number"]
    show_full_result_count = False
    ordering = ["-pk"]


@admin.register(Obligation)
class ObligationAdmin(ReadOnlyAdmin):
    list_display = [
        "country",
        "brand",
        "enterprise_profile",
        "status",
        "horizon",
        "vehicles",
        "reason",
    ]
    list_filter = ["status", "country"]
    list_select_related = ["enterprise", "brand", "country"]
    search_fields = ["enterprise__name_en", "enterprise__name_zh", "brand__name"]
    readonly_fields = ["reason"]

    def get_ordering(self, request: HttpRequest) -> list:
        """Breached first, then at risk, by country and brand."""
        return [STATUS_RANK.asc(), "country_id", "brand__name", "pk"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).order_by(*self.get_ordering(request))

    @admin.display(description=_("enterprise"))
    def enterprise_profile(self, obj: Obligation) -> str:
        url = reverse("admin:aftersales_obligation_profile", args=[obj.enterprise_id])
        return format_html('<a href="{}">{}</a>', url, obj.enterprise)

    def get_urls(self) -> list:
        profile = self.admin_site.admin_view(self.profile_view)
        return [
            path("profile/<int:enterprise_id>/", profile, name="aftersales_obligation_profile"),
            *super().get_urls(),
        ]

    def profile_view(self, request: HttpRequest, enterprise_id: int) -> HttpResponse:
        """Show an enterprise's compliance profile: obligations and reports over time."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        enterprise = get_object_or_404(Enterprise, pk=enterprise_id)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compliance profile: %(name)s") % {"name": enterprise},
            "enterprise": enterprise,
            "obligations": self.get_queryset(request).filter(enterprise=enterprise),
            "reports": ComplianceReport.objects.filter(enterprise=enterprise)
            .select_related("country")
            .order_by("country_id", "period_start"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/aftersales/compliance_profile.html", context)


@admin.register(ComplianceReport)
class ComplianceReportAdmin(admin.ModelAdmin):
    list_display = [
        "enterprise",
        "country",
        "period_start",
        "due_on",
        "status",
        "late",
        "repair_wait_avg_days",
        "repair_wait_p90_days",
        "parts_fill_rate_pct",
    ]
    list_filter = ["status", "late", "country"]
    list_select_related = ["enterprise", "country"]
    search_fields = ["enterprise__name_en", "enterprise__name_zh"]
    actions = ["accept_reports", "query_reports"]
    readonly_fields = [f.name for f in ComplianceReport._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(REVIEW_PERMISSION)

    @admin.action(description=_("Accept selected reports"), permissions=["review"])
    def accept_reports(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Accept each selected report through the service."""
        run_each(
            self,
            request,
            queryset,
            lambda r: services.compliance_report_accept(actor=request.user, report=r),
        )

    @admin.action(description=_("Query selected reports (with a question)"), permissions=["review"])
    def query_reports(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        """Ask the question, then send each selected report back through the service."""
        return apply_with_reason(
            self,
            request,
            queryset,
            _("Query compliance reports"),
            lambda r, question: services.compliance_report_query(
                actor=request.user, report=r, question=question
            ),
        )
