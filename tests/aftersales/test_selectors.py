from datetime import date, timedelta

import pytest
from django.utils import translation

from aftersales.models import ServiceOutlet
from aftersales.selectors import (
    Coverage,
    coverage_table,
    outlet_coverage,
    spare_parts_coverage,
    warranty_coverage,
)
from tests.aftersales.factories import (
    ServiceOutletFactory,
    SparePartsCommitmentFactory,
    WarrantyCommitmentFactory,
)
from tests.registry.factories import (
    AuthorisationFactory,
    BrandFactory,
    CountryFactory,
    EnterpriseFactory,
)

pytestmark = pytest.mark.django_db
DAY = date(2026, 6, 15)


@pytest.fixture
def brand(manufacturer):
    return BrandFactory(manufacturer=manufacturer)


@pytest.fixture
def france():
    return CountryFactory(code="FR")


def outlets(manufacturer, brand, **kwargs):
    return outlet_coverage(enterprise=manufacturer, brand=brand, country_code="FR", on=DAY)


def test_default_factories_make_every_coverage_pass(manufacturer, brand, france):
    args = {"enterprise": manufacturer, "brand": brand, "country": france}
    ServiceOutletFactory(**args)
    WarrantyCommitmentFactory(**args)
    SparePartsCommitmentFactory(**args)
    common = {"enterprise": manufacturer, "brand": brand, "country_code": "FR"}
    assert outlet_coverage(**common, on=DAY).ok
    assert warranty_coverage(**common, start=DAY, end=DAY + timedelta(days=180)).ok
    assert spare_parts_coverage(**common, on=DAY).ok


def test_no_outlet_is_explained(manufacturer, brand, france):
    result = outlets(manufacturer, brand)
    assert result == Coverage(False, f"No service outlet serves {brand.name} in France.")


def test_the_explanation_names_the_country_in_the_readers_language(manufacturer, brand, france):
    WarrantyCommitmentFactory(
        enterprise=manufacturer, brand=brand, country=france, vehicle_warranty_months=12
    )
    common = {"enterprise": manufacturer, "brand": brand, "country_code": "FR"}
    with translation.override("zh-hans"):
        outlet = outlet_coverage(**common, on=DAY).detail
        warranty = warranty_coverage(**common, start=DAY, end=DAY + timedelta(days=30)).detail
        parts = spare_parts_coverage(**common, on=DAY).detail
    for detail in (outlet, warranty, parts):
        assert "法国" in detail and "FR" not in detail, detail


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "ok", "fragment"),
    [
        (date(2025, 1, 1), DAY - timedelta(days=1), False, f"expired on {DAY - timedelta(days=1)}"),
        (
            DAY + timedelta(days=1),
            date(2028, 1, 1),
            False,
            f"starts only on {DAY + timedelta(days=1)}",
        ),
        (date(2025, 1, 1), DAY, True, "1 verified outlet"),
        (DAY, date(2028, 1, 1), True, "1 verified outlet"),
    ],
    ids=["expired-yesterday", "starts-tomorrow", "ends-today", "starts-today"],
)
def test_outlet_contract_must_run_on_the_day(
    manufacturer, brand, france, valid_from, valid_until, ok, fragment
):
    ServiceOutletFactory(
        enterprise=manufacturer,
        brand=brand,
        country=france,
        contract_valid_from=valid_from,
        contract_valid_until=valid_until,
    )
    result = outlets(manufacturer, brand)
    assert result.ok is ok
    assert fragment in result.detail


def test_a_pending_outlet_does_not_count(manufacturer, brand, france):
    ServiceOutletFactory(
        enterprise=manufacturer, brand=brand, country=france, verification_status="pending"
    )
    result = outlets(manufacturer, brand)
    assert not result.ok and "not verified" in result.detail


def test_a_rejected_outlet_gives_its_reason(manufacturer, brand, france):
    ServiceOutletFactory(
        enterprise=manufacturer, brand=brand, country=france, verification_status="rejected"
    )
    result = outlets(manufacturer, brand)
    assert not result.ok and "Not found at the address" in result.detail


