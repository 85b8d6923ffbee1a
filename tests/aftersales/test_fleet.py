"""The exported-vehicle register: fed by declarations, corrected by registration dates."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from aftersales.models import ExportedVehicle, Obligation
from aftersales.services import exported_vehicle_register_abroad, first_registrations_import
from aftersales.services.fleet import RegistrationImportRefused
from licensing.services.declarations import DeclaredLine, declaration_record
from tests.aftersales.factories import export_vehicles, serve_market
from tests.licensing.licence_factories import fresh_declaration_number, fresh_vin, issue_licence
from tests.registry.factories import EnterpriseFactory, MembershipFactory

TODAY = date(2026, 3, 4)
pytestmark = pytest.mark.django_db


@pytest.fixture
def travel():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


def test_a_declaration_registers_its_vehicles_and_moves_the_obligation(travel):
    licence = issue_licence(quantities=(5,), valid_from=TODAY)
    serve_market(
        enterprise=licence.holder, brand=licence.brand, country_code=licence.destination_id
    )
    applicant = MembershipFactory(enterprise=licence.holder, role="applicant").user
    model_id = licence.lines.get().vehicle_model_id
    vins = [fresh_vin(), fresh_vin()]
    declaration_record(
        licence=licence,
        actor=applicant,
        number=fresh_declaration_number(),
        declared_on=TODAY,
        lines=[DeclaredLine(model_id, 2, vins)],
    )
    vehicles = ExportedVehicle.objects.filter(vin__in=vins)
    assert {v.licence_number for v in vehicles} == {licence.number}
    assert {v.warranty_ends_on for v in vehicles} == {date(2028, 3, 3)}
    obligation = Obligation.objects.get(enterprise=licence.holder)
    assert (obligation.vehicles, obligation.status) == (2, Obligation.Status.COVERED)


def test_a_first_registration_abroad_moves_the_warranty_and_the_horizon(travel):
    maker = EnterpriseFactory(kind="manufacturer")
    serve_market(enterprise=maker)
    [vehicle] = export_vehicles(enterprise=maker, exported_on=date(2026, 1, 10))
    exported_vehicle_register_abroad(
        actor=None, vehicle=vehicle, first_registered_on=date(2026, 3, 1)
    )
    vehicle.refresh_from_db()
    assert vehicle.warranty_ends_on == date(2028, 2, 29)
    assert Obligation.objects.get(enterprise=maker).horizon == date(2028, 2, 29)


@pytest.mark.parametrize("day", [date(2026, 1, 9), date(2026, 3, 5), "2026-03-01"])
def test_a_registration_before_export_or_in_the_future_is_refused(travel, day):
    maker = EnterpriseFactory(kind="manufacturer")
    [vehicle] = export_vehicles(enterprise=maker, exported_on=date(2026, 1, 10))
    with pytest.raises(ValidationError) as refused:
        exported_vehicle_register_abroad(actor=None, vehicle=vehicle, first_registered_on=day)
    assert "first_registered_on" in refused.value.message_dict
    vehicle.refresh_from_db()
    assert vehicle.first_registered_on is None


def import_rows(enterprise, rows, import_valid_rows=False):  # type: ignore[no-untyped-def]
    numbered = [(n, vin, day) for n, (vin, day) in enumerate(rows, start=2)]
    return first_registrations_import(
        actor=None, enterprise_id=enterprise.pk, rows=numbered, import_valid_rows=import_valid_rows
    )


def test_an_import_with_a_bad_row_saves_nothing_and_reports_each_row(travel):
    maker = EnterpriseFactory(kind="manufacturer")
    rival = EnterpriseFactory(kind="manufacturer")
    good, early = export_vehicles(enterprise=maker, count=2, exported_on=date(2026, 1, 10))
    [theirs] = export_vehicles(enterprise=rival)
    rows = [
        (good.vin, "2026-02-01"),
        (early.vin, "2026-01-01"),
        (theirs.vin, "2026-03-04"),
        ("NOT-A-VIN", "2026-02-01"),
        (good.vin, "2026-02-02"),
        (fresh_vin(), "2026-02-30"),
    ]
    with pytest.raises(RegistrationImportRefused) as refused:
        import_rows(maker, rows)
    errors = {e["row"]: e["errors"] for e in refused.value.result.errors}
    assert sorted(errors) == [3, 4, 5, 6, 7]
    assert "first_registered_on" in errors[3]
    assert "vin" in errors[4] and "vin" in errors[5] and "vin" in errors[6]
    assert not ExportedVehicle.objects.filter(first_registered_on__isnull=False).exists()


def test_an_import_can_keep_the_good_rows_when_asked(travel):
    maker = EnterpriseFactory(kind="manufacturer")
    good, bad = export_vehicles(enterprise=maker, count=2, exported_on=date(2026, 1, 10))
    result = import_rows(
        maker, [(good.vin, "2026-02-01"), (bad.vin, "2027-01-01")], import_valid_rows=True
    )
    assert (result.updated, [e["row"] for e in result.errors]) == (1, [3])
    good.refresh_from_db()
    assert good.first_registered_on == date(2026, 2, 1)
