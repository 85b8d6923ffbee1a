"""After-sales figures on the statistics page against hand-computed fixtures."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from aftersales.models import Obligation
from licensing.admin.charts import bar_chart_svg
from licensing.insights import Period, all_charts
from licensing.insights_aftersales import (
    coverage_per_market,
    exported_by_destination_and_brand,
    repair_wait_per_brand_and_market,
)
from tests.aftersales.factories import (
    ComplianceReportFactory,
    ExportedVehicleFactory,
    ObligationFactory,
)
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
        ["Germany · Aurora", 3],
        ["France · Aurora", 1],
        ["France · Borealis", 1],
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
    assert chart.rows == [["Germany", 2, 0, 1, 0], ["France", 0, 1, 0, 1]]
    assert [str(c) for c in chart.columns[1:]] == ["Covered", "At risk", "Breached", "Fulfilled"]


def test_the_after_sales_charts_speak_chinese(db):
    with translation.override("zh-hans"):
        chart = coverage_per_market(PERIOD)
        titles = [str(chart.title), str(exported_by_destination_and_brand(PERIOD).title)]
        columns = [str(c) for c in chart.columns]
        waits = repair_wait_per_brand_and_market(PERIOD)
        columns += [str(c) for c in waits.columns]
        titles.append(str(waits.title))
    assert titles == [
        "各市场售后覆盖情况（按状态统计的义务）",
        "按目的地和品牌统计的出口车辆",
        "各品牌、各市场的平均维修等待天数（标出每期最差者）",
    ]
    assert columns[0] == "市场" and "covered" not in columns and "at_risk" not in columns
    assert columns[-1] == "本期最差"


def test_the_export_chart_names_each_market_in_the_readers_language(fleet):
    with translation.override("zh-hans"):
        rows = exported_by_destination_and_brand(PERIOD).rows
    assert [row[0] for row in rows] == ["德国 · Aurora", "法国 · Aurora", "法国 · Borealis"]


def test_the_after_sales_charts_cost_the_same_queries_for_empty_and_larger_data(db):
    with CaptureQueriesContext(connection) as empty:
        all_charts(PERIOD, PERIOD.end)
    maker = EnterpriseFactory()
    for code in ("DE", "FR", "IT", "ES"):
        country = CountryFactory(code=code)
        ExportedVehicleFactory(enterprise=maker, country=country)
        ObligationFactory(enterprise=maker, country=country, status=Obligation.Status.AT_RISK)
        report(maker, country, "3.0", ends=date(2026, 6, 30))
    with CaptureQueriesContext(connection) as larger:
        found = {c.key: c for c in all_charts(PERIOD, PERIOD.end)}
    assert len(empty) == len(larger)
    assert len(found["exported"].rows) == 4 and len(found["coverage"].rows) == 4
    assert len(found["repair_wait"].rows) == 4 and found["repair_wait"].highlighted == (0, 1, 2, 3)


def test_the_statistics_page_shows_the_after_sales_charts_with_their_csv(client, auditor, fleet):
    client.force_login(auditor)
    params = {"start": "2026-03-01", "end": "2026-03-31"}
    html = client.get(reverse("admin:licensing_case_insights"), params).content.decode()
    assert 'id="insight-exported"' in html and 'id="insight-coverage"' in html
    response = client.get(reverse("admin:licensing_case_insights"), {**params, "csv": "exported"})
    body = b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()
    assert body == [
        '"Destination and brand","Vehicles exported"',
        '"Germany · Aurora","3"',
        '"France · Aurora","1"',
        '"France · Borealis","1"',
    ]


def report(enterprise, country, days, *, status="accepted", ends=date(2026, 6, 30)):  # type: ignore[no-untyped-def]
    start = date(ends.year, ends.month - 5, 1)
    return ComplianceReportFactory(
        enterprise=enterprise,
        country=country,
        status=status,
        period_start=start,
        period_end=ends,
        repair_wait_avg_days=Decimal(days),
    )


@pytest.fixture
def reports(db):  # type: ignore[no-untyped-def]
    """Two makers in DE and FR over two half-years; a due and a queried report left out."""
    one, two = EnterpriseFactory(), EnterpriseFactory()
    aurora = BrandFactory(manufacturer=one, name="Aurora")
    zenith = BrandFactory(manufacturer=two, name="Zenith")
    de, fr = CountryFactory(code="DE"), CountryFactory(code="FR")
    for enterprise, brand, country in [(one, aurora, de), (one, aurora, fr), (two, zenith, de)]:
        ObligationFactory(enterprise=enterprise, brand=brand, country=country)
    report(one, de, "4.0", ends=date(2025, 12, 31))
    report(two, de, "9.5", ends=date(2025, 12, 31), status="submitted")
    report(one, de, "6.5")
    report(one, fr, "2.0")
    report(two, de, "3.0")
    report(two, fr, "30.0")  # no obligation for Zenith in FR: no brand to count it for
    report(one, fr, "50.0", ends=date(2025, 12, 31), status="queried")
    return one


def test_repair_waits_are_averaged_per_brand_and_market_and_the_worst_marked(reports):
    chart = repair_wait_per_brand_and_market(Period(start=date(2025, 7, 1), end=date(2026, 6, 30)))
    assert chart.rows == [
        ["Zenith · Germany · 2025-12-31", Decimal("9.5"), 1, "Worst"],
        ["Aurora · Germany · 2025-12-31", Decimal("4.0"), 1, ""],
        ["Aurora · Germany · 2026-06-30", Decimal("6.5"), 1, "Worst"],
        ["Zenith · Germany · 2026-06-30", Decimal("3.0"), 1, ""],
        ["Aurora · France · 2026-06-30", Decimal("2.0"), 1, ""],
    ]
    assert chart.highlighted == (0, 2)


def test_the_market_charts_name_each_market_in_the_readers_language(reports):
    with translation.override("zh-hans"):
        coverage = coverage_per_market(PERIOD).rows
        waits = repair_wait_per_brand_and_market(PERIOD).rows
    assert [row[0] for row in coverage] == ["德国", "法国"]
    assert [row[0] for row in waits] == [
        "Aurora · 德国 · 2026-06-30",
        "Zenith · 德国 · 2026-06-30",
        "Aurora · 法国 · 2026-06-30",
    ]


def test_only_report_periods_overlapping_the_chosen_range_count(reports):
    chart = repair_wait_per_brand_and_market(Period(start=date(2026, 3, 1), end=date(2026, 3, 31)))
    assert [row[0] for row in chart.rows] == [
        "Aurora · Germany · 2026-06-30",
        "Zenith · Germany · 2026-06-30",
        "Aurora · France · 2026-06-30",
    ]


def test_the_worst_bar_is_drawn_apart_and_its_table_row_marked(client, auditor, reports):
    chart = repair_wait_per_brand_and_market(Period(start=date(2026, 1, 1), end=date(2026, 6, 30)))
    assert bar_chart_svg(chart).count('fill="#b71c1c"') == 1
    client.force_login(auditor)
    html = client.get(
        reverse("admin:licensing_case_insights"), {"start": "2026-01-01", "end": "2026-06-30"}
    ).content.decode()
    section = html.split('id="insight-repair_wait"')[1].split("</section>")[0]
    assert '<tr class="insight-worst"><td>Aurora · Germany · 2026-06-30</td><td>6.5</td>' in section
