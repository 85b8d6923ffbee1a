"""Screening of used-vehicle cases: the schedule and the manufacturers' confirmation letters."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from aftersales.models import ConfirmationLetter, ServiceOutlet
from licensing.models import Case
from licensing.services.screening import run_checks
from licensing.services.used_screening import (
    check_confirmation_letters,
    check_schedule,
    check_vehicles_free,
)
from registry.models import Enterprise, VehicleModel, WorldManufacturerIdentifier
from tests.aftersales.factories import ExportedVehicleFactory, ServiceOutletFactory
from tests.licensing.used_factories import (
    ScheduledVehicleFactory,
    UsedCaseFactory,
    letter_for,
    used_case,
    used_world,
    vin_for,
)
from tests.registry.factories import BrandFactory, EnterpriseFactory, VehicleModelFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _recent_case(world, today):  # type: ignore[no-untyped-def]
    """A draft whose one vehicle was registered 30 days ago: it needs a letter."""
    case = used_case(world, today)
    case.vehicles.update(first_registered_on=today - timedelta(days=30))
    return case, case.vehicles.get()


def test_a_used_case_of_an_old_vehicle_passes_every_check_without_a_letter(frozen_today):
    world = used_world()
    results = run_checks(used_case(world, frozen_today), frozen_today)
    assert [code for code, _, _ in results] == [
        "qualification",
        "negative_list",
        "validity",
        "destination",
        "schedule",
        "vehicles_free",
        "confirmation_letters",
    ]
    assert all(passed for _, passed, _ in results), results


@pytest.mark.parametrize(("age", "needed"), [(179, True), (180, True), (181, False)])
def test_a_letter_is_needed_up_to_180_days_after_registration_and_not_after(age, needed):
    registered = date(2026, 1, 5)
    with time_machine.travel(datetime(2026, 1, 20, 10, tzinfo=SHANGHAI), tick=False):
        world = used_world()
        case = used_case(world, date(2026, 1, 20))
        case.vehicles.update(first_registered_on=registered, transferred_on=date(2026, 1, 10))
    day = registered + timedelta(days=age)
    with time_machine.travel(datetime.combine(day, datetime.min.time(), SHANGHAI), tick=False):
        code, passed, detail = check_confirmation_letters(case, timezone.localdate())
    assert passed is not needed
    if needed:
        assert "letter missing" in detail and case.vehicles.get().vin in detail
        assert f"{age} days" in detail


def test_the_180_days_count_to_the_submission_not_to_the_day_of_screening():
    registered = date(2026, 1, 5)
    with time_machine.travel(datetime(2026, 7, 4, 10, tzinfo=SHANGHAI), tick=False):
        world = used_world()
        case = used_case(world, date(2026, 7, 4))
        case.vehicles.update(first_registered_on=registered, transferred_on=date(2026, 1, 10))
        Case.objects.filter(pk=case.pk).update(submitted_at=timezone.now())
        case.refresh_from_db()
    with time_machine.travel(datetime(2026, 8, 20, 10, tzinfo=SHANGHAI), tick=False):
        assert check_confirmation_letters(case, timezone.localdate())[1] is False


def test_the_letter_period_is_a_setting(frozen_today, settings):
    world = used_world()
    case, _row = _recent_case(world, frozen_today)
    settings.USED_VEHICLE_LETTER_DAYS = 29
    assert check_confirmation_letters(case, frozen_today)[1] is True
    settings.USED_VEHICLE_LETTER_DAYS = 30
    assert check_confirmation_letters(case, frozen_today)[1] is False


def test_the_makers_letter_in_force_for_the_destination_clears_a_recent_vehicle(frozen_today):
    world = used_world()
    case, row = _recent_case(world, frozen_today)
    letter_for(world, row)
    code, passed, detail = check_confirmation_letters(case, frozen_today)
    assert (code, passed) == ("confirmation_letters", True)


def test_a_letter_for_another_destination_leaves_the_letter_missing(frozen_today):
    world = used_world()
    case, row = _recent_case(world, frozen_today)
    germany_outlet = ServiceOutletFactory(enterprise=world.maker, country__code="DE")
    letter_for(world, row, country=germany_outlet.country, outlet=germany_outlet)
    _code, passed, detail = check_confirmation_letters(case, frozen_today)
    assert not passed and f"{row.vin}: letter missing" in detail


@pytest.mark.parametrize("issuer_kind", ["sales_subsidiary", "dealer"])
def test_a_letter_from_anyone_but_the_brands_catalogue_maker_is_a_wrong_issuer(
    frozen_today, issuer_kind
):
    world = used_world()
    case, row = _recent_case(world, frozen_today)
    if issuer_kind == "sales_subsidiary":
        issuer = EnterpriseFactory(kind=Enterprise.Kind.MANUFACTURER, miit_catalogue_number="")
    else:
        issuer = EnterpriseFactory(kind=Enterprise.Kind.OTHER)
    letter_for(world, row, manufacturer=issuer)
    _code, passed, detail = check_confirmation_letters(case, frozen_today)
    assert not passed
    assert f"{row.vin}: wrong issuer" in detail and str(issuer) in detail


def test_a_brand_maker_missing_from_the_catalogue_cannot_confirm(frozen_today):
    world = used_world()
    case, row = _recent_case(world, frozen_today)
    Enterprise.objects.filter(pk=world.maker.pk).update(miit_catalogue_number="")
    letter_for(world, row)
    _code, passed, detail = check_confirmation_letters(case, frozen_today)
    assert not passed and "wrong issuer" in detail


def test_a_revoked_letter_fails_with_its_reason(frozen_today):
    world = used_world()
    case, row = _recent_case(world, frozen_today)
    letter = letter_for(world, row)
    ConfirmationLetter.objects.filter(pk=letter.pk).update(
        status="revoked", revocation_reason="Outlet closed its service bay"
    )
    _code, passed, detail = check_confirmation_letters(case, frozen_today)
    assert not passed
    assert f"{row.vin}: letter revoked" in detail
    assert letter.number in detail and "Outlet closed its service bay" in detail


def test_a_new_letter_in_force_after_a_revoked_one_clears_the_vehicle(frozen_today):
    world = used_world()
    case, row = _recent_case(world, frozen_today)
    old = letter_for(world, row)
    ConfirmationLetter.objects.filter(pk=old.pk).update(status="revoked", revocation_reason="x")
    letter_for(world, row)
    assert check_confirmation_letters(case, frozen_today)[1] is True


@pytest.mark.parametrize("status", [ServiceOutlet.Status.PENDING, ServiceOutlet.Status.REJECTED])
def test_a_letter_whose_outlet_is_no_longer_verified_fails(frozen_today, status):
    world = used_world()
    case, row = _recent_case(world, frozen_today)
    letter_for(world, row)
    ServiceOutlet.objects.filter(pk=world.outlet.pk).update(
        verification_status=status, rejection_reason="Closed"
    )
    _code, passed, detail = check_confirmation_letters(case, frozen_today)
    assert not passed and f"{row.vin}: outlet no longer verified" in detail


def test_a_letter_whose_outlet_contract_has_ended_fails(frozen_today):
    world = used_world()
    case, row = _recent_case(world, frozen_today)
    letter_for(world, row)
    ServiceOutlet.objects.filter(pk=world.outlet.pk).update(
        contract_valid_until=frozen_today - timedelta(days=1)
    )
    _code, passed, detail = check_confirmation_letters(case, frozen_today)
    assert not passed and "outlet contract not running" in detail


def test_each_failing_vehicle_is_named_and_old_ones_need_nothing(frozen_today):
    world = used_world()
    case = used_case(world, frozen_today, rows=3)
    recent = list(case.vehicles.all()[:2])
    for row in recent:
        row.first_registered_on = frozen_today - timedelta(days=10)
        row.save()
    letter_for(world, recent[0])
    _code, passed, detail = check_confirmation_letters(case, frozen_today)
    assert not passed
    assert recent[1].vin in detail and recent[0].vin not in detail


def test_screening_letters_takes_a_fixed_number_of_queries(
    frozen_today, django_assert_max_num_queries
):
    world = used_world()
    case = used_case(world, frozen_today, rows=30)
    case.vehicles.update(
        first_registered_on=frozen_today - timedelta(days=5),
        transferred_on=frozen_today - timedelta(days=2),
    )
    for row in case.vehicles.all():
        letter_for(world, row)
    with django_assert_max_num_queries(2):
        assert check_confirmation_letters(case, frozen_today)[1] is True


def _stored_row(world, **fields):  # type: ignore[no-untyped-def]
    case = UsedCaseFactory(applicant=world.exporter, destination=world.destination)
    fields.setdefault("vehicle_model", world.model)
    return case, ScheduledVehicleFactory(case=case, **fields)


def test_the_schedule_check_names_a_vin_built_by_another_maker(frozen_today):
    world = used_world()
    WorldManufacturerIdentifier.objects.create(code="LGX", manufacturer=EnterpriseFactory())
    case, row = _stored_row(world, vin=vin_for("LGX"))
    _code, passed, detail = check_schedule(case, frozen_today)
    assert not passed
    assert f"{row.vin}: schedule inconsistent" in detail and "not built by" in detail


def test_the_schedule_check_names_a_vin_of_no_known_maker(frozen_today):
    world = used_world()
    case, row = _stored_row(world, vin=vin_for("LZZ"))
    _code, passed, detail = check_schedule(case, frozen_today)
    assert not passed and "no manufacturer is registered" in detail


def test_the_schedule_check_names_a_transfer_after_the_application(frozen_today):
    world = used_world()
    case, row = _stored_row(world, transferred_on=frozen_today + timedelta(days=2))
    _code, passed, detail = check_schedule(case, frozen_today)
    assert not passed and "after the application date" in detail


def test_the_schedule_check_names_a_model_that_is_not_battery_electric(frozen_today):
    world = used_world()
    hybrid = VehicleModelFactory(brand=world.brand, powertrain=VehicleModel.Powertrain.EREV)
    _case, _row = _stored_row(world)
    case, row = _stored_row(world, vehicle_model=hybrid)
    _code, passed, detail = check_schedule(case, frozen_today)
    assert not passed and "not battery-electric" in detail


def test_the_vehicles_check_names_vins_on_other_open_cases_or_already_exported(frozen_today):
    world = used_world()
    case, row = _stored_row(world)
    other, _ = _stored_row(world, vin=row.vin)
    Case.objects.filter(pk=other.pk).update(status=Case.Status.UNDER_REVIEW)
    exported = ScheduledVehicleFactory(case=case, vehicle_model=world.model)
    ExportedVehicleFactory(vin=exported.vin)
    assert check_schedule(case, frozen_today)[1] is True  # the rows themselves are fine
    code, passed, detail = check_vehicles_free(case, frozen_today)
    assert (code, passed) == ("vehicles_free", False)
    assert f"{row.vin}: schedule inconsistent — also listed" in detail
    assert f"{exported.vin}: schedule inconsistent — already in the exported" in detail


def test_a_mixed_schedule_checks_each_vin_against_its_own_brands_maker(frozen_today):
    world = used_world()
    second_maker = EnterpriseFactory()
    WorldManufacturerIdentifier.objects.create(code="LGW", manufacturer=second_maker)
    second_model = VehicleModelFactory(brand=BrandFactory(manufacturer=second_maker))
    case, _row = _stored_row(world)
    ScheduledVehicleFactory(case=case, vin=vin_for("LGW"), vehicle_model=second_model)
    assert check_schedule(case, frozen_today)[1] is True
