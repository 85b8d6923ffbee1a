"""The member's cases: a list with SLA positions, and one case's page with its forms."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from licensing.models import Case
from licensing.services.sla import case_sla, slas_for
from licensing.services.transitions import actions_available
from portal.forms import EvidenceForm, RespondForm, VersionedForm, WithdrawForm
from portal.timeline import case_timeline
from portal.views.scoping import may_apply, own_case, own_cases, page_of
from portal.views.screening import checklist_rows
from portal.views.used_schedule import letter_period, schedule_for_applicant


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """List the enterprise's cases, optionally of one status, with their SLA positions."""
    status = request.GET.get("status", "")
    cases = own_cases(request.user)
    if status in Case.Status.values:
        cases = cases.filter(status=status)
    else:
        status = ""
    page = page_of(request, cases)
    slas = slas_for(list(page.object_list))
    context = {
        "page": page,
        "rows": [(case, slas[case.pk]) for case in page.object_list],
        "status": status,
        "statuses": Case.Status.choices,
        "may_apply": may_apply(request.user),
    }
    return render(request, "portal/cases/list.html", context)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one case of the enterprise: status, SLA, screening, evidence, questions, history."""
    return render_case(request, own_case(request.user, pk))


def open_requests(case: Case) -> Any:
    """The case's unanswered information requests (at most one while the case waits)."""
    return case.information_requests.filter(answered_at__isnull=True)


def render_case(
    request: HttpRequest,
    case: Case,
    *,
    forms: dict[str, Any] | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    """Render the case page with fresh forms, or with the failed one given in `forms`."""
    actions = actions_available(actor=request.user, case=case)
    version = {"version": case.version}
    requests_open = open_requests(case)
    question = requests_open.first()
    available = {
        "respond": "respond" in actions,
        "submit": "submit" in actions,
        "withdraw": "withdraw" in actions,
        # Evidence is accepted exactly while the application can still be withdrawn.
        "evidence": "withdraw" in actions,
    }
    fresh = {
        "respond": lambda: RespondForm(
            initial={**version, "information_request": question and question.pk},
            open_requests=requests_open,
        ),
        "submit": lambda: VersionedForm(initial=version),
        "withdraw": lambda: WithdrawForm(initial=version),
        "evidence": lambda: EvidenceForm(),
    }
    given = forms or {}
    shown = {
        f"{name}_form": given.get(name) or fresh[name]()
        for name, allowed in available.items()
        if allowed
    }
    checks, preview = checklist_rows(case)
    context: dict[str, Any] = {
        "case": case,
        "sla": case_sla(case),
        "lines": case.lines.select_related("vehicle_model__brand"),
        "schedule": schedule_for_applicant(case, request.user),
        "letter_days": letter_period(),
        "checks": checks,
        "checks_preview": preview,
        "checks_failing": any(not (c.passed or c.overridden) for c in checks),
        "documents": case.documents.filter(information_request__isnull=True),
        "information_requests": case.information_requests.prefetch_related("attachments"),
        "timeline": case_timeline(case, request.user),
        "licence": getattr(case, "issued_licence", None),
        # The standard appeal text is stored as written; show it in the reader's language.
        "appeal_information": gettext(case.appeal_information) if case.appeal_information else "",
        "may_edit": case.status == Case.Status.DRAFT and may_apply(request.user),
        "problem": problem,
        **shown,
    }
    return render(request, "portal/cases/detail.html", context, status=status)
