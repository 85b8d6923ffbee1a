from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales import demo
from aftersales.models import (
    ComplianceReport,
    ExportedVehicle,
    Obligation,
    ServiceOutlet,
    SparePartsCommitment,
    WarrantyCommitment,
)
from aftersales.selectors import outlet_coverage, spare_parts_coverage, warranty_coverage
from registry import demo as registry_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(monkeypatch):
    # The holiday calendar is the registry's business and slow to load; not needed here.
    monkeypatch.setattr(registry_demo.services, "calendar_sync_from_package", lambda **kw: 0)
    world = registry_demo.seed({})
    demo.seed(world)
    return world


def counts():
    return (
        ServiceOutlet.objects.count(),
        WarrantyCommitment.objects.count(),
        SparePartsCommitment.objects.count(),
    )


def test_seeding_twice_changes_nothing(world):
    before = counts()
    demo.seed(world)
    assert counts() == before


def test_jade_river_is_covered_in_fr_de_th_and_not_in_brazil(world):
    today = timezone.localdate()
    for who in ("jade", "jade_trading"):
        for code, covered in (("FR", True), ("DE", True), ("TH", True), ("BR", False)):
            args = {
                "enterprise": world["enterprises"][who],
                "brand": world["brands"]["jade"],
                "country_code": code,
            }
            end = today + timedelta(days=180)
            assert outlet_coverage(**args, on=today).ok is covered, (who, code)
            assert warranty_coverage(**args, start=today, end=end).ok is covered, (who, code)
            assert spare_parts_coverage(**args, on=today).ok is covered, (who, code)


def test_the_german_warranty_commitment_ends_eighteen_months_after_seeding(world):
    today = timezone.localdate()
    commitment = WarrantyCommitment.objects.get(country_id="DE")
    assert commitment.valid_until == demo.add_months(today, 18)
    far = warranty_coverage(
        enterprise=world["enterprises"]["jade"],
        brand=world["brands"]["jade"],
        country_code="DE",
        start=today,
        end=demo.add_months(today, 24),
    )
    assert not far.ok


def test_northwind_is_covered_in_its_own_markets(world):
    today = timezone.localdate()
    for code in ("AU", "GB"):
        assert outlet_coverage(
            enterprise=world["enterprises"]["northwind"],
            brand=world["brands"]["northwind"],
            country_code=code,
            on=today,
        ).ok


def test_one_outlet_waits_in_the_verification_queue(world):
    assert ServiceOutlet.objects.filter(verification_status="pending").count() == 1


def test_add_months_clamps_to_the_end_of_the_month():
    from datetime import date

    assert demo.add_months(date(2026, 8, 31), 18) == date(2028, 2, 29)
    assert demo.add_months(date(2026, 11, 28), 18) == date(2028, 5, 28)


def test_the_demo_shows_a_covered_french_market_and_a_submitted_report(world):
    demo.seed(world)
    assert ExportedVehicle.objects.filter(country_id="FR").count() == 3
    obligation = Obligation.objects.get(country_id="FR")
    assert (obligation.status, obligation.vehicles) == (Obligation.Status.COVERED, 3)
    report = ComplianceReport.objects.get()
    assert report.status == ComplianceReport.Status.SUBMITTED
