"""An exchange of a used-vehicle licence keeps the original schedule, however often exchanged."""

import importlib
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from aftersales.models import ExportedVehicle
from aftersales.services.fleet import warranty_end
from licensing import migrations
from licensing.models import Case, Declaration, Licence
from licensing.services.certificate import licence_certificate_pdf
from licensing.services.declarations import DeclaredLine, declaration_record
from licensing.services.screening import run_checks
from licensing.services.used_licences import licence_schedule
from licensing.services.validation import completeness_problems
from tests.licensing.factories import CaseFactory, add_document
from tests.licensing.licence_factories import fresh_declaration_number, issue_licence
from tests.licensing.used_factories import exchange_of, used_licence, used_world, vin_for

pytestmark = pytest.mark.django_db


def _declare(world, licence, vins, model=None):  # type: ignore[no-untyped-def]
    return declaration_record(
        licence=licence,
        actor=world.exporter_user,
        number=fresh_declaration_number(),
        declared_on=licence.valid_from,
        lines=[DeclaredLine((model or world.model).pk, len(vins), vins)],
    )


def _vins(licence):  # type: ignore[no-untyped-def]
    return list(licence.schedule_case.vehicles.values_list("vin", flat=True))


def test_an_exchange_carries_the_schedule_of_the_used_case_it_replaces(frozen_today):
    world = used_world()
    original = used_licence(world, frozen_today)
    new = exchange_of(original, frozen_today, customs_port="Ningbo")
    assert original.schedule_case_id == original.case_id
    assert new.schedule_case_id == original.case_id and new.case_id != original.case_id


def test_a_vehicle_declared_under_the_exchange_registers_as_a_used_vehicle(frozen_today):
    world = used_world()
    original = used_licence(world, frozen_today)
    first, second, third = _vins(original)
    _declare(world, original, [first])
    new = exchange_of(original, frozen_today)
    _declare(world, new, [second, third])
    for vin in (second, third):
        row = original.case.vehicles.get(vin=vin)
        vehicle = ExportedVehicle.objects.get(vin=vin)
        assert vehicle.is_used and vehicle.registered_in_china_on == row.first_registered_on
        assert vehicle.licence_number == new.number
        assert vehicle.enterprise_id == world.maker.pk and vehicle.brand_id == world.brand.pk
        assert vehicle.warranty_ends_on == warranty_end(
            row.first_registered_on, vehicle.warranty_months
        )
    assert sum(line.remaining for line in new.lines.all()) == 0


def test_an_exchange_of_an_exchange_still_declares_against_the_original_schedule(frozen_today):
    world = used_world()
    original = used_licence(world, frozen_today)
    third = exchange_of(exchange_of(original, frozen_today), frozen_today)
    assert third.replaces.replaces == original
    assert third.schedule_case_id == original.case_id
    vin = _vins(original)[0]
    _declare(world, third, [vin])
    assert ExportedVehicle.objects.get(vin=vin).registered_in_china_on is not None
    with pytest.raises(ValidationError) as caught:
        _declare(world, third, [vin_for("LSV")])
    assert "not on the licence's schedule" in caught.value.error_dict["lines"][0].messages[0]


def test_the_exchange_refuses_a_vin_off_the_schedule_and_takes_nothing(frozen_today):
    world = used_world()
    new = exchange_of(used_licence(world, frozen_today), frozen_today)
    stranger = vin_for("LSV")
    with pytest.raises(ValidationError) as caught:
        _declare(world, new, [_vins(new)[0], stranger])
    assert [e.params["vin"] for e in caught.value.error_dict["lines"]] == [stranger]
    assert not Declaration.objects.exists() and not ExportedVehicle.objects.exists()
    assert sum(line.remaining for line in new.lines.all()) == 3


def test_the_exchange_refuses_a_scheduled_vin_declared_as_another_model(frozen_today):
    from tests.registry.factories import VehicleModelFactory

    world = used_world()
    original = used_licence(world, frozen_today)
    other = VehicleModelFactory(brand=world.brand)
    original.lines.create(vehicle_model=other, licensed_quantity=1, remaining=1, unit_price_usd=1)
    new = exchange_of(original, frozen_today)
    with pytest.raises(ValidationError) as caught:
        _declare(world, new, [_vins(new)[0]], model=other)
    assert "as another model" in caught.value.error_dict["lines"][0].messages[0]


def test_the_exchange_refuses_a_vin_already_declared_under_the_licence_it_replaced(
    frozen_today,
):
    world = used_world()
    original = used_licence(world, frozen_today)
    declared = _vins(original)[0]
    _declare(world, original, [declared])
    new = exchange_of(original, frozen_today)
    with pytest.raises(ValidationError) as caught:
        _declare(world, new, [declared])
    assert caught.value.error_dict["lines"][0].params["vin"] == declared
    assert new.declarations.count() == 0
    assert sum(line.remaining for line in new.lines.all()) == 2


