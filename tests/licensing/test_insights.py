"""Office figures against hand-computed fixtures; each chart at a constant query count."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from licensing.admin.charts import bar_chart_svg
from licensing.insights import Period, all_charts
from licensing.models import Case
from tests.licensing.factories import CaseFactory, QualificationCaseFactory
from tests.licensing.licence_factories import issue_licence
from tests.registry.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

BJ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 3, 20)
PERIOD = Period(start=date(2026, 3, 1), end=TODAY)
INSIGHTS = reverse("admin:licensing_case_insights")


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=BJ)


@pytest.fixture(autouse=True)
def fresh_cache():  # type: ignore[no-untyped-def]
    cache.clear()


@pytest.fixture
def office_cases(db):  # type: ignore[no-untyped-def]
    """A: decided in 2 working days; B: in 6; C and D open, 11 and 2 days old."""
    applicant = EnterpriseFactory()
    a = CaseFactory(applicant=applicant, status=Case.Status.APPROVED)
    b = CaseFactory(applicant=applicant, status=Case.Status.REFUSED)
    c = QualificationCaseFactory(applicant=applicant, status=Case.Status.UNDER_REVIEW)
    d = CaseFactory(applicant=applicant, status=Case.Status.SUBMITTED)
    Case.objects.filter(pk=a.pk).update(submitted_at=at(2), decided_at=at(4))
    Case.objects.filter(pk=b.pk).update(submitted_at=at(2), decided_at=at(10))
    Case.objects.filter(pk=c.pk).update(submitted_at=at(9))
    Case.objects.filter(pk=d.pk).update(submitted_at=at(18))
    return applicant


def charts() -> dict:  # type: ignore[type-arg]
    return {chart.key: chart for chart in all_charts(PERIOD, TODAY)}


def test_received_and_decided_per_week_match_the_fixture(office_cases):
    found = charts()
    assert found["received"].rows == [
        ["2026-03-02", 0, 2, 0, 0],
        ["2026-03-09", 1, 0, 0, 0],
        ["2026-03-16", 0, 1, 0, 0],
    ]
    assert found["decided"].rows == [["2026-03-02", 1, 0], ["2026-03-09", 0, 1]]


def test_the_share_within_the_limit_counts_working_days_per_office(office_cases):
    assert charts()["within_limit"].rows == [[office_cases.issuing_office.code, 50, 2]]


def test_open_cases_fall_into_their_age_buckets(office_cases):
    assert charts()["ages"].rows == [["0–3", 1], ["4–10", 0], ["11–20", 1], ["> 20", 0]]


def test_an_office_filter_keeps_its_own_cases_and_leaves_other_offices_out(office_cases):
    own = Period(start=PERIOD.start, end=PERIOD.end, office_id=office_cases.issuing_office_id)
    other = Period(start=PERIOD.start, end=PERIOD.end, office_id=office_cases.issuing_office_id + 1)
    assert {c.key: c.rows for c in all_charts(own, TODAY)}["received"] == charts()["received"].rows
    elsewhere = {c.key: c.rows for c in all_charts(other, TODAY)}
    assert elsewhere["received"] == [] and elsewhere["within_limit"] == []


@time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=BJ), tick=False)
def test_licences_are_counted_per_destination_and_brand(db):
    first = issue_licence(valid_from=date(2026, 3, 10))
    issue_licence(valid_from=date(2026, 3, 10), applicant=first.holder, brand=first.brand)
    rows = charts()["licences"].rows
    assert rows == [[f"{first.destination.name} · {first.brand.name}", 2]]
    assert first.destination.name != first.destination_id


def test_every_chart_costs_the_same_queries_for_empty_and_larger_data(db):
    with CaptureQueriesContext(connection) as empty:
        all_charts(PERIOD, TODAY)
    for day in range(2, 19):
        case = CaseFactory(status=Case.Status.APPROVED)
        Case.objects.filter(pk=case.pk).update(submitted_at=at(day), decided_at=at(day + 1))
    with CaptureQueriesContext(connection) as larger:
        found = all_charts(PERIOD, TODAY)
    assert len(empty) == len(larger)
    assert sum(row[2] for row in found[0].rows) == 17


def test_a_chart_svg_escapes_labels_and_has_a_title():
    from licensing.insights import Chart

    svg = bar_chart_svg(Chart(key="x", title="T<1>", columns=["L", "V"], rows=[["<b>", 3]]))
    assert svg.startswith("<svg") and "&lt;b&gt;" in svg and "<title>T&lt;1&gt;</title>" in svg


def test_the_statistics_page_shows_each_chart_with_table_and_csv(client, auditor, office_cases):
    client.force_login(auditor)
    with time_machine.travel(datetime(2026, 3, 20, 12, tzinfo=BJ), tick=False):
        html = client.get(INSIGHTS, {"start": "2026-03-01", "end": "2026-03-20"}).content.decode()
        csv_response = client.get(
            INSIGHTS, {"start": "2026-03-01", "end": "2026-03-20", "csv": "ages"}
        )
    for key in ("received", "decided", "within_limit", "ages", "licences"):
        assert f'id="insight-{key}"' in html
    assert "<svg" in html and "Table view" in html
    body = b"".join(csv_response.streaming_content).decode()
    assert body.lstrip("\ufeff").splitlines()[0] == '"Age","Open cases"'
    assert '"11–20","1"' in body


@pytest.mark.parametrize(
    "params",
    [
        {"start": "garbage"},
        {"start": "2026-03-20", "end": "2020-01-01"},
        {"office": "x" * 10_000},
        {"start": "\x00"},
        {"csv": "nonsense"},
    ],
)
def test_garbage_filters_give_a_message_or_not_found_never_a_server_error(client, auditor, params):
    client.force_login(auditor)
    response = client.get(INSIGHTS, params)
    assert response.status_code in (200, 404)


def test_portal_users_cannot_see_the_statistics(client, maker):
    client.force_login(maker)
    response = client.get(INSIGHTS)
    assert response.status_code == 403  # refused with a page pointing to the portal


def test_the_admin_index_shows_the_headline_tiles_and_links_the_statistics(
    client, caseworker, office_cases
):
    client.force_login(caseworker)
    with time_machine.travel(datetime(2026, 3, 20, 12, tzinfo=BJ), tick=False):
        html = client.get(reverse("admin:index")).content.decode()
    tiles = html.split('id="insight-tiles"')[1].split("</table>")[0]
    assert f'href="{INSIGHTS}"' in tiles
    assert "Cases received in the last 7 days</th><td>1</td>" in tiles
    assert "Open cases</th><td>2</td>" in tiles
