from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales import sweeps
from notifications.discovery import discover_sweeps
from notifications.models import Notification
from registry.models import Country, UserProfile
from tests.aftersales.factories import (
    ServiceOutletFactory,
    SparePartsCommitmentFactory,
    WarrantyCommitmentFactory,
)
from tests.registry.factories import BrandFactory, CountryFactory, MembershipFactory

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


def notices_by_language(kind_prefix):
    notices = Notification.objects.filter(kind__startswith=kind_prefix)
    return {n.language: n for n in notices}


def test_an_english_and_a_chinese_member_read_the_countrys_name_in_their_language(
    maker, manufacturer, brand
):
    chinese = MembershipFactory(enterprise=manufacturer, role="applicant").user
    UserProfile.objects.create(user=chinese, language="zh-hans")
    commitment = warranty_ending(manufacturer, brand, 60, country=CountryFactory(code="DE"))
    assert sweeps.warranty_commitments_expiring(AS_OF) == 2
    read = notices_by_language("aftersales.warranty_commitment")
    day = commitment.valid_until.isoformat()
    assert read["en"].recipient == maker
    assert read["en"].subject == f"The {brand.name} warranty commitment in Germany ends on {day}"
    assert read["en"].body.startswith(f"Your {brand.name} warranty commitment in Germany ends")
    assert read["zh-hans"].recipient == chinese
    assert read["zh-hans"].subject == f"{brand.name} 在 德国 的质保承诺将于 {day} 到期"
    assert "DE" not in read["zh-hans"].body and "德国" in read["zh-hans"].body


def test_an_outlet_contract_names_its_city_and_country_in_the_readers_language(
    maker, manufacturer, brand
):
    UserProfile.objects.create(user=maker, language="zh-hans")
    outlet = ServiceOutletFactory(
        enterprise=manufacturer,
        brand=brand,
        country=CountryFactory(code="TH"),
        city="Bangkok",
        contract_valid_until=AS_OF + timedelta(days=10),
    )
    assert sweeps.outlet_contracts_expiring(AS_OF) == 1
    notice = Notification.objects.get()
    assert notice.subject == (
        f"服务网点 {outlet.operator_name}（Bangkok，泰国）的合同将于 "
        f"{outlet.contract_valid_until.isoformat()} 到期"
    )


def test_a_country_code_without_a_known_name_reads_as_the_code(maker, manufacturer, brand):
    # Registered before django-countries named it, or under a code it has since dropped.
    unnamed = Country.objects.create(code="XX")
    warranty_ending(manufacturer, brand, 30, country=unnamed)
    assert sweeps.warranty_commitments_expiring(AS_OF) == 1
    assert " in XX ends on " in Notification.objects.get().subject


def sweep_queries():
    with CaptureQueriesContext(connection) as captured:
        sweeps.warranty_commitments_expiring(AS_OF)
    return len(captured.captured_queries)


def test_naming_the_countries_costs_no_query_per_country(maker, manufacturer, brand):
    warranty_ending(manufacturer, brand, 30)
    one_country = sweep_queries()
    for code in ("DE", "TH", "BR", "AU"):
        other = BrandFactory(manufacturer=manufacturer)
        warranty_ending(manufacturer, other, 30, country=CountryFactory(code=code))
    Notification.objects.all().delete()
    assert sweep_queries() == one_country
    subjects = Notification.objects.values_list("subject", flat=True)
    assert {subject.split(" in ")[1].split(" ends")[0] for subject in subjects} == {
        "France",
        "Germany",
        "Thailand",
        "Brazil",
        "Australia",
    }
