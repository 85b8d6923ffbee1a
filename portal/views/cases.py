"""The member's cases: a list with SLA positions, one case, and answering an information request."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.services import refusal_record_if_forbidden
from config.errors import DomainError, StaleVersion
from licensing.models import Case
from licensing.services.sla import case_sla, slas_for
from licensing.services.transitions import actions_available
from licensing.services.workflow import case_respond
from portal.forms import RespondForm
from portal.views.scoping import own_case, own_cases, page_of

STALE_MESSAGE = gettext_lazy(
    "Someone changed this case while you were answering; nothing was saved. "
    "Read the case as it is now and answer again."
)


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
    }
    return render(request, "portal/cases/list.html", context)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one case of the enterprise with its lines, checklist, evidence and questions."""
    case = own_case(request.user, pk)
    return _render_case(request, case, RespondForm(initial={"version": case.version}))


@require_POST
@login_required
def case_respond_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer the case's open information request through case_respond."""
    case = own_case(request.user, pk)
    form = RespondForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, form, status=400)
    try:
        case_respond(
            actor=request.user,
            case=case,
            answer=form.cleaned_data["answer"],
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _render_case(request, case, form, status=400)
    except StaleVersion:
        fresh = own_case(request.user, pk)
        form = RespondForm(
            initial={"version": fresh.version, "answer": form.cleaned_data["answer"]}
        )
        return _render_case(request, fresh, form, problem=str(STALE_MESSAGE), status=409)
    except DomainError as exc:
        refusal_record_if_forbidden(request=request, error=exc)
        return _render_case(request, case, form, problem=exc.message, status=exc.status)
    messages.success(request, _("Your answer was sent; the case is back under review."))
    return redirect("portal:case_detail", pk=case.pk)


def _render_case(
    request: HttpRequest, case: Case, form: RespondForm, problem: str = "", status: int = 200
) -> HttpResponse:
    may_respond = "respond" in actions_available(actor=request.user, case=case)
    context: dict[str, Any] = {
        "case": case,
        "sla": case_sla(case),
        "lines": case.lines.select_related("vehicle_model__brand"),
        "checks": case.eligibility_checks.all(),
        "documents": case.documents.all(),
        "information_requests": case.information_requests.all(),
        "form": form if may_respond else None,
        "problem": problem,
    }
    return render(request, "portal/cases/detail.html", context, status=status)