def test_a_withdrawn_outlet_does_not_count(manufacturer, brand, france):
    outlet = ServiceOutletFactory(enterprise=manufacturer, brand=brand, country=france)
    ServiceOutlet.objects.filter(pk=outlet.pk).update(withdrawn_at=outlet.verified_at)
    assert not outlets(manufacturer, brand).ok


def test_an_outlet_for_another_brand_or_country_does_not_count(manufacturer, brand, france):
    ServiceOutletFactory(enterprise=manufacturer, brand=BrandFactory(manufacturer=manufacturer))
    ServiceOutletFactory(enterprise=manufacturer, brand=brand, country=CountryFactory(code="DE"))
    assert not outlets(manufacturer, brand).ok


def test_the_country_minimum_number_of_outlets_applies(manufacturer, brand):
    CountryFactory(code="FR", minimum_outlets=2)
    ServiceOutletFactory(enterprise=manufacturer, brand=brand)
    result = outlets(manufacturer, brand)
    assert not result.ok and "Only 1 of the 2" in result.detail
    ServiceOutletFactory(enterprise=manufacturer, brand=brand)
    assert outlets(manufacturer, brand).ok


def test_another_enterprises_outlet_does_not_count(manufacturer, brand, france):
    ServiceOutletFactory(enterprise=EnterpriseFactory(), brand=brand, country=france)
    assert not outlets(manufacturer, brand).ok


def test_an_unregistered_country_is_not_covered(manufacturer, brand):
    result = outlet_coverage(enterprise=manufacturer, brand=brand, country_code="BR", on=DAY)
    assert not result.ok and "BR is not a registered" in result.detail


def test_an_authorised_exporter_is_served_by_its_manufacturers_records(manufacturer, brand, france):
    exporter = EnterpriseFactory(kind="authorised_exporter")
    AuthorisationFactory(manufacturer=manufacturer, exporter=exporter, brands=[brand])
    args = {"enterprise": manufacturer, "brand": brand, "country": france}
    ServiceOutletFactory(**args)
    WarrantyCommitmentFactory(**args)
    SparePartsCommitmentFactory(**args)
    common = {"enterprise": exporter, "brand": brand, "country_code": "FR"}
    assert outlet_coverage(**common, on=DAY).ok
    assert warranty_coverage(**common, start=DAY, end=DAY).ok
    assert spare_parts_coverage(**common, on=DAY).ok


def warranty(manufacturer, brand, start=DAY, end=DAY + timedelta(days=180)):
    return warranty_coverage(
        enterprise=manufacturer, brand=brand, country_code="FR", start=start, end=end
    )


def test_no_warranty_commitment_is_explained(manufacturer, brand, france):
    assert warranty(manufacturer, brand) == Coverage(
        False, f"No warranty commitment for {brand.name} in France."
    )


def test_a_warranty_below_the_statutory_minimum_fails(manufacturer, brand, france):
    WarrantyCommitmentFactory(
        enterprise=manufacturer, brand=brand, country=france, vehicle_warranty_months=12
    )
    assert warranty(manufacturer, brand) == Coverage(
        False, "Warranty 12 < 24 months required in France."
    )


def test_a_warranty_ending_one_day_before_the_licence_ends_fails(manufacturer, brand, france):
    end = DAY + timedelta(days=180)
    WarrantyCommitmentFactory(
        enterprise=manufacturer, brand=brand, country=france, valid_until=end - timedelta(days=1)
    )
    result = warranty(manufacturer, brand, end=end)
    assert not result.ok
    assert f"ends on {end - timedelta(days=1)}" in result.detail


def test_a_warranty_ending_on_the_licence_end_covers_it(manufacturer, brand, france):
    end = DAY + timedelta(days=180)
    WarrantyCommitmentFactory(enterprise=manufacturer, brand=brand, country=france, valid_until=end)
    assert warranty(manufacturer, brand, end=end).ok


