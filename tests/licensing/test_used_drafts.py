"""Used-vehicle drafts: the schedule is checked row by row and nothing is saved on an error."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from aftersales.models import ExportedVehicle
from audit.models import AuditEvent
from licensing.models import Case, ScheduledVehicle
from licensing.services import drafts, workflow
from licensing.services.schedule import validate_schedule
from registry.models import VehicleModel, WorldManufacturerIdentifier
from tests.aftersales.factories import ExportedVehicleFactory
from tests.licensing.used_factories import (
    ScheduledVehicleFactory,
    UsedCaseFactory,
    used_world,
    vehicle_values,
    vin_for,
)
from tests.registry.factories import EnterpriseFactory, VehicleModelFactory

pytestmark = pytest.mark.django_db


def _create(world, today, vehicles, **fields):  # type: ignore[no-untyped-def]
    values = {
        "destination": world.destination,
        "customs_port": "Shanghai Waigaoqiao",
        "trade_mode": Case.TradeMode.GENERAL,
        "transport_mode": Case.TransportMode.SEA,
        "contract_number": "UV-2026-01",
        "valid_from": today,
        "valid_until": today + timedelta(days=60),
        **fields,
    }
    return drafts.case_create(
        actor=world.exporter_user, kind=Case.Kind.USED_LICENCE, vehicles=vehicles, **values
    )


def _row_errors(error: ValidationError) -> dict[int, dict[str, list[str]]]:
    rows: dict[int, dict[str, list[str]]] = {}
    for item in error.error_dict["vehicles"]:
        params = item.params or {}
        rows.setdefault(params["row"], {}).setdefault(params["field"], []).append(
            str(params["problem"])
        )
    return rows


def test_an_exporter_that_is_no_manufacturer_opens_a_used_draft_with_its_schedule(frozen_today):
    world = used_world()
    rows = [vehicle_values(world, frozen_today) for _ in range(3)]
    case = _create(world, frozen_today, rows)
    assert case.reference.startswith("UL-2026-")
    assert case.brand_id is None and not case.lines.exists()
    assert sorted(case.vehicles.values_list("vin", flat=True)) == sorted(r["vin"] for r in rows)
    event = AuditEvent.objects.get(verb="licensing.case.created", target_id=str(case.pk))
    assert len(event.payload["new"]["vehicles"]) == 3


def test_a_vin_is_stored_in_capitals(frozen_today):
    world = used_world()
    row = vehicle_values(world, frozen_today)
    case = _create(world, frozen_today, [{**row, "vin": row["vin"].lower()}])
    assert case.vehicles.get().vin == row["vin"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"vin": "LSV123"}, "vin", "17 characters"),
        ({"first_registered_on": "later"}, "transferred_on", "before the first registration"),
        ({"transferred_on": "future"}, "transferred_on", "after the application date"),
        ({"first_registered_on": "future"}, "first_registered_on", "in the future"),
        ({"unit_price_usd": 0}, "unit_price_usd", "0.01"),
        ({"vehicle_model": None}, "vehicle_model", "Choose a vehicle model"),
    ],
)
def test_a_bad_row_is_a_field_error_on_that_row_and_nothing_is_saved(
    frozen_today, change, field, words
):
    world = used_world()
    good = vehicle_values(world, frozen_today)
    bad = vehicle_values(world, frozen_today)
    key, value = next(iter(change.items()))
    if value == "later":
        bad["first_registered_on"] = bad["transferred_on"] + timedelta(days=1)
    elif value == "future":
        bad[key] = frozen_today + timedelta(days=1)
    else:
        bad[key] = value
    with pytest.raises(ValidationError) as caught:
        _create(world, frozen_today, [good, bad])
    errors = _row_errors(caught.value)
    assert list(errors) == [1]
    assert any(words in message for message in errors[1][field])
    assert not Case.objects.exists() and not ScheduledVehicle.objects.exists()


def test_a_vin_of_another_manufacturer_is_refused_on_its_row(frozen_today):
    world = used_world()
    other = EnterpriseFactory(kind="manufacturer")
    WorldManufacturerIdentifier.objects.create(code="LGX", manufacturer=other)
    row = vehicle_values(world, frozen_today, vin=vin_for("LGX"))
    with pytest.raises(ValidationError) as caught:
        _create(world, frozen_today, [row])
    assert "not built by the manufacturer" in _row_errors(caught.value)[0]["vin"][0]
    assert not Case.objects.exists()


def test_a_model_that_is_not_battery_electric_is_refused(frozen_today):
    world = used_world()
    hybrid = VehicleModelFactory(brand=world.brand, powertrain=VehicleModel.Powertrain.PHEV)
    with pytest.raises(ValidationError) as caught:
        _create(world, frozen_today, [vehicle_values(world, frozen_today, vehicle_model=hybrid)])
    assert "battery-electric" in _row_errors(caught.value)[0]["vehicle_model"][0]


def test_the_same_vin_twice_in_a_case_is_refused_on_the_second_row(frozen_today):
    world = used_world()
    row = vehicle_values(world, frozen_today)
    with pytest.raises(ValidationError) as caught:
        _create(world, frozen_today, [row, dict(row)])
    errors = _row_errors(caught.value)
    assert list(errors) == [1]
    assert "already listed as vehicle 1" in errors[1]["vin"][0]
    assert not Case.objects.exists()


def test_a_vin_on_another_open_case_of_any_applicant_is_refused(frozen_today):
    world = used_world()
    row = vehicle_values(world, frozen_today)
    other_case = UsedCaseFactory(status=Case.Status.SUBMITTED)
    ScheduledVehicleFactory(vin=row["vin"], case=other_case, vehicle_model=world.model)
    with pytest.raises(ValidationError) as caught:
        _create(world, frozen_today, [row])
    assert "another open application" in _row_errors(caught.value)[0]["vin"][0]
    assert Case.objects.count() == 1


def test_a_vin_on_a_withdrawn_or_draft_case_does_not_block_a_new_draft(frozen_today):
    world = used_world()
    row = vehicle_values(world, frozen_today)
    for status in (Case.Status.WITHDRAWN, Case.Status.DRAFT):
        ScheduledVehicleFactory(
            vin=row["vin"], case=UsedCaseFactory(status=status), vehicle_model=world.model
        )
    assert _create(world, frozen_today, [row]).vehicles.count() == 1


def test_a_vin_already_in_the_exported_vehicle_register_is_refused(frozen_today):
    world = used_world()
    row = vehicle_values(world, frozen_today)
    ExportedVehicleFactory(vin=row["vin"])
    assert ExportedVehicle.objects.filter(vin=row["vin"]).exists()
    with pytest.raises(ValidationError) as caught:
        _create(world, frozen_today, [row])
    assert "already been exported" in _row_errors(caught.value)[0]["vin"][0]


def test_an_empty_schedule_or_goods_lines_or_a_brand_are_refused(frozen_today):
    world = used_world()
    with pytest.raises(ValidationError) as caught:
        _create(world, frozen_today, [])
    assert caught.value.message_dict["vehicles"] == ["Add at least one vehicle."]
    with pytest.raises(ValidationError) as caught:
        _create(world, frozen_today, [vehicle_values(world, frozen_today)], brand=world.brand)
    assert "brand" in caught.value.message_dict
    assert not Case.objects.exists()


def test_a_schedule_longer_than_the_limit_is_refused_whole(frozen_today, settings):
    settings.USED_VEHICLE_SCHEDULE_MAX = 2
    world = used_world()
    rows = [vehicle_values(world, frozen_today) for _ in range(3)]
    with pytest.raises(ValidationError) as caught:
        _create(world, frozen_today, rows)
    assert caught.value.message_dict["vehicles"] == ["A case lists at most 2 vehicles."]


def test_vehicles_on_a_new_vehicle_licence_case_are_refused(frozen_today):
    world = used_world()
    with pytest.raises(ValidationError) as caught:
        drafts.case_create(
            actor=world.exporter_user,
            kind=Case.Kind.LICENCE,
            vehicles=[vehicle_values(world, frozen_today)],
            brand=world.brand,
        )
    assert "vehicles" in caught.value.message_dict


def test_validating_500_rows_takes_a_fixed_number_of_queries(
    frozen_today, django_assert_max_num_queries
):
    world = used_world()
    case = UsedCaseFactory(applicant=world.exporter, destination=world.destination)
    rows = [ScheduledVehicle(case=case, **vehicle_values(world, frozen_today)) for _ in range(500)]
    with django_assert_max_num_queries(5):
        validate_schedule(case, rows)


def test_an_update_replaces_the_schedule_with_a_version_check_and_an_audit(frozen_today):
    world = used_world()
    case = _create(world, frozen_today, [vehicle_values(world, frozen_today)])
    new_rows = [vehicle_values(world, frozen_today) for _ in range(2)]
    updated = drafts.case_update(
        actor=world.exporter_user,
        case=case,
        data={"contract_number": "UV-2026-02"},
        vehicles=new_rows,
        expected_version=case.version,
    )
    assert updated.version == 2 and updated.contract_number == "UV-2026-02"
    assert set(updated.vehicles.values_list("vin", flat=True)) == {r["vin"] for r in new_rows}
    event = AuditEvent.objects.get(verb="licensing.case.updated", target_id=str(case.pk))
    assert "vehicles" in event.payload["changes"]


def test_a_bad_update_keeps_the_old_schedule(frozen_today):
    world = used_world()
    first = vehicle_values(world, frozen_today)
    case = _create(world, frozen_today, [first])
    bad = vehicle_values(world, frozen_today, transferred_on=frozen_today + timedelta(days=3))
    with pytest.raises(ValidationError):
        drafts.case_update(actor=world.exporter_user, case=case, data={}, vehicles=[bad])
    case.refresh_from_db()
    assert case.version == 1
    assert list(case.vehicles.values_list("vin", flat=True)) == [first["vin"]]


def test_an_update_without_vehicles_keeps_them_and_still_checks_them(frozen_today):
    world = used_world()
    case = _create(world, frozen_today, [vehicle_values(world, frozen_today)])
    updated = drafts.case_update(
        actor=world.exporter_user, case=case, data={"payment_terms": "L/C at sight"}
    )
    assert updated.vehicles.count() == 1 and updated.payment_terms == "L/C at sight"


def test_submission_rechecks_vins_taken_by_a_case_submitted_meanwhile(frozen_today):
    world = used_world()
    row = vehicle_values(world, frozen_today)
    first = _create(world, frozen_today, [row])
    second = _create(world, frozen_today, [dict(row)], contract_number="UV-2026-09")
    from tests.licensing.factories import add_document

    for case in (first, second):
        add_document(case, world.exporter_user)
    workflow.case_submit(actor=world.exporter_user, case=first)
    with pytest.raises(ValidationError) as caught:
        workflow.case_submit(actor=world.exporter_user, case=second)
    assert any("another open application" in m for m in caught.value.message_dict["vehicles"])
    second.refresh_from_db()
    assert second.status == Case.Status.DRAFT
