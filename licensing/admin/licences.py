"""The licence register: list with filters, licence page with lines, declarations,
timeline and the officer actions, which call the licence services.

Licences are never edited through a form: the page is read-only and every button goes
through `licence_act`, which checks the status table and the officer's permission.
"""

from datetime import timedelta
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.admin_timeline import AuditTimelineMixin
from audit.services import refusal_record_if_forbidden
from config.errors import DomainError
from licensing.models import Licence, LicenceLine
from licensing.selectors import licence_declarations
from licensing.services.certificate import licence_certificate_pdf
from licensing.services.licences import (
    LICENCE_ACTIONS,
    licence_act,
    licence_actions_available,
)

EXPIRY_WINDOWS = (7, 30, 90)


class ExpiringWithinFilter(admin.SimpleListFilter):
    """Active licences whose validity ends within the next N days."""

    title = gettext_lazy("expiring within")
    parameter_name = "expiring_within"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(days), _("%d days") % days) for days in EXPIRY_WINDOWS]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        if self.value() not in {str(days) for days in EXPIRY_WINDOWS}:
            return None
        today = timezone.localdate()
        return queryset.expiring_between(today, today + timedelta(days=int(self.value())))


class LicenceLineInline(admin.TabularInline):
    model = LicenceLine
    fields = ["vehicle_model", "licensed_quantity", "remaining", "unit_price_usd"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("vehicle_model__brand")


@admin.register(Licence)
class LicenceAdmin(AuditTimelineMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "holder",
        "destination",
        "status",
        "valid_from",
        "valid_until",
        "uses_left",
        "issuing_office",
    ]
    list_filter = ["status", "issuing_office", "destination", ExpiringWithinFilter]
    search_fields = ["number", "holder__name_en", "holder__name_zh", "contract_number"]
    list_select_related = ["holder", "destination", "issuing_office"]
    date_hierarchy = "valid_until"
    inlines = [LicenceLineInline]
    readonly_fields = ["declarations_table"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("number", "status", "version"),
                    "status_reason",
                    ("holder", "brand", "issuing_office"),
                    ("case", "replaces"),
                    ("destination", "customs_port"),
                    ("trade_mode", "contract_number", "payment_terms", "transport_mode"),
                    ("use_mode", "uses_left"),
                    ("valid_from", "valid_until"),
                    ("issued_at", "issued_by"),
                ]
            },
        ),
        (gettext_lazy("Customs declarations"), {"fields": ["declarations_table"]}),
        (gettext_lazy("Audit"), {"fields": ["audit_timeline"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """Show every field read-only: a licence changes only through its actions."""
        own = [f.name for f in Licence._meta.fields]
        return tuple(dict.fromkeys([*own, *super().get_readonly_fields(request, obj)]))

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if "audit_timeline" in self.get_readonly_fields(request, obj):
            return fieldsets
        return [fs for fs in fieldsets if fs[1]["fields"] != ["audit_timeline"]]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("Declarations"))
    def declarations_table(self, obj: Licence) -> str:
        """List the declarations with their quantities and VINs."""
        rows = [
            (
                d.number,
                d.declared_on,
                ", ".join(
                    f"{line.licence_line.vehicle_model} × {line.quantity}" for line in d.lines.all()
                ),
                ", ".join(v.vin for v in d.vehicles.all()),
            )
            for d in licence_declarations(obj)
        ]
        if not rows:
            return _("None yet.")
        return format_html_join(
            "", "<div><strong>{}</strong> {} — {}<br><small>{}</small></div>", rows
        )

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/act/<str:action>/",
                view(self.act_view),
                name="licensing_licence_act",
            ),
            path(
                "<int:pk>/certificate.pdf",
                view(self.certificate_view),
                name="licensing_licence_certificate",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        licence = self.get_object(request, object_id)
        actions = licence_actions_available(actor=request.user, licence=licence) if licence else []
        context = {
            **(extra_context or {}),
            "licence_actions": [(a, LICENCE_ACTIONS[a].label) for a in actions],
        }
        return super().change_view(request, object_id, form_url, extra_context=context)

    def act_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        """Ask for the reason, then take the officer action through the service."""
        licence = get_object_or_404(Licence, pk=pk)
        if action not in LICENCE_ACTIONS or not self.has_view_permission(request, licence):
            raise PermissionDenied
        error = ""
        if request.method == "POST":
            error = self._act(request, licence, action)
            if not error:
                return HttpResponseRedirect(self._change_url(licence))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "licence": licence,
            "action": action,
            "label": LICENCE_ACTIONS[action].label,
            "error": error,
            "title": f"{LICENCE_ACTIONS[action].label}: {licence.number}",
        }
        return TemplateResponse(request, "admin/licensing/licence/act.html", context)

    def _act(self, request: HttpRequest, licence: Licence, action: str) -> str:
        version = request.POST.get("version", "")
        try:
            licence_act(
                licence=licence,
                action=action,
                actor=request.user,
                reason=request.POST.get("reason", ""),
                expected_version=int(version) if version.isdigit() else None,
            )
        except ValidationError as exc:
            return " ".join(exc.messages)
        except DomainError as exc:
            refusal_record_if_forbidden(request=request, error=exc)
            return exc.message
        self.message_user(
            request,
            _("Licence %(number)s is now %(status)s.")
            % {"number": licence.number, "status": licence.get_status_display().lower()},
            messages.SUCCESS,
        )
        return ""

    def certificate_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Download the certificate of any licence (staff)."""
        licence = get_object_or_404(Licence, pk=pk)
        if not self.has_view_permission(request, licence):
            raise PermissionDenied
        response = HttpResponse(licence_certificate_pdf(licence), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="licence-{licence.number}.pdf"'
        return response

    def _change_url(self, licence: Licence) -> str:
        return reverse("admin:licensing_licence_change", args=[licence.pk])
