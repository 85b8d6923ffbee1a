"""What makes a case's details acceptable (on every edit) and complete (on submission)."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from licensing.models import Case, CaseLine, Document
from licensing.services.schedule import schedule_completeness_problems
from licensing.services.used_licences import exchanges_a_schedule
from licensing.validity import latest_valid_until
from registry.models import VehicleModel

EDITABLE_FIELDS = (
    "brand",
    "destination",
    "customs_port",
    "trade_mode",
    "contract_number",
    "payment_terms",
    "transport_mode",
    "use_mode",
    "valid_from",
    "valid_until",
    "year",
    "qualification_class",
)
LICENCE_REQUIRED = (
    "brand",
    "destination",
    "customs_port",
    "trade_mode",
    "contract_number",
    "transport_mode",
    "valid_from",
    "valid_until",
)
QUALIFICATION_REQUIRED = ("year", "qualification_class")
REQUIRED_DOCUMENTS = {
    Case.Kind.LICENCE: (Document.DocType.CONTRACT,),
    Case.Kind.EXCHANGE: (Document.DocType.CONTRACT,),
    Case.Kind.QUALIFICATION: (Document.DocType.BUSINESS_LICENCE,),
    Case.Kind.USED_LICENCE: (Document.DocType.CONTRACT,),
}


def validity_period_problems(valid_from: date | None, valid_until: date | None) -> list[str]:
    """The 6-month / 31-December rule on the requested dates themselves."""
    if valid_from is None or valid_until is None:
        return []
    if valid_until < valid_from:
        return [_("The validity must end on or after the day it starts.")]
    if valid_until > date(valid_from.year, 12, 31):
        return [_("A licence is never valid past 31 December of its year.")]
    if valid_until > latest_valid_until(valid_from):
        return [_("A licence is valid for at most six months.")]
    return []


def line_problems(case: Case, lines: list[CaseLine]) -> list[str]:
    """Say what is wrong with goods lines: brand, powertrain, quantities and prices."""
    problems = []
    for number, line in enumerate(lines, start=1):
        try:
            line.full_clean(exclude=["case"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                problems.append(f"{number}: {field}: {' '.join(messages)}")
            continue
        model: VehicleModel = line.vehicle_model
        if case.brand_id and model.brand_id != case.brand_id:
            problems.append(
                _("%(n)d: %(model)s is not a model of the case's brand.")
                % {"n": number, "model": model}
            )
        if model.powertrain != VehicleModel.Powertrain.BEV:
            problems.append(
                _("%(n)d: %(model)s is not battery-electric.") % {"n": number, "model": model}
            )
    return problems


def validate_case(case: Case, lines: list[CaseLine]) -> None:
    """Raise field errors for anything invalid in the case and its lines; save nothing."""
    errors: dict[str, Any] = {}
    try:
        case.full_clean(exclude=["reference", "applicant", "created_by"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if case.kind == Case.Kind.QUALIFICATION:
        stray = [
            f for f in ("brand", "destination", "valid_from", "valid_until") if getattr(case, f)
        ]
        errors.update({f: [_("Not part of a qualification application.")] for f in stray})
        if lines:
            errors["lines"] = [_("A qualification application has no goods lines.")]
    else:
        if problems := validity_period_problems(case.valid_from, case.valid_until):
            errors.setdefault("valid_until", []).extend(problems)
        if case.is_used:
            errors.update(_used_case_problems(case, lines))
        elif not lines:
            errors["lines"] = [_("Add at least one goods line.")]
        elif problems := line_problems(case, lines):
            errors["lines"] = problems
    if errors:
        raise ValidationError(errors)


def _used_case_problems(case: Case, lines: list[CaseLine]) -> dict[str, list[str]]:
    """A used-vehicle case names no brand and has no goods lines: its schedule lists both."""
    problems = {}
    if case.brand_id:
        problems["brand"] = [_("A used-vehicle case names each vehicle's model, not one brand.")]
    if lines:
        problems["lines"] = [_("A used-vehicle case lists its vehicles, not goods lines.")]
    return problems


def _required_fields(case: Case) -> tuple[str, ...]:
    if case.kind == Case.Kind.QUALIFICATION:
        return QUALIFICATION_REQUIRED
    if case.is_used:
        return tuple(f for f in LICENCE_REQUIRED if f != "brand")
    return LICENCE_REQUIRED


def completeness_problems(case: Case) -> dict[str, list[str]]:
    """Say which required details and documents a case still lacks before submission."""
    problems = {
        f: [_("Required before submission.")]
        for f in _required_fields(case)
        if not getattr(case, f)
    }
    if case.is_used:
        problems.update(schedule_completeness_problems(case))
    elif (
        case.kind != Case.Kind.QUALIFICATION
        and not case.lines.exists()
        and not exchanges_a_schedule(case)
    ):
        problems["lines"] = [_("Add at least one goods line.")]
    present = set(case.documents.values_list("doc_type", flat=True))
    missing = [d for d in REQUIRED_DOCUMENTS[case.kind] if d not in present]
    if missing:
        labels = ", ".join(str(Document.DocType(d).label) for d in missing)
        problems["documents"] = [_("Upload: %(labels)s.") % {"labels": labels}]
    return problems
