"""Used-vehicle cases decided, licensed and declared: letters re-checked, vehicles registered."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.models import ConfirmationLetter, ExportedVehicle, Obligation
from aftersales.services.fleet import warranty_end
from licensing.models import Case, Declaration, Licence, ScheduledVehicle
from licensing.services import workflow
from licensing.services.declarations import DeclaredLine, declaration_record
from licensing.services.workflow import EligibilityNotMet
from registry.models import WorldManufacturerIdentifier
from tests.licensing.factories import case_in_status
from tests.licensing.licence_factories import fresh_declaration_number
from tests.licensing.used_factories import letter_for, used_case, used_world, vin_for
from tests.registry.factories import BrandFactory, EnterpriseFactory, VehicleModelFactory

pytestmark = pytest.mark.django_db


def _drive(world, case, status, caseworker, officer):  # type: ignore[no-untyped-def]
    return case_in_status(
        status,
        applicant_user=world.exporter_user,
        caseworker=caseworker,
        officer=officer,
        case=case,
    )


def test_a_recent_vehicle_with_its_letter_is_approved_and_licensed(
    frozen_today, caseworker, officer
):
    world = used_world()
    case = used_case(world, frozen_today)
    case.vehicles.update(first_registered_on=frozen_today - timedelta(days=40))
    letter_for(world, case.vehicles.get())
    case = _drive(world, case, "approved", caseworker, officer)
    assert case.status == Case.Status.APPROVED
    assert Licence.objects.get(case=case).brand == world.brand


def test_a_letter_revoked_before_the_decision_blocks_approval(frozen_today, caseworker, officer):
    world = used_world()
    case = used_case(world, frozen_today)
    case.vehicles.update(first_registered_on=frozen_today - timedelta(days=40))
    row = case.vehicles.get()
    letter = letter_for(world, row)
    case = _drive(world, case, "recommended", caseworker, officer)
    ConfirmationLetter.objects.filter(pk=letter.pk).update(
        status="revoked", revocation_reason="Sold to a dealer abroad"
    )
    with pytest.raises(EligibilityNotMet):
        workflow.case_decide(actor=officer, case=case, outcome="approve", reasons="Fine")
    case.refresh_from_db()
    assert case.status == Case.Status.RECOMMENDED and not Licence.objects.exists()
    check = case.eligibility_checks.get(code="confirmation_letters")
    assert not check.passed
    assert f"{row.vin}: letter revoked" in check.detail and "Sold to a dealer" in check.detail


def test_the_letter_check_cannot_be_overridden(frozen_today, caseworker):
    world = used_world()
    case = used_case(world, frozen_today)
    case.vehicles.update(first_registered_on=frozen_today - timedelta(days=40))
    workflow.case_submit(actor=world.exporter_user, case=case)
    case = workflow.case_assign(actor=caseworker, case=case)
    with pytest.raises(ValidationError) as caught:
        workflow.eligibility_override(
            actor=caseworker, case=case, code="confirmation_letters", reason="Seen on paper"
        )
    assert "no exception" in caught.value.message_dict["code"][0]
    assert not case.eligibility_checks.get(code="confirmation_letters").overridden


def _mixed_case(world, today):  # type: ignore[no-untyped-def]
    """Three vehicles of the world's model and one of another maker's brand, all old."""
    case = used_case(world, today, rows=3)
    prices = [Decimal("10000.00"), Decimal("10000.00"), Decimal("10001.00")]
    for row, price in zip(case.vehicles.all(), prices, strict=True):
        row.unit_price_usd = price
        row.save()
    other_maker = EnterpriseFactory()
    WorldManufacturerIdentifier.objects.create(code="LGW", manufacturer=other_maker)
    other_model = VehicleModelFactory(brand=BrandFactory(manufacturer=other_maker))
    ScheduledVehicle.objects.create(
        case=case,
        vin=vin_for("LGW"),
        vehicle_model=other_model,
        first_registered_on=today - timedelta(days=400),
        transferred_on=today - timedelta(days=3),
        unit_price_usd=Decimal("20000.00"),
    )
    return case, other_model


def test_the_licence_groups_the_schedule_by_model_with_the_mean_price(
    frozen_today, caseworker, officer
):
    world = used_world()
    case, other_model = _mixed_case(world, frozen_today)
    case = _drive(world, case, "approved", caseworker, officer)
    licence = Licence.objects.get(case=case)
    lines = {line.vehicle_model_id: line for line in licence.lines.all()}
    assert lines[world.model.pk].licensed_quantity == 3
    assert lines[world.model.pk].unit_price_usd == Decimal("10000.33")
    assert lines[other_model.pk].licensed_quantity == 1
    assert lines[other_model.pk].unit_price_usd == Decimal("20000.00")
    # A mixed schedule: the licence's brand is the one most of its vehicles carry.
    assert licence.brand == world.brand and licence.holder == world.exporter


def _approved_licence(world, today, caseworker, officer):  # type: ignore[no-untyped-def]
    case, other_model = _mixed_case(world, today)
    case = _drive(world, case, "approved", caseworker, officer)
    return Licence.objects.get(case=case), case, other_model


def _declare(world, licence, lines):  # type: ignore[no-untyped-def]
    return declaration_record(
        licence=licence,
        actor=world.exporter_user,
        number=fresh_declaration_number(),
        declared_on=licence.valid_from,
        lines=lines,
    )


def test_declared_used_vehicles_enter_the_register_under_their_brands_manufacturer(
    frozen_today, caseworker, officer
):
    world = used_world()
    licence, case, other_model = _approved_licence(world, frozen_today, caseworker, officer)
    rows = {row.vin: row for row in case.vehicles.all()}
    mine = [vin for vin, row in rows.items() if row.vehicle_model_id == world.model.pk]
    other = [vin for vin, row in rows.items() if row.vehicle_model_id == other_model.pk]
    _declare(
        world,
        licence,
        [DeclaredLine(world.model.pk, 3, mine), DeclaredLine(other_model.pk, 1, other)],
    )
    for vin, row in rows.items():
        vehicle = ExportedVehicle.objects.get(vin=vin)
        assert vehicle.is_used and vehicle.registered_in_china_on == row.first_registered_on
        assert vehicle.enterprise_id == row.vehicle_model.brand.manufacturer_id
        assert vehicle.brand_id == row.vehicle_model.brand_id
        assert vehicle.warranty_ends_on == warranty_end(
            row.first_registered_on, vehicle.warranty_months
        )
    assert Obligation.objects.filter(
        enterprise=world.maker, brand=world.brand, country=world.destination
    ).exists()
    assert Obligation.objects.filter(enterprise=other_model.brand.manufacturer).exists()
    assert not Obligation.objects.filter(enterprise=world.exporter).exists()


def test_a_declared_vin_off_the_schedule_is_an_error_on_that_vin_and_nothing_is_taken(
    frozen_today, caseworker, officer
):
    world = used_world()
    licence, case, _other = _approved_licence(world, frozen_today, caseworker, officer)
    on_schedule = list(
        case.vehicles.filter(vehicle_model=world.model).values_list("vin", flat=True)[:1]
    )
    stranger = vin_for("LSV")
    with pytest.raises(ValidationError) as caught:
        _declare(world, licence, [DeclaredLine(world.model.pk, 2, [*on_schedule, stranger])])
    errors = caught.value.error_dict["lines"]
    assert [e.params["vin"] for e in errors] == [stranger]
    assert "not on the licence's schedule" in errors[0].messages[0]
    assert not Declaration.objects.exists() and not ExportedVehicle.objects.exists()
    assert sum(line.remaining for line in licence.lines.all()) == 4


def test_a_declared_vin_on_the_schedule_as_another_model_is_refused(
    frozen_today, caseworker, officer
):
    world = used_world()
    licence, case, other_model = _approved_licence(world, frozen_today, caseworker, officer)
    other_vin = case.vehicles.get(vehicle_model=other_model).vin
    with pytest.raises(ValidationError) as caught:
        _declare(world, licence, [DeclaredLine(world.model.pk, 1, [other_vin])])
    assert "as another model" in caught.value.error_dict["lines"][0].messages[0]


def test_declaring_more_used_vehicles_takes_no_more_queries(frozen_today, caseworker, officer):
    world = used_world()
    counts = []
    # The first declaration opens the maker's obligation; the next two only update it.
    for size in (1, 2, 8):
        case = used_case(world, frozen_today, rows=size, contract_number=f"UV-{size}")
        case = _drive(world, case, "approved", caseworker, officer)
        licence = Licence.objects.get(case=case)
        vins = list(case.vehicles.values_list("vin", flat=True))
        with CaptureQueriesContext(connection) as queries:
            _declare(world, licence, [DeclaredLine(world.model.pk, size, vins)])
        counts.append(len(queries))
    assert counts[1] == counts[2]


def test_the_certificate_lists_every_scheduled_vehicle_on_its_schedule_page(
    frozen_today, caseworker, officer
):
    import io

    from pypdf import PdfReader

    from licensing.services.certificate import licence_certificate_pdf

    world = used_world()
    licence, case, _other = _approved_licence(world, frozen_today, caseworker, officer)
    pages = PdfReader(io.BytesIO(licence_certificate_pdf(licence))).pages
    assert len(pages) == 2
    schedule = pages[1].extract_text()
    assert "附表" in schedule
    for row in case.vehicles.all():
        assert row.vin in schedule and f"{row.first_registered_on:%Y-%m-%d}" in schedule
    assert "Used vehicles: 4" in pages[0].extract_text()


def test_a_new_vehicle_certificate_has_no_schedule_page(db):
    import io

    from pypdf import PdfReader

    from licensing.services.certificate import licence_certificate_pdf
    from tests.licensing.licence_factories import issue_licence

    assert len(PdfReader(io.BytesIO(licence_certificate_pdf(issue_licence()))).pages) == 1
