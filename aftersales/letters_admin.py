"""Admin for confirmation letters (per manufacturer, revocable with a reason) and requests."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from aftersales import services
from aftersales.fleet_admin import ReadOnlyAdmin
from aftersales.models import ConfirmationLetter, LetterRequest
from aftersales.services.letters import REVOKE_PERMISSION
from registry.admin_base import apply_with_reason


@admin.register(ConfirmationLetter)
class ConfirmationLetterAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "manufacturer",
        "vin",
        "vehicle_model",
        "country",
        "outlet",
        "requester",
        "status",
        "issued_at",
        "public_check",
    ]
    list_filter = [
        "status",
        ("manufacturer", admin.RelatedOnlyFieldListFilter),
        ("country", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["manufacturer", "requester", "vehicle_model__brand", "country", "outlet"]
    search_fields = ["=vin", "=number", "manufacturer__name_en", "manufacturer__name_zh"]
    readonly_fields = ["public_check"]
    actions = ["revoke_letters"]
    show_full_result_count = False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(REVOKE_PERMISSION)

    @admin.display(description=_("public check"))
    def public_check(self, obj: ConfirmationLetter) -> str:
        url = reverse("letter-verify", args=[obj.number])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, obj.number)

    @admin.action(description=_("Revoke selected letters (with a reason)"), permissions=["revoke"])
    def revoke_letters(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        """Ask for the reason, then revoke each selected letter through the service."""
        return apply_with_reason(
            self,
            request,
            queryset,
            _("Revoke confirmation letters"),
            lambda letter, reason: services.letter_revoke(
                actor=request.user, letter=letter, reason=reason
            ),
        )


@admin.register(LetterRequest)
class LetterRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "vin",
        "requester",
        "manufacturer",
        "vehicle_model",
        "country",
        "status",
        "created_at",
        "answered_at",
    ]
    list_filter = [
        "status",
        ("manufacturer", admin.RelatedOnlyFieldListFilter),
        ("country", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["requester", "manufacturer", "vehicle_model__brand", "country"]
    search_fields = ["=vin", "requester__name_en", "manufacturer__name_en"]
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]
