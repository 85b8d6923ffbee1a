from datetime import date, timedelta

import pytest

from aftersales import sweeps
from notifications.discovery import discover_sweeps
from notifications.models import Notification
from tests.aftersales.factories import (
    ServiceOutletFactory,
    SparePartsCommitmentFactory,
    WarrantyCommitmentFactory,
)
from tests.registry.factories import BrandFactory, MembershipFactory

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 6, 1)


@pytest.fixture
def brand(manufacturer):
    return BrandFactory(manufacturer=manufacturer)


def warranty_ending(manufacturer, brand, days, **kwargs):
    return WarrantyCommitmentFactory(
        enterprise=manufacturer, brand=brand, valid_until=AS_OF + timedelta(days=days), **kwargs
    )


def test_members_who_can_act_are_reminded_once_of_an_ending_warranty(maker, manufacturer, brand):
    applicant = MembershipFactory(enterprise=manufacturer, role="applicant").user
    MembershipFactory(enterprise=manufacturer, role="viewer")
    commitment = warranty_ending(manufacturer, brand, 60)
    assert sweeps.warranty_commitments_expiring(AS_OF) == 2
    assert sweeps.warranty_commitments_expiring(AS_OF + timedelta(days=1)) == 0
    notices = Notification.objects.all()
    assert {n.recipient for n in notices} == {maker, applicant}
    assert {n.due_on for n in notices} == {commitment.valid_until}
    assert all(n.kind == "aftersales.warranty_commitment.ending.90d" for n in notices)


@pytest.mark.parametrize("days", [91, -1])
def test_a_warranty_ending_later_or_already_ended_is_not_reminded(maker, manufacturer, brand, days):
    warranty_ending(manufacturer, brand, days)
    assert sweeps.warranty_commitments_expiring(AS_OF) == 0


def test_a_warranty_ending_exactly_at_the_horizon_is_reminded(maker, manufacturer, brand):
    warranty_ending(manufacturer, brand, 90)
    assert sweeps.warranty_commitments_expiring(AS_OF) == 1


def test_a_withdrawn_or_renewed_warranty_is_not_reminded(maker, manufacturer, brand):
    warranty_ending(manufacturer, brand, 30, withdrawn_at="2026-05-01T00:00Z")
    ending = warranty_ending(manufacturer, brand, 45)
    WarrantyCommitmentFactory(
        enterprise=manufacturer,
        brand=brand,
        valid_from=ending.valid_until + timedelta(days=1),
        valid_until=date(2031, 1, 1),
    )
    assert sweeps.warranty_commitments_expiring(AS_OF) == 0


def test_spare_parts_and_outlet_contracts_are_reminded_too(maker, manufacturer, brand):
    end = AS_OF + timedelta(days=10)
    SparePartsCommitmentFactory(enterprise=manufacturer, brand=brand, valid_until=end)
    ServiceOutletFactory(enterprise=manufacturer, brand=brand, contract_valid_until=end)
    ServiceOutletFactory(
        enterprise=manufacturer,
        brand=brand,
        contract_valid_until=end,
        verification_status="pending",
    )
    assert sweeps.spare_parts_commitments_expiring(AS_OF) == 1
    assert sweeps.outlet_contracts_expiring(AS_OF) == 1


def test_send_reminders_finds_the_after_sales_sweeps():
    names = {name for name, _sweep in discover_sweeps()}
    assert {
        "aftersales.warranty_commitments_expiring",
        "aftersales.spare_parts_commitments_expiring",
        "aftersales.outlet_contracts_expiring",
    } <= names
