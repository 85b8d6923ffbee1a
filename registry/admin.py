"""Registry admin: every save and action goes through registry.services."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.services import refusal_record_if_forbidden
from config.errors import DomainError
from registry import selectors, services
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


def error_text(exc: Exception) -> str:
    """Flatten a ValidationError or domain error into one readable line."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return getattr(exc, "message", str(exc))


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin that saves through services and never deletes."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Refuse deletion: the registry keeps its history."""
        return False

    def create(self, actor: Any, values: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Create or update through the model's service instead of a raw save."""
        if change:
            fresh = type(obj).objects.get(pk=obj.pk)
            saved = self.update(request.user, fresh, form_values(form, form.changed_data))
        else:
            saved = self.create(request.user, form_values(form, form.cleaned_data))
        obj.pk, obj._state.adding, obj._state.db = saved.pk, False, saved._state.db

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Save nothing: the service wrote the many-to-many values and inlines are read-only."""
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Turn a refusal raised while saving into an error message; the save rolls back."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, DomainError) as exc:
            refusal_record_if_forbidden(request=request, error=exc)
            self.message_user(request, error_text(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


def form_values(form: Any, names: Any) -> dict[str, Any]:
    """Pick the named model-field values from a bound, valid form."""
    fields = {f.name: f for f in form._meta.model._meta.get_fields() if not f.auto_created}
    values = {}
    for name in names:
        if name in fields and name in form.cleaned_data:
            value = form.cleaned_data[name]
            values[name] = list(value) if fields[name].many_to_many else value
    return values


class ReadOnlyInline(admin.TabularInline):
    """An inline that only lists related rows."""

    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))


def apply_with_reason(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    title: Any,
    apply: Callable[[Any, str], Any],
) -> TemplateResponse | None:
    """Ask for a reason on an intermediate page, then apply a service to each selected row."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        done = 0
        for obj in queryset:
            try:
                apply(obj, form.cleaned_data["reason"])
                done += 1
            except (ValidationError, DomainError) as exc:
                refusal_record_if_forbidden(request=request, error=exc)
                modeladmin.message_user(request, f"{obj}: {error_text(exc)}", messages.ERROR)
        if done:
            message = ngettext("%(n)d record changed.", "%(n)d records changed.", done)
            modeladmin.message_user(request, message % {"n": done}, messages.SUCCESS)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "opts": modeladmin.model._meta,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/registry/action_reason.html", context)


# --- reference data -------------------------------------------------------------------------


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


class AuthorisationForm(forms.ModelForm):
    """Runs the service's cross-object checks so refusals show as field errors."""

    class Meta:
        model = Authorisation
        fields = ["manufacturer", "exporter", "brands", "valid_from", "valid_until"]

    def _post_clean(self) -> None:
        super()._post_clean()
        if self._errors:
            return
        brands = list(self.cleaned_data.get("brands") or [])
        try:
            services._check_authorisation(self.instance, brands)
        except ValidationError as exc:
            self._update_errors(exc)


@admin.register(Authorisation)
class AuthorisationAdmin(ServiceAdmin):
    form = AuthorisationForm
    list_display = [
        "id",
        "manufacturer",
        "exporter",
        "brand_names",
        "valid_from",
        "valid_until",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "valid_until"]
    search_fields = [
        "manufacturer__name_en",
        "exporter__name_en",
        "brands__name",
        "evidence_reference",
    ]
    list_select_related = ["manufacturer", "exporter"]
    autocomplete_fields = ["manufacturer", "exporter", "brands"]
    fields = [
        "manufacturer",
        "exporter",
        "brands",
        "valid_from",
        "valid_until",
        "evidence_reference",
        "revoked_at",
        "revocation_reason",
    ]
    actions = ["revoke"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("brands")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        """Keep the parties fixed once recorded; a revoked authorisation is final."""
        if obj is None:
            return ["revoked_at", "revocation_reason"]
        if obj.is_revoked:
            return list(self.fields)
        return ["manufacturer", "exporter", "revoked_at", "revocation_reason"]

    @admin.display(description=_("brands"))
    def brand_names(self, obj: Authorisation) -> str:
        return ", ".join(b.name for b in obj.brands.all())

    @admin.action(description=_("Revoke the selected authorisations"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        """Revoke each selected authorisation with the reason given."""
        return apply_with_reason(
            self,
            request,
            queryset,
            _("Revoke authorisations"),
            lambda obj, reason: services.authorisation_revoke(
                actor=request.user, authorisation=obj, reason=reason
            ),
        )

    def create(self, actor: Any, values: dict[str, Any]) -> models.Model:
        return services.authorisation_create(actor=actor, **values)

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> models.Model:
        return services.authorisation_update(actor=actor, authorisation=obj, data=data)


def qualification_action(action: str, description: Any) -> Callable[..., Any]:
    """Build an admin action that moves qualifications with a reason."""

    @admin.action(description=description, permissions=["change"])
    def run(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> Any:
        return apply_with_reason(
            modeladmin,
            request,
            queryset,
            description,
            lambda obj, reason: services.qualification_set_status(
                actor=request.user, qualification=obj, action=action, reason=reason
            ),
        )

    run.__name__ = action
    return run


@admin.register(Qualification)
class QualificationAdmin(ServiceAdmin):
    list_display = [
        "enterprise",
        "year",
        "qualification_class",
        "status",
        "granted_on",
        "source_case_reference",
    ]
    list_filter = ["status", "year", "qualification_class"]
    search_fields = ["enterprise__name_en", "enterprise__uscc", "source_case_reference"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise"]
    actions = [
        qualification_action(action, label)
        for action, label in (
            ("suspend", _("Suspend the selected qualifications")),
            ("reinstate", _("Reinstate the selected qualifications")),
            ("cancel", _("Cancel the selected qualifications")),
        )
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        """Everything is fixed once granted; only the actions change the status."""
        status = ["status", "status_reason", "source_case_reference"]
        return (
            [*status, "enterprise", "year", "qualification_class", "granted_on"] if obj else status
        )

    def create(self, actor: Any, values: dict[str, Any]) -> models.Model:
        return services.qualification_grant(actor=actor, **values)

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> models.Model:
        """Every field of a granted qualification is read-only: saving its page changes nothing."""
        return obj


# World manufacturer identifiers (VIN prefixes) live in their own module.
from registry import admin_wmi  # noqa: E402,F401
