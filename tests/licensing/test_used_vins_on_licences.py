"""A VIN still to be exported under a used-vehicle licence in force blocks another application."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from licensing.models import Case, Licence, ScheduledVehicle
from licensing.services import screening, workflow
from licensing.services.declarations import DeclaredLine, declaration_record
from licensing.services.drafts import case_create
from licensing.services.schedule import validate_schedule
from licensing.services.used_licences import vins_still_to_export
from licensing.services.used_screening import check_schedule, check_vehicles_free
from licensing.services.workflow import EligibilityNotMet
from tests.licensing.factories import case_in_status
from tests.licensing.licence_factories import fresh_declaration_number
from tests.licensing.used_factories import (
    UsedCaseFactory,
    exchange_of,
    used_case,
    used_licence,
    used_world,
    vehicle_values,
)

pytestmark = pytest.mark.django_db
S = Licence.Status
ON_LICENCE = "The VIN is still to be exported under a licence in force."


def _vins(licence):  # type: ignore[no-untyped-def]
    return list(licence.schedule_case.vehicles.values_list("vin", flat=True))


def _problems(world, today, vins):  # type: ignore[no-untyped-def]
    """Each row's VIN problems when a new draft lists these VINs (nothing is saved)."""
    case = UsedCaseFactory(applicant=world.exporter, destination=world.destination)
    rows = [ScheduledVehicle(case=case, **vehicle_values(world, today, vin=v)) for v in vins]
    try:
        validate_schedule(case, rows)
    except ValidationError as error:
        found: dict[int, list[str]] = {}
        for item in error.error_dict["vehicles"]:
            found.setdefault(item.params["row"], []).append(str(item.params["problem"]))
        return found
    return {}


@pytest.mark.parametrize("status", S.values)
def test_only_a_licence_in_force_holds_its_vehicles_still_to_export(frozen_today, status):
    world = used_world()
    licence = used_licence(world, frozen_today, rows=1)
    Licence.objects.filter(pk=licence.pk).update(status=status)
    problems = _problems(world, frozen_today, _vins(licence))
    if status in (S.ACTIVE, S.SUSPENDED):
        assert problems == {0: [ON_LICENCE]}
    else:
        assert problems == {}


def test_a_draft_naming_a_licensed_vin_is_refused_on_that_row_and_nothing_is_saved(
    frozen_today,
):
    world = used_world()
    licensed = _vins(used_licence(world, frozen_today, rows=2))[1]
    rows = [vehicle_values(world, frozen_today), vehicle_values(world, frozen_today, vin=licensed)]
    with pytest.raises(ValidationError) as caught:
        case_create(
            actor=world.exporter_user,
            kind=Case.Kind.USED_LICENCE,
            vehicles=rows,
            destination=world.destination,
            contract_number="UV-2026-77",
        )
    errors = caught.value.error_dict["vehicles"]
    assert [(e.params["row"], e.params["field"]) for e in errors] == [(1, "vin")]
    assert errors[0].messages[0] == "Vehicle 2, VIN: " + ON_LICENCE
    assert Case.objects.filter(contract_number="UV-2026-77").count() == 0


def test_the_exchange_holds_what_the_licence_it_replaced_had_left(frozen_today):
    world = used_world()
    original = used_licence(world, frozen_today)
    new = exchange_of(original, frozen_today)
    vins = _vins(original)
    assert vins_still_to_export(vins) == set(vins)
    Licence.objects.filter(pk=new.pk).update(status=S.REVOKED)
    assert vins_still_to_export(vins) == set()


def test_a_declared_vin_is_exported_not_still_to_export(frozen_today):
    world = used_world()
    licence = used_licence(world, frozen_today, rows=2)
    declared, waiting = _vins(licence)
    declaration_record(
        licence=licence,
        actor=world.exporter_user,
        number=fresh_declaration_number(),
        declared_on=frozen_today,
        lines=[DeclaredLine(world.model.pk, 1, [declared])],
    )
    problems = _problems(world, frozen_today, [declared, waiting])
    assert problems == {0: ["The VIN has already been exported."], 1: [ON_LICENCE]}


def test_screening_names_a_vin_still_to_export_under_a_licence(frozen_today):
    world = used_world()
    licensed = _vins(used_licence(world, frozen_today, rows=1))[0]
    case = used_case(world, frozen_today)
    case.vehicles.update(vin=licensed)
    assert check_schedule(case, frozen_today)[1]
    code, passed, detail = check_vehicles_free(case, frozen_today)
    assert (code, passed) == ("vehicles_free", False)
    assert detail == (
        f"{licensed}: schedule inconsistent — still to be exported under a licence in force."
    )


def test_a_vin_licensed_after_the_recommendation_blocks_the_decision(
    frozen_today, caseworker, officer
):
    world = used_world()
    case = used_case(world, frozen_today)
    case = case_in_status(
        "recommended",
        applicant_user=world.exporter_user,
        caseworker=caseworker,
        officer=officer,
        case=case,
    )
    vin = case.vehicles.get().vin
    # Another case listing the VIN was decided in the meantime.
    other = used_licence(world, frozen_today, rows=1)
    other.schedule_case.vehicles.update(vin=vin)
    with pytest.raises(EligibilityNotMet):
        workflow.case_decide(actor=officer, case=case, outcome="approve", reasons="Fine")
    case.refresh_from_db()
    assert case.status == Case.Status.RECOMMENDED
    check = case.eligibility_checks.get(code="vehicles_free")
    assert not check.passed and f"{vin}: schedule inconsistent — still to be" in check.detail


@pytest.mark.parametrize("size", [10, 200])
def test_the_licence_check_is_one_query_for_the_whole_schedule(frozen_today, size):
    world = used_world()
    licensed = _vins(used_licence(world, frozen_today, rows=3))
    case = used_case(world, frozen_today, rows=0)
    vins = licensed + [vehicle_values(world, frozen_today)["vin"] for _ in range(size - 3)]
    rows = [ScheduledVehicle(case=case, **vehicle_values(world, frozen_today, vin=v)) for v in vins]
    with CaptureQueriesContext(connection) as drafted, pytest.raises(ValidationError) as caught:
        validate_schedule(case, rows)
    assert len(caught.value.error_dict["vehicles"]) == 3
    ScheduledVehicle.objects.bulk_create(rows)
    with CaptureQueriesContext(connection) as screened:
        _code, passed, detail = check_vehicles_free(case, frozen_today)
    assert not passed and all(vin in detail for vin in licensed)
    # Drafting: models, makers, other cases, licences, register. Screening reads the rows,
    # then other cases, licences and register.
    assert (len(drafted), len(screened)) == (5, 4)
    on_licences = [q["sql"] for q in [*drafted, *screened] if "licensing_licence" in q["sql"]]
    assert len(on_licences) == 2


def test_a_vin_still_to_export_elsewhere_cannot_be_overridden(frozen_today, caseworker):
    world = used_world()
    licensed = _vins(used_licence(world, frozen_today, rows=1))[0]
    case = used_case(world, frozen_today)
    workflow.case_submit(actor=world.exporter_user, case=case)
    case = workflow.case_assign(actor=caseworker, case=case)
    case.vehicles.update(vin=licensed)  # licensed elsewhere after the submission
    screening.screen_case(case=case)
    assert not case.eligibility_checks.get(code="vehicles_free").passed
    with pytest.raises(ValidationError) as caught:
        workflow.eligibility_override(
            actor=caseworker, case=case, code="vehicles_free", reason="The other licence lapses"
        )
    assert "no exception" in caught.value.message_dict["code"][0]
    assert not case.eligibility_checks.get(code="vehicles_free").overridden
