"""Eligibility screening (DESIGN.md §5): a checklist stored per case, re-run at decision.

Each check is a small function of the case returning (code, passed, detail). Overrides
survive a re-run only for checks that still fail; a check that newly fails is not overridden.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from licensing.models import Case, EligibilityCheck
from licensing.services.used_licences import exchanges_a_schedule
from licensing.services.used_screening import (
    check_confirmation_letters,
    check_schedule,
    check_vehicles_free,
)
from licensing.services.validation import validity_period_problems
from registry.models import Authorisation, Enterprise, Qualification, VehicleModel
from registry.validators import validate_country_code

Result = tuple[str, bool, str]
Check = Callable[[Case, date], Result]


def _licence_start(case: Case, today: date) -> date:
    return case.valid_from or today


def check_qualification(case: Case, today: date) -> Result:
    """The applicant holds a granted qualification for the licence's year."""
    year = _licence_start(case, today).year
    ok = Qualification.objects.granted_for(case.applicant_id, year).exists()
    detail = "" if ok else _("No granted export qualification for %(year)s.") % {"year": year}
    return "qualification", ok, detail


def check_authorisation(case: Case, today: date) -> Result:
    """The applicant is the brand's manufacturer or holds a current authorisation for it."""
    if case.brand is None:
        return "authorisation", False, _("No brand given.")
    if case.brand.manufacturer_id == case.applicant_id:
        return "authorisation", True, _("Applicant is the brand's manufacturer.")
    ok = (
        Authorisation.objects.current(on=today)
        .filter(exporter_id=case.applicant_id, brands=case.brand)
        .exists()
    )
    detail = (
        _("Authorised by the manufacturer.")
        if ok
        else _("No current, unrevoked authorisation from %(maker)s for %(brand)s.")
        % {"maker": case.brand.manufacturer, "brand": case.brand}
    )
    return "authorisation", ok, detail


def check_models_bev(case: Case, today: date) -> Result:
    """Every line is a battery-electric model of the case's brand with a valid HS code."""
    problems = []
    lines = list(case.lines.select_related("vehicle_model__brand"))
    for line in lines:
        model: VehicleModel = line.vehicle_model
        if model.brand_id != case.brand_id:
            problems.append(_("%(model)s is not of the case's brand.") % {"model": model})
        if model.powertrain != VehicleModel.Powertrain.BEV:
            problems.append(_("%(model)s is not battery-electric.") % {"model": model})
        if not (len(model.hs_code) == 10 and model.hs_code.isdigit()):
            problems.append(_("%(model)s has no valid HS code.") % {"model": model})
    if not lines:
        problems.append(_("No goods lines."))
    return "models_bev", not problems, " ".join(problems)


def _coverage(name: str, case: Case, today: date) -> Result:
    from aftersales import selectors

    if case.brand is None or case.destination_id is None:
        return name, False, _("Brand and destination are needed.")
    start = _licence_start(case, today)
    where = {"enterprise": case.applicant, "brand": case.brand, "country_code": case.destination_id}
    if name == "warranty":
        result = selectors.warranty_coverage(**where, start=start, end=case.valid_until or start)
    elif name == "outlets":
        result = selectors.outlet_coverage(**where, on=start)
    else:
        result = selectors.spare_parts_coverage(**where, on=start)
    return name, bool(result.ok), str(result.detail)


def check_outlets(case: Case, today: date) -> Result:
    """The destination has enough verified outlets with valid contracts for the brand."""
    return _coverage("outlets", case, today)


def check_warranty(case: Case, today: date) -> Result:
    """A warranty commitment meets the statutory minimum and covers the licence period."""
    return _coverage("warranty", case, today)


def check_spare_parts(case: Case, today: date) -> Result:
    """A spare-parts commitment for the brand and destination is in force."""
    return _coverage("spare_parts", case, today)


def check_negative_list(case: Case, today: date) -> Result:
    """The applicant is not on the negative list."""
    applicant: Enterprise = case.applicant
    if applicant.negative_listed:
        return "negative_list", False, applicant.negative_list_reason or _("On the negative list.")
    return "negative_list", True, ""


def check_validity(case: Case, today: date) -> Result:
    """Requested validity: ≤ 6 months, within its year, not over, next year only from 10 Dec."""
    start, end = case.valid_from, case.valid_until
    if start is None or end is None:
        return "validity", False, _("Requested validity dates are missing.")
    problems = validity_period_problems(start, end)
    if end < today:
        problems.append(_("The requested validity has already ended."))
    if start.year > today.year and not (
        start == date(today.year + 1, 1, 1) and (today.month, today.day) >= (12, 10)
    ):
        problems.append(
            _("Next year's licences are issued from 10 December, valid from 1 January.")
        )
    return "validity", not problems, " ".join(problems)


