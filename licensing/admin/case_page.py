"""What the case page shows around the read-only fields: buttons, checklist, panels.

A workflow form that failed comes back bound (with the typed text and its field errors)
through the session, so the page can be re-displayed after the redirect.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from licensing.admin.case_documents import is_previewable
from licensing.admin.case_forms import (
    ACTION_FORMS,
    NoteForm,
    OverrideForm,
    PriorityForm,
    VersionedForm,
)
from licensing.models import Case
from licensing.services import sla
from licensing.services.letters import DECIDED
from licensing.services.notes import may_work_on_cases
from licensing.services.screening import MANDATORY_CHECKS
from licensing.services.transitions import ASSESS_PERMISSION, TRANSITIONS, actions_available
from licensing.services.used_screening import letter_days, schedule_overview
from licensing.timeline import case_timeline

DRAFT_SESSION_KEY = "licensing_case_action_draft"
NOTES_SHOWN = 100


def keep_draft(request: HttpRequest, case: Case, action: str, form: VersionedForm) -> None:
    """Remember a refused form's input so the case page can show it again with its errors."""
    data = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    errors = {name: list(messages) for name, messages in form.errors.items()}
    request.session[DRAFT_SESSION_KEY] = {
        "case": case.pk,
        "action": action,
        "data": data,
        "errors": errors,
    }


def add_service_errors(form: VersionedForm, exc: ValidationError) -> bool:
    """Attach a service's field errors to the form's fields; False if none fits a field."""
    if not hasattr(exc, "error_dict"):
        return False
    fitted = False
    for name, errors in exc.message_dict.items():
        if name in form.fields:
            form.add_error(name, errors)
            fitted = True
    return fitted


def _draft_form(request: HttpRequest, case: Case) -> tuple[str, VersionedForm] | None:
    draft = request.session.pop(DRAFT_SESSION_KEY, None)
    if not draft or draft.get("case") != case.pk or draft.get("action") not in ACTION_FORMS:
        return None
    action = draft["action"]
    form = ACTION_FORMS[action](draft["data"], auto_id=f"id_{action}_%s")
    form.full_clean()
    for name, errors in draft.get("errors", {}).items():
        if name in form.fields and name not in form.errors:
            form.add_error(name, errors)
    return action, form


def action_forms(request: HttpRequest, case: Case) -> list[dict[str, Any]]:
    """One form per action the transition table and permissions allow this user now."""
    draft = _draft_form(request, case)
    found = []
    for action in actions_available(actor=request.user, case=case):
        if action not in ACTION_FORMS:
            continue  # the applicant's own actions belong to the portal
        if draft and draft[0] == action:
            form = draft[1]
        else:
            initial = {"version": case.version, "assignee": request.user.pk}
            form = ACTION_FORMS[action](initial=initial, auto_id=f"id_{action}_%s")
        found.append(
            {
                "name": action,
                "label": _(TRANSITIONS[action].label),
                "form": form,
                "url": reverse("admin:licensing_case_transition", args=[case.pk, action]),
            }
        )
    return found


def checklist(request: HttpRequest, case: Case) -> list[dict[str, Any]]:
    """The screening checks in plain words, with an override form where one is allowed."""
    override_allowed = case.status == Case.Status.UNDER_REVIEW and (
        case.assigned_to_id == request.user.pk and request.user.has_perm(ASSESS_PERMISSION)
    )
    return [
        {
            "check": check,
            "form": OverrideForm(initial={"code": check.code, "version": case.version})
            if override_allowed and not check.satisfied and check.code not in MANDATORY_CHECKS
            else None,
        }
        for check in case.eligibility_checks.select_related("overridden_by")
    ]


def sla_badge_html(clock: sla.Sla | None) -> str:
    """The coloured SLA badge: green on time, amber within a working day, red overdue."""
    if clock is None:
        return "—"
    return render_to_string("admin/licensing/case/includes/sla_badge.html", {"clock": clock})


def case_page_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """Everything the case page shows besides the model's own fields."""
    documents = list(case.documents.select_related("uploaded_by"))
    for document in documents:
        document.download_url = reverse(
            "admin:licensing_case_document", args=[case.pk, document.pk]
        )
        document.preview_url = (
            reverse("admin:licensing_case_document_preview", args=[case.pk, document.pk])
            if is_previewable(document)
            else None
        )
    licence = getattr(case, "issued_licence", None) if case.status == Case.Status.APPROVED else None
    return {
        "case_actions": action_forms(request, case),
        "case_sla": sla.case_sla(case),
        "case_lines": case.lines.select_related("vehicle_model__brand"),
        "case_schedule": schedule_overview(case) if case.is_used else [],
        "case_letter_days": letter_days(),
        "case_checks": checklist(request, case),
        "case_override_url": reverse("admin:licensing_case_override", args=[case.pk]),
        "case_documents": documents,
        "case_information_requests": case.information_requests.select_related(
            "asked_by", "answered_by"
        ),
        "case_licence": licence,
        "case_licence_url": reverse("admin:licensing_licence_change", args=[licence.pk])
        if licence
        else None,
        "case_timeline": case_timeline(case, staff=True),
        "case_letter_url": reverse("admin:licensing_case_decision_letter", args=[case.pk])
        if case.status in DECIDED
        else None,
        "case_summary_url": reverse("admin:licensing_case_summary", args=[case.pk]),
        "case_notes": case.notes.select_related("author")[:NOTES_SHOWN],
        "case_note_form": NoteForm() if may_work_on_cases(request.user) else None,
        "case_priority_form": PriorityForm(initial={"priority": case.priority})
        if may_work_on_cases(request.user)
        else None,
    }


def case_summary_context(case: Case) -> dict[str, Any]:
    """What the printable summary shows: the case, its goods, checks and decision."""
    return {
        "title": case.reference,
        "case": case,
        "case_sla": sla.case_sla(case),
        "case_lines": case.lines.select_related("vehicle_model__brand"),
        "case_checks": list(case.eligibility_checks.all()),
        "case_licence": getattr(case, "issued_licence", None)
        if case.status == Case.Status.APPROVED
        else None,
        "case_timeline": case_timeline(case, staff=True, limit=50),
    }
