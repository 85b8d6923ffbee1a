"""Query counts of the lists and actions that must stay flat at ministry scale.

Each list is measured with 10 and 200 rows behind it (loaded by the `seed_bench` loader) and
pinned to the same count; a change that adds a query per row, or one more per page, fails.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from licensing import admin_paginator
from licensing.models import Case
from licensing.seeding.load import load
from tests import round_trips

NOW = datetime(2026, 6, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def large_table_path(monkeypatch):  # type: ignore[no-untyped-def]
    """Take the path a million-row table takes: on PostgreSQL an unfiltered list estimates."""
    monkeypatch.setattr(admin_paginator, "EXACT_BELOW", 5)


def seeded(total: int) -> None:
    load(total=total, chunk=100, now=NOW)


def queries(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return [q["sql"] for q in captured]


def member_of_a_seeded_enterprise():  # type: ignore[no-untyped-def]
    from registry.models import Membership

    return Membership.objects.filter(enterprise__cases__isnull=False).first().user


STAFF_LISTS = {
    # count (or estimate), page, goods lines, used-vehicle schedules, SLA clock events,
    # working calendar
    "/api/v1/cases/": 6,
    "/api/v1/cases/?status=approved&kind=licence": 6,
    # count (or estimate), page, licence lines with their models
    "/api/v1/licences/": 3,
    "/api/v1/licences/?status=expired": 3,
}


@pytest.mark.parametrize("rows", [10, 200])
def test_staff_lists_take_the_same_queries_whatever_the_rows(db, api_as, caseworker, rows):  # type: ignore[no-untyped-def]
    seeded(rows)
    client = api_as(caseworker)

    counts = {url: len(queries(client, url)) for url in STAFF_LISTS}

    assert counts == STAFF_LISTS


@pytest.mark.parametrize("rows", [10, 200])
def test_a_members_case_and_licence_lists_take_the_same_queries_whatever_the_rows(  # type: ignore[no-untyped-def]
    db, api_as, rows
):
    seeded(rows)
    client = api_as(member_of_a_seeded_enterprise())

    assert len(queries(client, "/api/v1/cases/")) == 6
    assert len(queries(client, "/api/v1/licences/")) == 3


@pytest.mark.parametrize("rows", [10, 200])
def test_the_audit_event_list_takes_the_same_queries_whatever_the_rows(  # type: ignore[no-untyped-def]
    db, api_as, auditor, rows
):
    seeded(rows)

    # two permission lookups and the page: cursor pagination never counts
    assert len(queries(api_as(auditor), "/api/v1/audit-events/")) == 3


def test_an_unfiltered_list_on_sqlite_counts_exactly(db, api_as, caseworker):  # type: ignore[no-untyped-def]
    seeded(30)

    body = api_as(caseworker).get("/api/v1/cases/").json()

    assert body["count"] == Case.objects.count() == 30


@pytest.mark.postgres
def test_an_unfiltered_staff_list_reports_the_planners_estimate_without_counting(  # type: ignore[no-untyped-def]
    db, api_as, caseworker
):
    seeded(120)  # ends with ANALYZE: the estimate is the table's size
    client = api_as(caseworker)

    with CaptureQueriesContext(connection) as captured:
        body = client.get("/api/v1/cases/").json()

    assert body["count"] == 120
    assert not [q for q in captured if "COUNT(" in q["sql"]]
    assert any("reltuples" in q["sql"] for q in captured)


@pytest.mark.postgres
def test_a_filtered_or_scoped_list_keeps_its_exact_count(  # type: ignore[no-untyped-def]
    db, api_as, caseworker
):
    seeded(120)
    member = member_of_a_seeded_enterprise()
    approved = Case.objects.filter(status=Case.Status.APPROVED).count()
    own = Case.objects.filter(applicant=member.membership.enterprise).count()

    assert api_as(caseworker).get("/api/v1/cases/?status=approved").json()["count"] == approved
    assert api_as(member).get("/api/v1/cases/").json()["count"] == own


@pytest.mark.postgres
def test_pages_go_on_past_an_estimate_that_falls_short(db, api_as, caseworker, monkeypatch):  # type: ignore[no-untyped-def]
    seeded(120)
    monkeypatch.setattr(admin_paginator, "table_row_estimate", lambda alias, table: 60)
    client = api_as(caseworker)

    second = client.get("/api/v1/cases/?page=2").json()
    third = client.get("/api/v1/cases/?page=3").json()

    assert second["count"] == 60
    assert len(second["results"]) == 50 and second["next"].endswith("page=3")
    assert len(third["results"]) == 20 and third["next"] is None
    assert client.get("/api/v1/cases/?page=4").status_code == 404
    assert client.get("/api/v1/cases/?page=x").status_code == 404
    seen = {
        c["id"] for p in (1, 2, 3) for c in client.get(f"/api/v1/cases/?page={p}").json()["results"]
    }
    assert len(seen) == 120


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("lines", "members"), [(1, 1), (12, 6)])
def test_issuing_a_licence_takes_the_same_queries_whatever_its_lines_and_members(  # type: ignore[no-untyped-def]
    db, lines, members
):
    from licensing.services.issuance import licence_issue_for_case
    from tests.licensing.factories import CaseFactory, CaseLineFactory
    from tests.registry.factories import MembershipFactory, VehicleModelFactory

    case = CaseFactory(status=Case.Status.APPROVED, valid_from=NOW.date(), valid_until=None)
    for n in range(lines):
        model = VehicleModelFactory(brand=case.brand)
        CaseLineFactory(case=case, vehicle_model=model, quantity=n + 1)
    for _ in range(members):
        MembershipFactory(enterprise=case.applicant)
    case = Case.objects.get(pk=case.pk)

    with CaptureQueriesContext(connection) as captured:
        licence = licence_issue_for_case(case=case, actor=None)

    # office, number, licence, case lines, licence lines, the chain, members, notices
    assert len(captured) == 7 + round_trips.audit_append()
    assert licence.lines.count() == lines
    assert licence.issuing_office_id == case.applicant.issuing_office_id


@pytest.mark.postgres
def test_queue_counts_are_answered_from_the_queue_index_alone(db, caseworker):
    from django.db import connection, transaction

    from licensing.admin.queues import queue_counts

    statements: list[tuple[str, tuple]] = []

    def capture(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        queue_counts(caseworker)
    (sql, params), *_rest = [s for s in statements if "COUNT" in s[0]]
    with transaction.atomic(), connection.cursor() as cursor:
        # Tiny test tables favour a sequential scan; forbid it to see what the index covers.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        # Which index a tiny, unvacuumed test table prefers depends on its statistics: leave
        # only the queue index (dropped indexes come back with the rollback). Against a plain
        # index scan of the same index, an index-only scan wins whenever it is possible.
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'licensing_case'"
            " AND indexname <> 'case_queue_idx' AND indexdef NOT LIKE '%UNIQUE%'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    assert "Index Only Scan using case_queue_idx" in plan, plan
