"""The caseworker workplace: the case queue and the case page with its workflow buttons.

Cases are never edited through a form here. Every button and bulk action calls the
workflow service, which checks the transition table and the actor's permission; the
admin only asks the same table which buttons to show.
"""

from functools import partial
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import ShowFacets
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.services import refusal_record_if_forbidden
from config.errors import DomainError, StaleVersion
from licensing.admin import queues
from licensing.admin.case_forms import (
    ACTION_FORMS,
    AssignToForm,
    OverrideForm,
)
from licensing.admin.case_page import (
    add_service_errors,
    case_page_context,
    keep_draft,
    sla_badge_html,
)
from licensing.admin.case_views import (
    CaseSideViews,
    form_errors_text,
    message_text,
    saved_views,
)
from licensing.admin.insights import insights_view
from licensing.admin_paginator import EstimatedCountPaginator
from licensing.models import Case
from licensing.selectors import case_search
from licensing.services import sla, workflow
from licensing.services.transitions import ASSESS_PERMISSION


class QueueFilter(admin.SimpleListFilter):
    """The caseworker queues, each with its count for the current user."""

    title = gettext_lazy("queue")
    parameter_name = "queue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        counts = queues.counts_for_request(request)
        return [(key, f"{label} ({counts[key]})") for key, label in queues.QUEUES.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        if self.value() not in queues.QUEUES:
            return None
        condition = queues.conditions_for_request(request)[self.value()]
        return queryset.is_open().filter(condition)


class CaseChangeList(ChangeList):
    """Attach the batched SLA to the page's rows so the columns need no query per row."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        rows = list(self.result_list)
        clocks = sla.slas_for(rows)
        for case in rows:
            case.sla_clock = clocks.get(case.pk)
        self.result_list = rows


@admin.register(Case)
class CaseAdmin(CaseSideViews, admin.ModelAdmin):
    list_display = (
        "reference",
        "kind",
        "applicant",
        "destination",
        "status",
        "assigned_to",
        "sla_due",
        "sla_badge",
    )
    list_select_related = ("applicant", "destination", "assigned_to")
    list_filter = (QueueFilter, "status", "kind", "priority")
    search_fields = ("=reference", "^applicant__name_en", "=applicant__uscc", "=contract_number")
    search_help_text = gettext_lazy(
        "Reference (or its beginning), contract number, licence number, VIN, applicant name "
        "(beginning) or credit code."
    )
    ordering = ("-pk",)
    list_per_page = 50
    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    actions = ("assign_to_me", "assign_to")
    change_form_template = "admin/licensing/case/change_form.html"
    fieldsets = (
        (None, {"fields": ("reference", "kind", "applicant", "status", "version")}),
        (
            gettext_lazy("Review"),
            {
                "fields": (
                    "submitted_at",
                    "assigned_to",
                    ("recommendation", "recommended_by", "recommended_at"),
                    "recommendation_reasons",
                    "return_reason",
                    ("decision", "decided_by", "decided_at"),
                    "decision_reasons",
                    "appeal_information",
                )
            },
        ),
        (
            gettext_lazy("Contract"),
            {
                "fields": (
                    ("brand", "destination"),
                    ("customs_port", "trade_mode", "transport_mode"),
                    ("contract_number", "payment_terms"),
                    ("use_mode", "valid_from", "valid_until"),
                    ("year", "qualification_class"),
                )
            },
        ),
    )

    # Nothing about a case is edited by form: drafts belong to the applicant, and every
    # later change is a workflow action with its own permission check and audit event.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return False

    def has_assess_permission(self, request: HttpRequest) -> bool:
        """Whether the user may assign and assess cases."""
        return request.user.has_perm(ASSESS_PERMISSION)

    def get_readonly_fields(self, request: HttpRequest, obj: Case | None = None) -> list[str]:
        return [f for line in self.fieldsets for f in _flatten(line[1]["fields"])]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).visible_to(request.user)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """Say so when the search box held characters no search can use."""
        if "\x00" in request.GET.get("q", ""):
            self.message_user(
                request,
                _("The search contained a null character and was ignored."),
                messages.WARNING,
            )
        extra_context = {**(extra_context or {}), "saved_views": saved_views(request)}
        return super().changelist_view(request, extra_context)

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return CaseChangeList

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """Match each term only where an index answers it (see selectors.case_search)."""
        return case_search(queryset, search_term), False

    @admin.display(description=gettext_lazy("SLA due"))
    def sla_due(self, case: Case) -> Any:
        return getattr(getattr(case, "sla_clock", None), "due_on", None) or "—"

    @admin.display(description=gettext_lazy("Service level"))
    def sla_badge(self, case: Case) -> str:
        return sla_badge_html(getattr(case, "sla_clock", None))

    # ----- bulk actions -------------------------------------------------------------

    @admin.action(description=gettext_lazy("Assign to me"), permissions=["assess"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._assign_each(request, queryset, request.user)

    @admin.action(description=gettext_lazy("Assign to…"), permissions=["assess"])
    def assign_to(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        form = AssignToForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._assign_each(request, queryset, form.cleaned_data["assignee"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Assign cases"),
            "opts": self.model._meta,
            "form": form,
            "cases": queryset.select_related("applicant"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/licensing/case/assign_to.html", context)

    def _assign_each(self, request: HttpRequest, queryset: QuerySet, assignee: Any) -> None:
        done, refused = [], []
        for case in queryset:
            try:
                workflow.case_assign(actor=request.user, case=case, assignee=assignee)
            except (DomainError, ValidationError) as exc:
                refused.append(f"{case.reference}: {_refusal(request, exc)}")
            else:
                done.append(case.reference)
        if done:
            self.message_user(
                request,
                _("Assigned %(n)d case(s) to %(user)s.") % {"n": len(done), "user": assignee},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                _("Not assigned: %(list)s") % {"list": "; ".join(refused)},
                messages.WARNING,
            )

    # ----- the case page --------------------------------------------------------------

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("export.csv", wrap(self.export_view), name="licensing_case_export"),
            path(
                "insights/",
                wrap(partial(insights_view, self)),
                name="licensing_case_insights",
            ),
            path(
                "saved-views/",
                wrap(require_POST(self.saved_filter_save_view)),
                name="licensing_case_saved_filter_save",
            ),
            path(
                "saved-views/<str:pk>/delete/",
                wrap(require_POST(self.saved_filter_delete_view)),
                name="licensing_case_saved_filter_delete",
            ),
            path(
                "<path:object_id>/act/<str:action>/",
                wrap(require_POST(self.transition_view)),
                name="licensing_case_transition",
            ),
            path(
                "<path:object_id>/override/",
                wrap(require_POST(self.override_view)),
                name="licensing_case_override",
            ),
            path(
                "<path:object_id>/notes/",
                wrap(require_POST(self.note_view)),
                name="licensing_case_note",
            ),
            path(
                "<path:object_id>/priority/",
                wrap(require_POST(self.priority_view)),
                name="licensing_case_priority",
            ),
            path(
                "<path:object_id>/decision-letter/",
                wrap(self.decision_letter_view),
                name="licensing_case_decision_letter",
            ),
            path(
                "<path:object_id>/summary/",
                wrap(self.summary_view),
                name="licensing_case_summary",
            ),
            path(
                "<path:object_id>/documents/<int:document_id>/preview/",
                wrap(self.document_preview_view),
                name="licensing_case_document_preview",
            ),
            path(
                "<path:object_id>/documents/<int:document_id>/",
                wrap(self.document_view),
                name="licensing_case_document",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        case = self.get_object(request, object_id)
        if case is not None and self.has_view_permission(request, case):
            extra_context = {**(extra_context or {}), **case_page_context(request, case)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _case_or_404(self, request: HttpRequest, object_id: str) -> Case:
        case = self.get_object(request, object_id)
        if case is None or not self.has_view_permission(request, case):
            raise Http404
        return case

    def transition_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        """Run one workflow action from its button; a refused form comes back as typed."""
        case = self._case_or_404(request, object_id)
        if action not in ACTION_FORMS:
            raise Http404
        form = ACTION_FORMS[action](request.POST)
        if not form.is_valid():
            keep_draft(request, case, action, form)
            self.message_user(request, _("Please correct the errors below."), messages.ERROR)
        else:
            self._run(request, _SERVICES[action], case, form, action)
        return HttpResponseRedirect(reverse("admin:licensing_case_change", args=[case.pk]))

    def _run(self, request: HttpRequest, service: Any, case: Case, form: Any, action: str) -> None:
        data = dict(form.cleaned_data)
        data["expected_version"] = data.pop("version")
        try:
            moved = service(actor=request.user, case=case, **data)
        except ValidationError as exc:
            if add_service_errors(form, exc):
                keep_draft(request, case, action, form)
                exc = ValidationError(_("Please correct the errors below."))
            self.message_user(request, message_text(exc), messages.ERROR)
        except DomainError as exc:
            self.message_user(request, _refusal(request, exc), messages.ERROR)
        else:
            self.message_user(
                request,
                _("%(case)s is now %(status)s.")
                % {"case": moved.reference, "status": moved.get_status_display()},
                messages.SUCCESS,
            )

    def override_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Accept a failed screening check with the assigned caseworker's reason."""
        case = self._case_or_404(request, object_id)
        form = OverrideForm(request.POST)
        back = HttpResponseRedirect(reverse("admin:licensing_case_change", args=[case.pk]))
        if not form.is_valid():
            self.message_user(request, form_errors_text(form), messages.ERROR)
            return back
        try:
            if form.cleaned_data["version"] != case.version:
                raise StaleVersion(_("The case has changed since you loaded it; reload it."))
            workflow.eligibility_override(
                actor=request.user,
                case=case,
                code=form.cleaned_data["code"],
                reason=form.cleaned_data["reason"],
            )
        except (DomainError, ValidationError) as exc:
            self.message_user(request, _refusal(request, exc), messages.ERROR)
        else:
            self.message_user(request, _("Check overridden."), messages.SUCCESS)
        return back


_SERVICES = {
    "assign": workflow.case_assign,
    "request_info": workflow.case_request_info,
    "recommend": workflow.case_recommend,
    "decide": workflow.case_decide,
    "return": workflow.case_return,
}


def _flatten(fields: tuple) -> list[str]:
    return [f for item in fields for f in (item if isinstance(item, tuple) else (item,))]


def _refusal(request: HttpRequest, exc: Exception) -> str:
    """Audit a permission refusal and return the message that explains any refusal."""
    refusal_record_if_forbidden(request=request, error=exc)
    return message_text(exc)
