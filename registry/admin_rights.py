"""Admin of who may export: manufacturers' authorisations and the yearly qualifications."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from registry import services
from registry.admin_base import (
    ServiceAdmin,
    apply_with_reason,
)
from registry.models import (
    Authorisation,
    Qualification,
)


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
