"""After-sales figures on the statistics page against hand-computed fixtures."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from aftersales.models import Obligation
from licensing.insights import Period, all_charts
from licensing.insights_aftersales import coverage_per_market, exported_by_destination_and_brand
from tests.aftersales.factories import ExportedVehicleFactory, ObligationFactory
from tests.registry.factories import BrandFactory, CountryFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

PERIOD = Period(start=date(2026, 3, 1), end=date(2026, 3, 31))


@pytest.fixture
def fleet(db):  # type: ignore[no-untyped-def]
    """Brand A: 3 cars to DE, 1 to FR; brand B: 1 to FR; one car in February (left out)."""
    maker = EnterpriseFactory()
    a, b = (
        BrandFactory(manufacturer=maker, name="Aurora"),
        BrandFactory(manufacturer=maker, name="Borealis"),
    )
    de, fr = CountryFactory(code="DE"), CountryFactory(code="FR")
    for _ in range(3):
        ExportedVehicleFactory(enterprise=maker, brand=a, country=de)
    ExportedVehicleFactory(enterprise=maker, brand=a, country=fr)
    ExportedVehicleFactory(enterprise=maker, brand=b, country=fr, exported_on=date(2026, 3, 31))
    ExportedVehicleFactory(enterprise=maker, brand=b, country=fr, exported_on=date(2026, 2, 28))
    return maker


def test_vehicles_are_counted_per_destination_and_brand_within_the_period(fleet):
    assert exported_by_destination_and_brand(PERIOD).rows == [
        ["DE · Aurora", 3],
        ["FR · Aurora", 1],
        ["FR · Borealis", 1],
    ]


def test_an_office_filter_leaves_other_offices_vehicles_out(fleet):
    own = Period(start=PERIOD.start, end=PERIOD.end, office_id=fleet.issuing_office_id)
    other = Period(start=PERIOD.start, end=PERIOD.end, office_id=fleet.issuing_office_id + 1)
    assert len(exported_by_destination_and_brand(own).rows) == 3
    assert exported_by_destination_and_brand(other).rows == []
    assert coverage_per_market(other).rows == []


def test_obligations_are_counted_by_status_per_market(db):
    de, fr = CountryFactory(code="DE"), CountryFactory(code="FR")
    statuses = Obligation.Status
    for country, status in [
        (de, statuses.COVERED),
        (de, statuses.COVERED),
        (de, statuses.BREACHED),
        (fr, statuses.AT_RISK),
        (fr, statuses.FULFILLED),
    ]:
        ObligationFactory(country=country, status=status)
    chart = coverage_per_market(PERIOD)
    assert chart.rows == [["DE", 2, 0, 1, 0], ["FR", 0, 1, 0, 1]]
    assert [str(c) for c in chart.columns[1:]] == ["Covered", "At risk", "Breached", "Fulfilled"]


def test_the_after_sales_charts_speak_chinese(db):
    with translation.override("zh-hans"):
        chart = coverage_per_market(PERIOD)
        titles = [str(chart.title), str(exported_by_destination_and_brand(PERIOD).title)]
        columns = [str(c) for c in chart.columns]
    assert titles == ["各市场售后覆盖情况（按状态统计的义务）", "按目的地和品牌统计的出口车辆"]
    assert columns[0] == "市场" and "covered" not in columns and "at_risk" not in columns


def test_the_after_sales_charts_cost_the_same_queries_for_empty_and_larger_data(db):
    with CaptureQueriesContext(connection) as empty:
        all_charts(PERIOD, PERIOD.end)
    maker = EnterpriseFactory()
    for code in ("DE", "FR", "IT", "ES"):
        country = CountryFactory(code=code)
        ExportedVehicleFactory(enterprise=maker, country=country)
        ObligationFactory(enterprise=maker, country=country, status=Obligation.Status.AT_RISK)
    with CaptureQueriesContext(connection) as larger:
        found = {c.key: c for c in all_charts(PERIOD, PERIOD.end)}
    assert len(empty) == len(larger)
    assert len(found["exported"].rows) == 4 and len(found["coverage"].rows) == 4


def test_the_statistics_page_shows_the_after_sales_charts_with_their_csv(client, auditor, fleet):
    client.force_login(auditor)
    params = {"start": "2026-03-01", "end": "2026-03-31"}
    html = client.get(reverse("admin:licensing_case_insights"), params).content.decode()
    assert 'id="insight-exported"' in html and 'id="insight-coverage"' in html
    response = client.get(reverse("admin:licensing_case_insights"), {**params, "csv": "exported"})
    body = b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()
    assert body == [
        '"Destination and brand","Vehicles exported"',
        '"DE · Aurora","3"',
        '"FR · Aurora","1"',
        '"FR · Borealis","1"',
    ]
