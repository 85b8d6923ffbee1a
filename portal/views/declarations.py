"""Recording a customs declaration against one of the enterprise's licences."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.errors import DomainError
from licensing.models import Licence
from licensing.services.declarations import declaration_record
from portal.forms.declarations import DeclarationForm, DeclarationLineFormSet, split_vins
from portal.views.scoping import own_licence
from registry.models import member_may_apply

# The service's refusal codes, in the words an export manager reads first.
REFUSALS = {
    "quantity_exceeded": gettext_lazy("The licence does not have that many vehicles left."),
    "licence_not_usable": gettext_lazy("This licence cannot take a declaration now."),
}


@login_required
def declaration_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the declaration form, or record the declaration through declaration_record."""
    licence = own_licence(request.user, pk)
    if not member_may_apply(request.user):
        raise PermissionDenied
    lines = list(licence.lines.all())
    if request.method != "POST":
        initial = [{"line": line.pk} for line in lines]
        form = DeclarationForm(initial={"declared_on": timezone.localdate()})
        return _render(request, licence, form, _formset(lines, initial=initial))
    form = DeclarationForm(request.POST)
    rows = _formset(lines, data=request.POST, files=request.FILES)
    parsed = [form.is_valid(), rows.is_valid()]  # both, so every field error shows at once
    if all(parsed) and _record(request, licence, form, rows):
        return redirect("portal:licence_detail", pk=licence.pk)
    _keep_file_vins(rows)
    return _render(request, licence, form, rows, status=400)


def _formset(lines: list, **kwargs: Any) -> Any:
    return DeclarationLineFormSet(prefix="lines", form_kwargs={"licence_lines": lines}, **kwargs)


def _record(request: HttpRequest, licence: Licence, form: DeclarationForm, rows: Any) -> bool:
    """Call the service; on refusal put each problem next to the field or row it concerns."""
    declared = [(row, row.declared_line()) for row in rows]
    declared = [(row, line) for row, line in declared if line is not None]
    try:
        declaration = declaration_record(
            licence=licence,
            actor=request.user,
            number=form.cleaned_data["number"],
            declared_on=form.cleaned_data["declared_on"],
            lines=[line for _row, line in declared],
        )
    except ValidationError as exc:
        _place_errors(exc, form, [row for row, _line in declared])
        return False
    except DomainError as exc:
        lead = REFUSALS.get(exc.code)
        form.add_error(None, f"{lead} {exc.message}" if lead else exc.message)
        return False
    vehicles = sum(line.quantity for _row, line in declared)
    messages.success(
        request,
        _("Declaration %(number)s recorded: %(count)d vehicle(s) drawn from the licence.")
        % {"number": declaration.number, "count": vehicles},
    )
    return True


def _place_errors(exc: ValidationError, form: DeclarationForm, rows: list) -> None:
    errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
    for field, field_errors in errors.items():
        for error in field_errors:
            index = (error.params or {}).get("line")
            message = error.message % error.params if error.params else error.message
            if field == "lines" and index is not None and index < len(rows):
                rows[index].add_error(None, message)
            else:
                form.add_error("number" if field == "number" else None, message)


def _keep_file_vins(rows: Any) -> None:
    """Move VINs read from an uploaded file into the row's text box, so nothing is re-uploaded."""
    for row in rows:
        if row.file_vins:
            data = row.data.copy()
            pasted = split_vins(data.get(row.add_prefix("vins"), ""))
            data[row.add_prefix("vins")] = "\n".join(pasted + row.file_vins)
            row.data = data
            row.file_vins_kept = True


def _render(
    request: HttpRequest,
    licence: Licence,
    form: DeclarationForm,
    rows: Any,
    status: int = 200,
) -> HttpResponse:
    has_errors = bool(form.errors) or any(row.errors for row in rows) or rows.non_form_errors()
    context = {"licence": licence, "form": form, "rows": rows, "has_errors": has_errors}
    return render(request, "portal/licences/declare.html", context, status=status)
