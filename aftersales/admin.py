"""After-sales admin: staff review every record; saves and actions go through services."""

from datetime import timedelta
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from aftersales import services
from aftersales.models import ServiceOutlet, SparePartsCommitment, WarrantyCommitment
from aftersales.selectors import coverage_table
from audit.services import refusal_record_if_forbidden
from config.errors import DomainError
from registry.admin_base import ServiceAdmin, apply_with_reason, error_text
from registry.models import Enterprise

EXPIRY_WINDOWS = (30, 60, 90)


class ExpiringWithinFilter(admin.SimpleListFilter):
    """Records still running whose end date falls within the next N days."""

    title = _("expiring within")
    parameter_name = "expiring_within"
    end_field = "valid_until"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(str(n), _("%(n)d days") % {"n": n}) for n in EXPIRY_WINDOWS]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() not in {str(n) for n in EXPIRY_WINDOWS}:
            return queryset
        today = timezone.localdate()
        horizon = today + timedelta(days=int(self.value() or 0))
        return queryset.filter(
            withdrawn_at__isnull=True,
            **{f"{self.end_field}__gte": today, f"{self.end_field}__lte": horizon},
        )


class ContractExpiringFilter(ExpiringWithinFilter):
    title = _("contract expiring within")
    end_field = "contract_valid_until"


