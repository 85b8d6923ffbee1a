"""Applying for a used-vehicle licence: the contract and a schedule of vehicles, row by row.

Reached through the apply and edit pages (applications.py) for kind `used_licence`; the
drafts are saved by case_create / case_update, which check every row.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import refusal_record_if_forbidden
from config.errors import DomainError
from licensing.models import Case
from licensing.selectors import may_apply_for_used_licence
from licensing.services.drafts import case_create, case_update
from portal.forms.used import (
    CSV_COLUMNS,
    ScheduleCsvForm,
    UsedApplicationForm,
    VehicleFormSet,
    filled_rows,
    schedule_from_csv,
    vehicle_initial,
)
from portal.views.scoping import catalogue_brands, catalogue_models
from registry.models import member_enterprise_id

PREFIX = "vehicles"


def may_apply_used(user: Any) -> bool:
    """Whether the member's enterprise may start a used-vehicle licence (licensing decides)."""
    return may_apply_for_used_licence(member_enterprise_id(user), timezone.localdate())


@dataclass
class UsedEditor:
    """The application form, its schedule and the problems met outside the fields."""

    form: UsedApplicationForm
    rows: Any
    upload: ScheduleCsvForm
    schedule_errors: list[str] = field(default_factory=list)

    def add_service_errors(self, error: ValidationError) -> None:
        """Put each refusal on the field, or the row and field, it concerns."""
        indexes = [index for index, _row in filled_rows(self.rows)]
        for name, problems in error.error_dict.items():
            if name == "vehicles":
                self._add_row_errors(problems, indexes)
            elif name in self.form.fields:
                self.form.add_error(name, [p.messages[0] for p in problems])
            else:
                self.form.add_error(None, [p.messages[0] for p in problems])

    def _add_row_errors(self, problems: list[ValidationError], indexes: list[int]) -> None:
        for problem in problems:
            params = problem.params or {}
            row, name = params.get("row"), params.get("field")
            if row is not None and row < len(indexes) and name:
                self.rows.forms[indexes[row]].add_error(name, str(params["problem"]))
            else:
                self.schedule_errors.extend(problem.messages)


def _rows(data: QueryDict | dict | None, initial: list[dict[str, Any]] | None = None) -> Any:
    return VehicleFormSet(
        data,
        prefix=PREFIX,
        initial=initial,
        form_kwargs={"brands": catalogue_brands(), "models": catalogue_models()},
    )


def _initial(case: Case | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if case is None:
        return {}, []
    names = [*UsedApplicationForm.Meta.fields]
    values = {name: getattr(case, name) for name in names}
    values["destination"] = case.destination_id or ""
    vehicles = case.vehicles.select_related("vehicle_model")
    return {**values, "version": case.version}, [vehicle_initial(row) for row in vehicles]


def _render(
    request: HttpRequest,
    editor: UsedEditor,
    *,
    case: Case | None,
    status: int = 200,
    show_errors: bool = True,
) -> HttpResponse:
    context = {
        "kind": Case.Kind.USED_LICENCE.value,
        "kind_label": Case.Kind.USED_LICENCE.label,
        "form": editor.form,
        "rows": editor.rows,
        "upload": editor.upload,
        "schedule_errors": editor.schedule_errors,
        "csv_columns": ",".join(CSV_COLUMNS),
        "case": case,
        "hide_errors": not show_errors,
        "may_apply_used": True,
    }
    return render(request, "portal/cases/apply_used.html", context, status=status)


def used_page(request: HttpRequest, case: Case | None) -> HttpResponse:
    """Show (GET) or handle (POST) the used-vehicle application page."""
    if request.method != "POST":
        initial, rows = _initial(case)
        editor = UsedEditor(
            UsedApplicationForm(initial=initial), _rows(None, rows), ScheduleCsvForm()
        )
        return _render(request, editor, case=case)
    data = request.POST
    if "read_csv" in data:
        return _read_csv(request, case)
    if "add_vehicle" in data:
        data = data.copy()
        total = int(data.get(f"{PREFIX}-TOTAL_FORMS") or 0)
        data[f"{PREFIX}-TOTAL_FORMS"] = str(min(total + 1, VehicleFormSet.max_num))
        editor = UsedEditor(UsedApplicationForm(data), _rows(data), ScheduleCsvForm())
        return _render(request, editor, case=case, show_errors=False)
    return _save(
        request, case, UsedEditor(UsedApplicationForm(data), _rows(data), ScheduleCsvForm())
    )


def _read_csv(request: HttpRequest, case: Case | None) -> HttpResponse:
    """Fill the schedule from the pasted or uploaded CSV; nothing is saved yet."""
    upload = ScheduleCsvForm(request.POST, request.FILES)
    form = UsedApplicationForm(request.POST)
    if not upload.is_valid():
        editor = UsedEditor(form, _rows(request.POST), upload)
        return _render(request, editor, case=case, status=400)
    fields, problems = schedule_from_csv(upload.text(), catalogue_models(), PREFIX)
    if not fields:
        editor = UsedEditor(form, _rows(request.POST), upload, problems)
        return _render(request, editor, case=case, status=400)
    editor = UsedEditor(form, _rows(fields), ScheduleCsvForm(), problems)
    editor.rows.is_valid()  # shows dates or prices the CSV got wrong, row by row
    return _render(request, editor, case=case, status=400 if problems else 200)


def _save(request: HttpRequest, case: Case | None, editor: UsedEditor) -> HttpResponse:
    form_ok, rows_ok = editor.form.is_valid(), editor.rows.is_valid()
    if not (form_ok and rows_ok):
        return _render(request, editor, case=case, status=400)
    values = dict(editor.form.cleaned_data)
    version = values.pop("version", None)
    vehicles = [vehicle for _index, vehicle in filled_rows(editor.rows)]
    try:
        if case is None:
            saved = case_create(
                actor=request.user, kind=Case.Kind.USED_LICENCE, vehicles=vehicles, **values
            )
        else:
            saved = case_update(
                actor=request.user,
                case=case,
                data=values,
                vehicles=vehicles,
                expected_version=version,
            )
    except ValidationError as error:
        editor.add_service_errors(error)
        return _render(request, editor, case=case, status=400)
    except DomainError as error:
        refusal_record_if_forbidden(request=request, error=error)
        editor.form.add_error(None, error.message)
        return _render(request, editor, case=case, status=error.status)
    messages.success(request, _("Your draft was saved. Check the screening result, then submit."))
    return redirect("portal:case_detail", pk=saved.pk)