def check_destination(case: Case, today: date) -> Result:
    """The destination is one country, not a regional grouping."""
    if case.destination_id is None:
        return "destination", False, _("No destination given.")
    try:
        validate_country_code(case.destination_id)
    except Exception as error:  # noqa: BLE001 — any validator message is the detail
        return "destination", False, " ".join(getattr(error, "messages", [str(error)]))
    return "destination", True, ""


def check_catalogue_or_authorised(case: Case, today: date) -> Result:
    """A manufacturer listed in MIIT's catalogue, or an exporter a manufacturer authorises."""
    applicant: Enterprise = case.applicant
    if applicant.kind == Enterprise.Kind.MANUFACTURER:
        ok = bool(applicant.miit_catalogue_number)
        return "catalogue", ok, "" if ok else _("Not in MIIT's manufacturer catalogue.")
    ok = Authorisation.objects.current(on=today).filter(exporter=applicant).exists()
    return "catalogue", ok, "" if ok else _("No current authorisation from a manufacturer.")


def check_no_qualification_yet(case: Case, today: date) -> Result:
    """The applicant holds no qualification for the year yet."""
    year = case.year or today.year
    exists = Qualification.objects.filter(enterprise_id=case.applicant_id, year=year).exists()
    detail = _("Already has a qualification for %(year)s.") % {"year": year} if exists else ""
    return "no_existing_qualification", not exists, detail


LICENCE_CHECKS: tuple[Check, ...] = (
    check_qualification,
    check_authorisation,
    check_models_bev,
    check_outlets,
    check_warranty,
    check_spare_parts,
    check_negative_list,
    check_validity,
    check_destination,
)
QUALIFICATION_CHECKS: tuple[Check, ...] = (
    check_catalogue_or_authorised,
    check_negative_list,
    check_no_qualification_yet,
)

USED_LICENCE_CHECKS: tuple[Check, ...] = (
    check_qualification,
    check_negative_list,
    check_validity,
    check_destination,
    check_schedule,
    check_vehicles_free,
    check_confirmation_letters,
)
# An exchange of a used-vehicle licence: the exporter's standing and the new terms.
USED_EXCHANGE_CHECKS: tuple[Check, ...] = (
    check_qualification,
    check_negative_list,
    check_validity,
    check_destination,
)
# The law allows no exception: a failing check of these blocks approval, override or not
# (a car listed on another licence or already exported cannot leave again on this one).
MANDATORY_CHECKS = frozenset({"confirmation_letters", "vehicles_free"})


def checks_for(case: Case) -> tuple[Check, ...]:
    """The checklist that applies to the case's kind."""
    if case.kind == Case.Kind.QUALIFICATION:
        return QUALIFICATION_CHECKS
    if case.is_used:
        return USED_LICENCE_CHECKS
    return USED_EXCHANGE_CHECKS if exchanges_a_schedule(case) else LICENCE_CHECKS


def run_checks(case: Case, today: date | None = None) -> list[Result]:
    """Evaluate every check without storing anything."""
    day = today or timezone.localdate()
    return [check(case, day) for check in checks_for(case)]


def screen_case(*, case: Case, today: date | None = None) -> list[EligibilityCheck]:
    """Run the checklist and store it, keeping overrides of checks that still fail."""
    results = run_checks(case, today)
    now = timezone.now()
    with transaction.atomic():
        previous = {c.code: c for c in case.eligibility_checks.select_for_update()}
        case.eligibility_checks.exclude(code__in=[code for code, _, _ in results]).delete()
        stored = []
        for code, passed, detail in results:
            stored.append(_store(case, previous.get(code), code, passed, detail, now))
    return stored


def _store(
    case: Case, old: EligibilityCheck | None, code: str, passed: bool, detail: str, now: Any
) -> EligibilityCheck:
    keep = old is not None and old.overridden and not old.passed and not passed
    keep = keep and code not in MANDATORY_CHECKS
    row = old or EligibilityCheck(case=case, code=code)
    row.passed, row.detail, row.run_at = passed, detail[:4000], now
    if not keep:
        row.overridden, row.override_reason = False, ""
        row.overridden_by, row.overridden_at = None, None
    row.save()
    return row


def checklist(case: Case) -> dict[str, Any]:
    """The stored checklist as shown to caseworkers and API clients."""
    rows = list(case.eligibility_checks.all())
    return {
        "passed": bool(rows) and all(r.satisfied for r in rows),
        "checks": [
            {"code": r.code, "passed": r.passed, "detail": r.detail, "overridden": r.overridden}
            for r in rows
        ],
    }
