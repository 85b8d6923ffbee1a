"""Registry admin: every save and action goes through registry.services."""

from functools import partial
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from registry import selectors, services
from registry.admin_base import (
    ReadOnlyInline,
    ServiceAdmin,
)
from registry.admin_calendar import calendar_import_view
from registry.models import (
    Authorisation,
    Brand,
    CalendarDay,
    Country,
    Enterprise,
    IssuingOffice,
    Membership,
    Qualification,
    VehicleModel,
)


@admin.register(IssuingOffice)
class IssuingOfficeAdmin(ServiceAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name", "province"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["code"] if obj else []

    def create(self, actor: Any, values: dict[str, Any]) -> models.Model:
        return services.issuing_office_create(actor=actor, **values)

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> models.Model:
        return services.issuing_office_update(actor=actor, issuing_office=obj, data=data)


@admin.register(Country)
class CountryAdmin(ServiceAdmin):
    list_display = ["code", "name", "statutory_warranty_months", "minimum_outlets", "customs_code"]
    list_filter = ["statutory_warranty_months"]
    search_fields = ["code", "customs_code"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["code"] if obj else []

    def create(self, actor: Any, values: dict[str, Any]) -> models.Model:
        return services.country_create(actor=actor, **values)

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> models.Model:
        return services.country_update(actor=actor, country=obj, data=data)


@admin.register(CalendarDay)
class CalendarDayAdmin(ServiceAdmin):
    list_display = ["date", "weekday", "is_working_day", "name", "source"]
    list_filter = ["is_working_day", "source"]
    search_fields = ["name", "date"]
    date_hierarchy = "date"
    fields = ["date", "is_working_day", "name", "source"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return obj.date.strftime("%a")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["date", "source"] if obj else ["source"]

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(partial(calendar_import_view, self))
        return [
            path("import/", view, name="registry_calendarday_import"),
            *super().get_urls(),
        ]

    def create(self, actor: Any, values: dict[str, Any]) -> models.Model:
        return services.calendar_day_set(
            actor=actor,
            day=values["date"],
            is_working_day=values["is_working_day"],
            name=values.get("name", ""),
        )

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> models.Model:
        return services.calendar_day_set(
            actor=actor,
            day=obj.date,
            is_working_day=data.get("is_working_day", obj.is_working_day),
            name=data.get("name", obj.name),
        )


def calendar_warning_text(year: int) -> str:
    """Explain that a year lacks official calendar data and what happens meanwhile."""
    return str(
        _(
            "%(year)d has no official PRC holiday calendar yet: working-day deadlines in "
            "%(year)d fall back to Monday–Friday. Once the State Council publishes them, "
            "import the year's holidays and make-up working days from a CSV file under "
            "Calendar days → Import a year from CSV, or enter them one by one."
        )
        % {"year": year}
    )


# --- enterprises ----------------------------------------------------------------------------


class BrandInline(ReadOnlyInline):
    model = Brand
    fields = ["name", "name_zh"]
    readonly_fields = fields


class GrantedAuthorisationInline(ReadOnlyInline):
    model = Authorisation
    fk_name = "manufacturer"
    verbose_name_plural = _("authorisations granted")
    fields = ["exporter", "brands", "valid_from", "valid_until", "revoked_at"]
    readonly_fields = fields


class ReceivedAuthorisationInline(ReadOnlyInline):
    model = Authorisation
    fk_name = "exporter"
    verbose_name_plural = _("authorisations received")
    fields = ["manufacturer", "brands", "valid_from", "valid_until", "revoked_at"]
    readonly_fields = fields


class QualificationInline(ReadOnlyInline):
    model = Qualification
    fields = ["year", "qualification_class", "status", "granted_on", "source_case_reference"]
    readonly_fields = fields


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ["user", "role", "is_active"]
    readonly_fields = fields


@admin.register(Enterprise)
class EnterpriseAdmin(ServiceAdmin):
    list_display = ["name_en", "name_zh", "uscc", "kind", "status", "issuing_office"]
    list_filter = ["kind", "status", "negative_listed", "issuing_office"]
    search_fields = ["name_en", "name_zh", "uscc", "miit_catalogue_number"]
    list_select_related = ["issuing_office"]
    autocomplete_fields = ["issuing_office"]
    inlines = [
        BrandInline,
        GrantedAuthorisationInline,
        ReceivedAuthorisationInline,
        QualificationInline,
        MembershipInline,
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["recent_events"] if obj else []

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        """Show related rows only once the enterprise exists."""
        return super().get_inline_instances(request, obj) if obj else []

    @admin.display(description=_("recent audit events"))
    def recent_events(self, obj: Enterprise) -> str:
        """Render the enterprise's newest audit events as a small table."""
        events = selectors.enterprise_recent_events(obj.pk)
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    e.seq,
                    localtime(e.occurred_at).strftime("%Y-%m-%d %H:%M"),
                    e.actor_label,
                    e.verb,
                    e.target_repr,
                )
                for e in events
            ),
        )
        if not rows:
            return _("No events yet.")
        labels = (_("#"), _("time"), _("actor"), _("verb"), _("target"))
        head = format_html_join("", "<th>{}</th>", ((label,) for label in labels))
        return format_html('<table class="recent-events"><tr>{}</tr>{}</table>', head, rows)

    def create(self, actor: Any, values: dict[str, Any]) -> models.Model:
        return services.enterprise_create(actor=actor, **values)

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> models.Model:
        return services.enterprise_update(actor=actor, enterprise=obj, data=data)


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    list_display = ["user", "enterprise", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__email", "enterprise__name_en", "enterprise__uscc"]
    list_select_related = ["user", "enterprise"]
    autocomplete_fields = ["user", "enterprise"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return (
            ["user", "enterprise", "role", "is_active"] if obj else ["user", "enterprise", "role"]
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["user", "enterprise"] if obj else []

    def create(self, actor: Any, values: dict[str, Any]) -> models.Model:
        return services.membership_create(actor=actor, **values)

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> models.Model:
        return services.membership_update(actor=actor, membership=obj, data=data)


# --- brands and models ----------------------------------------------------------------------


@admin.register(Brand)
class BrandAdmin(ServiceAdmin):
    list_display = ["name", "name_zh", "manufacturer"]
    list_filter = ["manufacturer__kind"]
    search_fields = ["name", "name_zh", "manufacturer__name_en"]
    list_select_related = ["manufacturer"]
    autocomplete_fields = ["manufacturer"]

    def create(self, actor: Any, values: dict[str, Any]) -> models.Model:
        return services.brand_create(actor=actor, **values)

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> models.Model:
        return services.brand_update(actor=actor, brand=obj, data=data)


@admin.register(VehicleModel)
class VehicleModelAdmin(ServiceAdmin):
    list_display = ["name", "brand", "powertrain", "hs_code", "type_approval_number", "is_active"]
    list_filter = ["powertrain", "is_active", "brand"]
    search_fields = ["name", "brand__name", "hs_code", "type_approval_number"]
    list_select_related = ["brand"]
    autocomplete_fields = ["brand"]

    def create(self, actor: Any, values: dict[str, Any]) -> models.Model:
        return services.vehicle_model_create(actor=actor, **values)

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> models.Model:
        return services.vehicle_model_update(actor=actor, vehicle_model=obj, data=data)


# --- authorisations and qualifications ------------------------------------------------------


# Registered from their own modules.
from registry import admin_rights, admin_wmi  # noqa: E402,F401
