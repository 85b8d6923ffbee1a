"""Breach workflow in the admin: open, note, recommend (caseworker), return or decide (officer).

It lives with licensing because a decision may suspend licences: the decide action calls
licensing's ``breach_decide_and_apply``, which runs the after-sales decision first.
"""

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from aftersales.models import Breach, BreachNote
from aftersales.services import breaches as services
from licensing.admin.breach_evidence import BreachEvidenceInline, BreachEvidenceViews
from licensing.services.breach_outcomes import breach_decide_and_apply
from registry.admin_base import ServiceAdmin, apply_with_reason

OUT = Breach.Outcome


class BreachNoteInline(admin.TabularInline):
    model = BreachNote
    fields = ["created_at", "author", "text", "evidence"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _recommend_action(outcome: str, label: Any) -> Any:
    def recommend(modeladmin: Any, request: HttpRequest, queryset: QuerySet) -> Any:
        return apply_with_reason(
            modeladmin,
            request,
            queryset,
            _("Recommend: %(outcome)s") % {"outcome": label},
            lambda b, reasons: services.breach_recommend(
                actor=request.user, breach=b, outcome=outcome, reasons=reasons
            ),
        )

    recommend.__name__ = f"recommend_{outcome}"
    recommend.__doc__ = "Recommend this outcome with reasons."
    # Lazy, so the action list reads in the language of each request.
    description = lazy(lambda: gettext("Recommend: %(outcome)s") % {"outcome": label}, str)()
    return admin.action(description=description, permissions=["investigate"])(recommend)


@admin.register(Breach)
class BreachAdmin(BreachEvidenceViews, ServiceAdmin):
    list_display = ["enterprise", "brand", "country", "source", "severity", "status", "outcome"]
    list_filter = ["status", "severity", "source", "outcome"]
    list_select_related = ["enterprise", "brand", "country"]
    search_fields = ["enterprise__name_en", "enterprise__name_zh", "finding"]
    autocomplete_fields = ["enterprise", "brand", "country"]
    fields = ["enterprise", "brand", "country", "severity", "finding"]
    inlines = [BreachNoteInline, BreachEvidenceInline]
    actions = [
        "add_note",
        *[_recommend_action(value, label) for value, label in OUT.choices],
        "return_breaches",
        "decide_breaches",
    ]

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/evidence/add/",
                wrap(self.evidence_add_view),
                name="aftersales_breach_evidence_add",
            ),
            path(
                "<path:object_id>/evidence/<int:evidence_id>/",
                wrap(require_GET(self.evidence_view)),
                name="aftersales_breach_evidence",
            ),
            *super().get_urls(),
        ]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return self.fields
        return [
            *self.fields,
            "attach_evidence",
            "source",
            "status",
            "recommended_outcome",
            "recommendation",
            "recommended_by",
            "outcome",
            "decision",
            "decided_by",
            "decided_at",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else self.get_fields(request, obj)

    @admin.display(description=_("evidence files"))
    def attach_evidence(self, breach: Breach) -> str:
        """Link to the page that attaches files (listed below with the notes)."""
        if breach.status == Breach.Status.DECIDED:
            return "-"
        url = reverse("admin:aftersales_breach_evidence_add", args=[breach.pk])
        return format_html('<a href="{}">{}</a>', url, _("Attach an evidence file"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_investigate_permission(request)

    def has_investigate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(services.INVESTIGATE)

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(services.DECIDE)

    def create(self, actor: Any, values: dict[str, Any]) -> models.Model:
        return services.breach_open(actor=actor, **values)

    @admin.action(description=_("Add an investigation note"), permissions=["investigate"])
    def add_note(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        """Ask for the note, then add it to each selected breach."""
        return apply_with_reason(
            self,
            request,
            queryset,
            _("Add an investigation note"),
            lambda b, text: services.breach_add_note(actor=request.user, breach=b, text=text),
        )

    @admin.action(description=_("Return for more investigation"), permissions=["decide"])
    def return_breaches(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        """Send each selected recommendation back, with a reason."""
        return apply_with_reason(
            self,
            request,
            queryset,
            _("Return for more investigation"),
            lambda b, reason: services.breach_return(actor=request.user, breach=b, reason=reason),
        )

    @admin.action(description=_("Decide the recommended outcome"), permissions=["decide"])
    def decide_breaches(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        """Decide each selected breach as recommended and apply its outcome."""
        return apply_with_reason(
            self,
            request,
            queryset,
            _("Decide the recommended outcome"),
            lambda b, reasons: breach_decide_and_apply(
                actor=request.user, breach=b, reasons=reasons
            ),
        )