def test_a_warranty_starting_after_the_licence_starts_fails(manufacturer, brand, france):
    WarrantyCommitmentFactory(
        enterprise=manufacturer, brand=brand, country=france, valid_from=DAY + timedelta(days=1)
    )
    result = warranty(manufacturer, brand)
    assert not result.ok and "in force on" in result.detail


def test_consecutive_warranty_commitments_cover_the_period_together(manufacturer, brand, france):
    args = {"enterprise": manufacturer, "brand": brand, "country": france}
    WarrantyCommitmentFactory(**args, valid_until=DAY + timedelta(days=30))
    WarrantyCommitmentFactory(**args, valid_from=DAY + timedelta(days=31))
    assert warranty(manufacturer, brand).ok


def test_a_withdrawn_warranty_commitment_does_not_count(manufacturer, brand, france):
    WarrantyCommitmentFactory(
        enterprise=manufacturer, brand=brand, country=france, withdrawn_at="2026-01-01T00:00Z"
    )
    assert not warranty(manufacturer, brand).ok


def parts(manufacturer, brand, on=DAY):
    return spare_parts_coverage(enterprise=manufacturer, brand=brand, country_code="FR", on=on)


def test_no_spare_parts_commitment_is_explained(manufacturer, brand, france):
    assert parts(manufacturer, brand) == Coverage(
        False, f"No spare-parts commitment for {brand.name} in France."
    )


def test_a_spare_parts_commitment_ended_yesterday_fails(manufacturer, brand, france):
    SparePartsCommitmentFactory(
        enterprise=manufacturer, brand=brand, country=france, valid_until=DAY - timedelta(days=1)
    )
    result = parts(manufacturer, brand)
    assert not result.ok and "ended on" in result.detail


def test_a_spare_parts_commitment_starting_tomorrow_fails(manufacturer, brand, france):
    SparePartsCommitmentFactory(
        enterprise=manufacturer, brand=brand, country=france, valid_from=DAY + timedelta(days=1)
    )
    result = parts(manufacturer, brand)
    assert not result.ok and "starts only on" in result.detail


def test_a_spare_parts_commitment_ending_today_counts(manufacturer, brand, france):
    SparePartsCommitmentFactory(
        enterprise=manufacturer, brand=brand, country=france, valid_until=DAY
    )
    assert parts(manufacturer, brand).ok


def test_coverage_table_marks_the_failing_or_soonest_lapsing_aspect(manufacturer, brand, france):
    germany = CountryFactory(code="DE")
    for country in (france, germany):
        args = {"enterprise": manufacturer, "brand": brand, "country": country}
        ServiceOutletFactory(**args)
        SparePartsCommitmentFactory(**args)
    WarrantyCommitmentFactory(
        enterprise=manufacturer, brand=brand, country=germany, valid_until=date(2027, 1, 1)
    )
    rows = {row.country.code: row for row in coverage_table(enterprise=manufacturer, on=DAY)}
    assert set(rows) == {"FR", "DE"}
    assert not rows["FR"].ok and rows["FR"].weakest == "warranty"
    assert rows["DE"].ok and rows["DE"].weakest == "warranty"
    assert rows["DE"].ends["warranty"] == date(2027, 1, 1)


def test_the_coverage_table_follows_a_renewal_chain_to_its_end(manufacturer, brand, france):
    args = {"enterprise": manufacturer, "brand": brand, "country": france}
    ServiceOutletFactory(**args)
    SparePartsCommitmentFactory(**args)
    WarrantyCommitmentFactory(**args, valid_until=date(2026, 12, 31))
    WarrantyCommitmentFactory(**args, valid_from=date(2027, 1, 1), valid_until=date(2028, 6, 30))
    (row,) = coverage_table(enterprise=manufacturer, on=DAY)
    assert row.ends["warranty"] == date(2028, 6, 30)
    assert row.weakest == "warranty"
    assert "until 2028-06-30" in row.warranty.detail
