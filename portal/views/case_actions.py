"""What a member does on the case page: submit, withdraw, add evidence, answer a question."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.services import refusal_record_if_forbidden
from config.errors import DomainError, StaleVersion
from licensing.models import Case
from licensing.services.documents import document_add
from licensing.services.workflow import case_respond, case_submit, case_withdraw
from portal.forms import EvidenceForm, RespondForm, VersionedForm, WithdrawForm
from portal.views.cases import open_requests, render_case
from portal.views.scoping import own_case

STALE_MESSAGE = gettext_lazy(
    "Someone changed this case while you were working on it; nothing was saved. "
    "Read the case as it is now and try again."
)
FIELD_NAMES = {
    "lines": gettext_lazy("Goods lines"),
    "documents": gettext_lazy("Documents"),
}


def _field_name(name: str) -> str:
    if name in FIELD_NAMES:
        return str(FIELD_NAMES[name])
    try:
        return str(Case._meta.get_field(name).verbose_name).capitalize()
    except Exception:  # noqa: BLE001 — an unknown key is shown without a name
        return ""


def _add_errors(form: forms.Form, error: ValidationError, rename: dict[str, str]) -> None:
    errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    for name, problems in errors.items():
        target = rename.get(name, name)
        form.add_error(target if target in form.fields else None, problems)


def _act(
    request: HttpRequest,
    pk: int,
    name: str,
    form: forms.Form,
    run: Callable[[Case, dict[str, Any]], Any],
    done: str,
    rename: dict[str, str] | None = None,
) -> HttpResponse:
    """Validate the form, run the service, and show the case with a message or the errors."""
    case = own_case(request.user, pk)
    if not form.is_valid():
        return render_case(request, case, forms={name: form}, status=400)
    try:
        run(case, form.cleaned_data)
    except ValidationError as error:
        _add_errors(form, error, rename or {})
        return render_case(request, case, forms={name: form}, status=400)
    except StaleVersion:
        fresh = own_case(request.user, pk)
        return render_case(request, fresh, problem=str(STALE_MESSAGE), status=409)
    except DomainError as error:
        refusal_record_if_forbidden(request=request, error=error)
        return render_case(
            request, case, forms={name: form}, problem=error.message, status=error.status
        )
    messages.success(request, done)
    return redirect("portal:case_detail", pk=case.pk)


@require_POST
@login_required
def case_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit a draft through case_submit; what is missing is listed by name."""
    case = own_case(request.user, pk)
    form = VersionedForm(request.POST)
    if not form.is_valid():
        return render_case(request, case, forms={"submit": form}, status=400)
    try:
        case_submit(actor=request.user, case=case, expected_version=form.cleaned_data["version"])
    except ValidationError as error:
        missing = [
            f"{_field_name(name)}: {' '.join(problems)}"
            if _field_name(name)
            else " ".join(problems)
            for name, problems in error.message_dict.items()
        ]
        problem = _("The application is not complete yet: %(missing)s") % {
            "missing": "; ".join(missing)
        }
        return render_case(request, case, problem=problem, status=400)
    except StaleVersion:
        return render_case(
            request, own_case(request.user, pk), problem=str(STALE_MESSAGE), status=409
        )
    except DomainError as error:
        refusal_record_if_forbidden(request=request, error=error)
        return render_case(request, case, problem=error.message, status=error.status)
    messages.success(
        request,
        _("Your application was submitted; screening has run and the ministry will review it."),
    )
    return redirect("portal:case_detail", pk=case.pk)


@require_POST
@login_required
def case_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw the application with a reason, through case_withdraw."""

    def run(case: Case, data: dict[str, Any]) -> Any:
        return case_withdraw(
            actor=request.user, case=case, reason=data["reason"], expected_version=data["version"]
        )

    done = _("The application was withdrawn.")
    return _act(request, pk, "withdraw", WithdrawForm(request.POST), run, done)


@require_POST
@login_required
def case_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach one piece of evidence to the case through document_add."""

    def run(case: Case, data: dict[str, Any]) -> Any:
        return document_add(
            actor=request.user, case=case, doc_type=data["doc_type"], upload=data["file"]
        )

    form = EvidenceForm(request.POST, request.FILES)
    return _act(request, pk, "evidence", form, run, _("The document was added to the case."))


@require_POST
@login_required
def case_respond_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer the case's open information request, with attachments, through case_respond."""
    case = own_case(request.user, pk)

    def run(case: Case, data: dict[str, Any]) -> Any:
        return case_respond(
            actor=request.user,
            case=case,
            answer=data["answer"],
            attachments=data["attachments"],
            expected_version=data["version"],
        )

    form = RespondForm(request.POST, request.FILES, open_requests=open_requests(case))
    done = _("Your answer was sent; the case is back under review.")
    return _act(request, pk, "respond", form, run, done, rename={"file": "attachments"})
