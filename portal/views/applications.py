"""Starting and editing an application: a guided form that calls case_create / case_update."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import refusal_record, refusal_record_if_forbidden
from config.errors import DomainError
from licensing.models import Case, Licence
from licensing.services.drafts import case_create, case_update
from portal.forms import (
    ExchangeApplicationForm,
    GoodsLineFormSet,
    LicenceApplicationForm,
    QualificationApplicationForm,
    filled_lines,
)
from portal.forms.applications import CONTRACT_FIELDS
from portal.views.scoping import (
    exchangeable_licences,
    may_apply,
    offered_models,
    own_brands,
    own_case,
)
from portal.views.used_applications import may_apply_used, used_page

LINE_FIELDS = ("vehicle_model", "quantity", "unit_price_usd")
NOT_QUALIFIED = gettext_lazy(
    "A used-vehicle licence is for enterprises on this year's export qualification list; "
    "yours holds no granted qualification."
)


@dataclass
class Editor:
    """The application form and its goods lines, bound or not."""

    kind: str
    form: Any
    lines: Any = None
    line_errors: list[str] = field(default_factory=list)

    def is_valid(self) -> bool:
        lines_ok = self.lines is None or self.lines.is_valid()
        return self.form.is_valid() and lines_ok

    def values(self) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
        """The case fields and lines to hand to the services."""
        data = dict(self.form.cleaned_data)
        data.pop("version", None)
        return data, None if self.lines is None else filled_lines(self.lines)

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's refusals next to the fields they concern."""
        errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for name, problems in errors.items():
            if name == "lines":
                self.line_errors.extend(problems)
            elif name in self.form.fields:
                self.form.add_error(name, problems)
            else:
                self.form.add_error(None, problems)


def _editor(
    request: HttpRequest, kind: str, *, data: QueryDict | None = None, case: Case | None = None
) -> Editor:
    user, initial, line_initial = request.user, _initial(request, kind, case), _lines_initial(case)
    if kind == Case.Kind.QUALIFICATION:
        return Editor(kind, QualificationApplicationForm(data, initial=initial))
    if kind == Case.Kind.EXCHANGE and case is None:
        licence = _licence_asked_for(request, initial)
        line_initial = line_initial or _licence_lines(licence)
        form: Any = ExchangeApplicationForm(
            data, initial=initial, brands=own_brands(user), licences=exchangeable_licences(user)
        )
    else:
        form = LicenceApplicationForm(data, initial=initial, brands=own_brands(user))
    brand = form.chosen_brand() if data is not None else initial.get("brand")
    lines = GoodsLineFormSet(
        data,
        prefix="lines",
        initial=line_initial,
        form_kwargs={"models": offered_models(user, brand)},
    )
    return Editor(kind, form, lines)


def _initial(request: HttpRequest, kind: str, case: Case | None) -> dict[str, Any]:
    if case is None:
        return {}
    names = ("year", "qualification_class") if kind == Case.Kind.QUALIFICATION else None
    values = {
        name: getattr(case, name)
        for name in (names or (*CONTRACT_FIELDS, "valid_from", "valid_until"))
    }
    if "destination" in values:
        values["destination"] = case.destination_id or ""
    return {**values, "version": case.version}


def _licence_asked_for(request: HttpRequest, initial: dict[str, Any]) -> Licence | None:
    """The licence named by ?licence=, if it is one of the enterprise's active ones."""
    licence = (
        exchangeable_licences(request.user).filter(pk=_int(request.GET.get("licence"))).first()
    )
    if licence is not None:
        initial.update({name: getattr(licence, name) for name in CONTRACT_FIELDS})
        initial["destination"] = licence.destination_id
        initial["licence_to_exchange"] = licence.pk
    return licence


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def _licence_lines(licence: Licence | None) -> list[dict[str, Any]]:
    if licence is None:
        return []
    return [
        {
            "vehicle_model": line.vehicle_model_id,
            "quantity": line.remaining,
            "unit_price_usd": line.unit_price_usd,
        }
        for line in licence.lines.all()
        if line.remaining
    ]