class WithdrawnFilter(admin.SimpleListFilter):
    title = _("withdrawn")
    parameter_name = "withdrawn"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("no", _("In force")), ("yes", _("Withdrawn"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("yes", "no"):
            return queryset.filter(withdrawn_at__isnull=self.value() == "no")
        return queryset


def run_each(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, apply: Any):  # type: ignore[no-untyped-def]
    """Apply a service to each selected row, reporting refusals one by one."""
    done = 0
    for obj in queryset:
        try:
            apply(obj)
            done += 1
        except (ValidationError, DomainError) as exc:
            refusal_record_if_forbidden(request=request, error=exc)
            modeladmin.message_user(request, f"{obj}: {error_text(exc)}", messages.ERROR)
    if done:
        message = ngettext("%(n)d record changed.", "%(n)d records changed.", done)
        modeladmin.message_user(request, message % {"n": done}, messages.SUCCESS)


class AftersalesAdmin(ServiceAdmin):
    """Shared set-up: the owning enterprise is fixed once a record exists."""

    autocomplete_fields = ["enterprise", "country"]
    list_select_related = ["enterprise", "country"]
    readonly_fields = ["withdrawn_at", "version", "created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "enterprise"] if obj else fields

    @admin.display(boolean=True, description=_("in force"))
    def in_force(self, obj: Any) -> bool:
        return not obj.is_withdrawn


@admin.register(ServiceOutlet)
class ServiceOutletAdmin(AftersalesAdmin):
    list_display = [
        "operator_name",
        "city",
        "country",
        "enterprise",
        "brand_names",
        "contract_valid_until",
        "verification_status",
        "in_force",
        "coverage_link",
    ]
    list_filter = [
        "verification_status",
        ContractExpiringFilter,
        "country",
        "brands",
        "operator_kind",
        WithdrawnFilter,
    ]
    search_fields = ["operator_name", "city", "address", "enterprise__name_en", "enterprise__uscc"]
    autocomplete_fields = [*AftersalesAdmin.autocomplete_fields, "brands"]
    readonly_fields = [
        "verification_status",
        "verified_by",
        "verified_at",
        "rejection_reason",
        *AftersalesAdmin.readonly_fields,
    ]
    actions = ["verify_outlets", "reject_outlets"]
    change_list_template = "admin/aftersales/serviceoutlet/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("brands")

    @admin.display(description=_("brands"))
    def brand_names(self, obj: ServiceOutlet) -> str:
        return ", ".join(b.name for b in obj.brands.all())

    @admin.display(description=_("coverage"))
    def coverage_link(self, obj: ServiceOutlet) -> str:
        url = reverse("admin:aftersales_coverage") + f"?enterprise={obj.enterprise_id}"
        return format_html('<a href="{}">{}</a>', url, _("coverage"))

    def has_verify_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(services.VERIFY_PERMISSION)

    @admin.action(description=_("Verify selected outlets"), permissions=["verify"])
    def verify_outlets(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Verify each selected outlet through the service."""
        run_each(
            self, request, queryset, lambda o: services.outlet_verify(actor=request.user, outlet=o)
        )

    @admin.action(description=_("Reject selected outlets (with a reason)"), permissions=["verify"])
    def reject_outlets(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        """Ask for the reason, then reject each selected outlet through the service."""
        return apply_with_reason(
            self,
            request,
            queryset,
            _("Reject service outlets"),
            lambda o, reason: services.outlet_reject(actor=request.user, outlet=o, reason=reason),
        )

    def create(self, actor: Any, values: dict[str, Any]) -> models.Model:
        return services.outlet_create(actor=actor, **values)

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> models.Model:
        return services.outlet_update(actor=actor, outlet=obj, data=data)

    def get_urls(self) -> list:
        coverage = path(
            "coverage/",
            self.admin_site.admin_view(self.coverage_view),
            name="aftersales_coverage",
        )
        return [coverage, *super().get_urls()]

    def coverage_view(self, request: HttpRequest) -> HttpResponse:
        """Show one enterprise's coverage: countries × (outlet, warranty, parts)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        enterprise = _enterprise_from(request.GET.get("enterprise", ""))
        context = {
            **self.admin_site.each_context(request),
            "title": _("After-sales coverage"),
            "opts": self.model._meta,
            "enterprise": enterprise,
            "enterprises": Enterprise.objects.exclude(kind=Enterprise.Kind.OTHER),
            "every_country": request.GET.get("all") == "1",
            "rows": coverage_table(
                enterprise=enterprise, every_country=request.GET.get("all") == "1"
            )
            if enterprise
            else [],
            "today": timezone.localdate(),
        }
        return TemplateResponse(request, "admin/aftersales/coverage.html", context)


def _enterprise_from(value: str) -> Enterprise | None:
    if not value.isdigit() or len(value) > 18:
        return None
    return Enterprise.objects.filter(pk=int(value)).first()


class CommitmentAdmin(AftersalesAdmin):
    list_filter = [ExpiringWithinFilter, "country", "brand", WithdrawnFilter]
    search_fields = ["enterprise__name_en", "enterprise__uscc", "brand__name", "country__code"]
    autocomplete_fields = [*AftersalesAdmin.autocomplete_fields, "brand"]
    list_select_related = [*AftersalesAdmin.list_select_related, "brand"]
    actions = ["withdraw_commitments"]
    withdraw_service: Any = None

    @admin.action(description=_("Withdraw selected commitments"), permissions=["change"])
    def withdraw_commitments(
        self, request: HttpRequest, queryset: QuerySet
    ) -> TemplateResponse | None:
        """Ask for the reason, then withdraw each selected commitment."""
        withdraw = self.withdraw_service
        return apply_with_reason(
            self,
            request,
            queryset,
            _("Withdraw commitments"),
            lambda c, reason: withdraw(actor=request.user, commitment=c, reason=reason),
        )


@admin.register(WarrantyCommitment)
class WarrantyCommitmentAdmin(CommitmentAdmin):
    list_display = [
        "enterprise",
        "brand",
        "country",
        "vehicle_warranty_months",
        "battery_warranty_months",
        "battery_warranty_km",
        "valid_from",
        "valid_until",
        "in_force",
    ]
    withdraw_service = staticmethod(services.warranty_commitment_withdraw)

    def create(self, actor: Any, values: dict[str, Any]) -> models.Model:
        return services.warranty_commitment_create(actor=actor, **values)

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> models.Model:
        return services.warranty_commitment_update(actor=actor, commitment=obj, data=data)


@admin.register(SparePartsCommitment)
class SparePartsCommitmentAdmin(CommitmentAdmin):
    list_display = [
        "enterprise",
        "brand",
        "country",
        "supply_years",
        "max_lead_time_days",
        "depot",
        "valid_from",
        "valid_until",
        "in_force",
    ]
    search_fields = [*CommitmentAdmin.search_fields, "depot"]
    withdraw_service = staticmethod(services.spare_parts_commitment_withdraw)

    def create(self, actor: Any, values: dict[str, Any]) -> models.Model:
        return services.spare_parts_commitment_create(actor=actor, **values)

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> models.Model:
        return services.spare_parts_commitment_update(actor=actor, commitment=obj, data=data)


# The fleet's admins (vehicles, obligations, reports) and the letters' live in their own modules.
from aftersales import fleet_admin, letters_admin  # noqa: E402,F401