def test_the_exchange_is_issued_for_the_vehicles_still_to_export(frozen_today):
    world = used_world()
    original = used_licence(world, frozen_today)
    first, *rest = _vins(original)
    _declare(world, original, [first])
    new = exchange_of(original, frozen_today)
    assert sorted(row.vin for row in licence_schedule(new)) == sorted(rest)
    assert [row.vin for row in licence_schedule(original)] == _vins(original)
    # Later declarations under the exchange change neither licence's schedule.
    _declare(world, new, rest[:1])
    assert sorted(row.vin for row in licence_schedule(new)) == sorted(rest)
    assert len(licence_schedule(original)) == 3


def test_the_exchanges_certificate_lists_only_the_vehicles_still_to_export(frozen_today):
    world = used_world()
    original = used_licence(world, frozen_today)
    first, *rest = _vins(original)
    _declare(world, original, [first])
    pages = PdfReader(io.BytesIO(licence_certificate_pdf(exchange_of(original, frozen_today))))
    assert len(pages.pages) == 2
    schedule = pages.pages[1].extract_text()
    assert all(vin in schedule for vin in rest) and first not in schedule
    assert "Used vehicles: 2" in pages.pages[0].extract_text()


def test_an_exchange_of_a_new_vehicle_licence_carries_no_schedule(frozen_today):
    old = issue_licence(valid_from=frozen_today)
    new = exchange_of(old, frozen_today)
    assert new.schedule_case_id is None and not licence_schedule(new).exists()
    assert len(PdfReader(io.BytesIO(licence_certificate_pdf(new))).pages) == 1


def test_the_migration_gives_existing_exchanges_the_original_schedule(frozen_today):
    world = used_world()
    original = used_licence(world, frozen_today)
    third = exchange_of(exchange_of(original, frozen_today), frozen_today)
    plain = issue_licence(valid_from=frozen_today)
    Licence.objects.update(schedule_case=None)
    (path,) = Path(migrations.__path__[0]).glob("*_licence_schedule_case.py")
    migration = importlib.import_module(f"licensing.migrations.{path.stem}")
    migration.carry_schedules(apps, None)
    carried = dict(Licence.objects.values_list("pk", "schedule_case_id"))
    assert carried[original.pk] == carried[third.pk] == original.case_id
    assert carried[third.replaces_id] == original.case_id and carried[plain.pk] is None


def test_the_api_declares_under_the_exchange_against_the_original_schedule(frozen_today, api_as):
    world = used_world()
    new = exchange_of(used_licence(world, frozen_today), frozen_today)
    scheduled, stranger = _vins(new)[0], vin_for("LSV")
    url = f"/api/v1/licences/{new.pk}/declarations/"

    def post(vin):  # type: ignore[no-untyped-def]
        line = {"vehicle_model": world.model.pk, "quantity": 1, "vins": [vin]}
        body = {"number": fresh_declaration_number(), "declared_on": frozen_today.isoformat()}
        return api_as(world.exporter_user).post(url, {**body, "lines": [line]}, format="json")

    refused = post(stranger)
    assert refused.status_code == 400
    assert stranger in str(refused.json()) and "not on the licence's schedule" in str(
        refused.json()
    )
    recorded = post(scheduled)
    assert recorded.status_code == 201, recorded.json()
    assert ExportedVehicle.objects.get(vin=scheduled).is_used


def _exchange_draft(world, licence, today):  # type: ignore[no-untyped-def]
    """The holder's draft exchanging the licence, complete but for goods lines."""
    case = CaseFactory(
        kind=Case.Kind.EXCHANGE,
        status=Case.Status.DRAFT,
        applicant=licence.holder,
        brand=licence.brand,
        destination=licence.destination,
        licence_to_exchange=licence,
        use_mode=licence.use_mode,
        valid_from=today,
        valid_until=today + timedelta(days=90),
    )
    add_document(case, world.exporter_user)
    return case


def test_an_exchange_of_a_used_licence_is_screened_as_a_used_application(frozen_today):
    world = used_world()  # its exporter trades used cars: no maker's authorisation
    case = _exchange_draft(world, used_licence(world, frozen_today), frozen_today)

    results = run_checks(case, frozen_today)

    codes = [code for code, _passed, _detail in results]
    assert codes == ["qualification", "negative_list", "validity", "destination"]
    assert all(passed for _code, passed, _detail in results), results


def test_an_exchange_of_a_used_licence_needs_no_goods_lines_and_a_new_one_still_does(
    frozen_today,
):
    world = used_world()
    used = _exchange_draft(world, used_licence(world, frozen_today), frozen_today)
    assert "lines" not in completeness_problems(used)

    new = _exchange_draft(world, issue_licence(quantities=(5,)), frozen_today)
    assert completeness_problems(new)["lines"] == ["Add at least one goods line."]