def _lines_initial(case: Case | None) -> list[dict[str, Any]]:
    if case is None:
        return []
    return [{name: getattr(line, name) for name in LINE_FIELDS} for line in case.lines.all()]


def _refused(request: HttpRequest, message: str = "") -> HttpResponse:
    message = (
        str(message)
        if message
        else _("Your role lets you read your enterprise's cases but not apply or edit them.")
    )
    method, path = request.method or "", request.path
    refusal_record(actor=request.user, method=method, path=path, reason=message)
    return render(request, "portal/refused.html", {"message": message}, status=403)


def _more_lines(data: QueryDict) -> QueryDict:
    """The same form with one more empty goods line (the page works without JavaScript)."""
    data = data.copy()
    total = _int(data.get("lines-TOTAL_FORMS")) or 0
    data["lines-TOTAL_FORMS"] = str(min(total + 1, GoodsLineFormSet.max_num))
    return data


def _render(
    request: HttpRequest,
    editor: Editor,
    *,
    case: Case | None = None,
    status: int = 200,
    show_errors: bool = True,
) -> HttpResponse:
    context = {
        "kind": editor.kind,
        "kind_label": Case.Kind(editor.kind).label,
        "form": editor.form,
        "lines": editor.lines,
        "line_errors": editor.line_errors,
        "case": case,
        "hide_errors": not show_errors,
        "exchanging": _exchanging(request, editor),
        "may_apply_used": may_apply_used(request.user),
    }
    return render(request, "portal/cases/apply.html", context, status=status)


def _exchanging(request: HttpRequest, editor: Editor) -> Licence | None:
    if "licence_to_exchange" not in editor.form.fields:
        return None
    chosen = _int(str(editor.form["licence_to_exchange"].value() or ""))
    return exchangeable_licences(request.user).filter(pk=chosen).first() if chosen else None


def _handle(request: HttpRequest, kind: str, case: Case | None) -> HttpResponse:
    data = request.POST
    if "add_line" in data:
        data = _more_lines(data)
    editor = _editor(request, kind, data=data, case=case)
    if "add_line" in data or "show_models" in data:
        return _render(request, editor, case=case, show_errors=False)
    if not editor.is_valid():
        return _render(request, editor, case=case, status=400)
    values, lines = editor.values()
    try:
        saved = _save(request, kind, case, values, lines, editor.form.cleaned_data.get("version"))
    except ValidationError as error:
        editor.add_service_errors(error)
        return _render(request, editor, case=case, status=400)
    except DomainError as error:
        refusal_record_if_forbidden(request=request, error=error)
        editor.form.add_error(None, error.message)
        return _render(request, editor, case=case, status=error.status)
    messages.success(request, _("Your draft was saved. Check the screening result, then submit."))
    return redirect("portal:case_detail", pk=saved.pk)


def _save(
    request: HttpRequest,
    kind: str,
    case: Case | None,
    values: dict[str, Any],
    lines: list[dict[str, Any]] | None,
    version: int | None,
) -> Case:
    if case is None:
        return case_create(actor=request.user, kind=kind, lines=lines, **values)
    return case_update(
        actor=request.user, case=case, data=values, lines=lines, expected_version=version
    )


@login_required
def apply(request: HttpRequest, kind: str) -> HttpResponse:
    """Start a licence, exchange or qualification application as a draft."""
    if kind not in Case.Kind.values:
        raise Http404
    if not may_apply(request.user):
        return _refused(request)
    if kind == Case.Kind.USED_LICENCE:
        if not may_apply_used(request.user):
            return _refused(request, NOT_QUALIFIED)
        return used_page(request, None)
    if request.method == "POST":
        return _handle(request, kind, None)
    return _render(request, _editor(request, kind))


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft application; anything already submitted is refused with a message."""
    case = own_case(request.user, pk)
    if not may_apply(request.user):
        return _refused(request)
    if case.status != Case.Status.DRAFT:
        messages.error(
            request, _("Only a draft can be changed; this application has been submitted.")
        )
        return redirect("portal:case_detail", pk=case.pk)
    if case.is_used:
        return used_page(request, case)
    if request.method == "POST":
        return _handle(request, case.kind, case)
    return _render(request, _editor(request, case.kind, case=case), case=case)
