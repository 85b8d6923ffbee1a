"""The case queue: queue filters and their counts, search, and a query count that stays flat."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from licensing.admin import cases as case_admin
from licensing.admin import queues
from licensing.admin_paginator import EstimatedCountPaginator
from licensing.models import Case
from tests.licensing.factories import CaseFactory, case_in_status

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:licensing_case_changelist")
TODAY = date(2026, 3, 10)  # a Tuesday with ordinary working days around it


@pytest.fixture
def travel():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-03-10 10:00 +0800", tick=True):
        yield


@pytest.fixture
def board(travel, maker, caseworker, caseworker2, officer):  # type: ignore[no-untyped-def]
    """One case per queue situation, with SLA due dates pinned relative to today."""

    def build(status: str, assessor=caseworker) -> Case:  # type: ignore[no-untyped-def]
        return case_in_status(status, applicant_user=maker, caseworker=assessor, officer=officer)

    found = {
        "unassigned": build("submitted"),
        "mine_overdue": build("under_review"),
        "mine_info": build("info_requested"),
        "mine_recommended": build("recommended"),
        "theirs_due_today": build("under_review", caseworker2),
        "approved": build("approved"),
    }
    open_cases = Case.objects.is_open()
    open_cases.update(sla_due_on=TODAY + timedelta(days=20))
    Case.objects.filter(pk=found["mine_info"].pk).update(sla_due_on=None)  # clock paused
    Case.objects.filter(pk=found["mine_overdue"].pk).update(sla_due_on=TODAY - timedelta(days=2))
    Case.objects.filter(pk=found["theirs_due_today"].pk).update(sla_due_on=TODAY)
    return found


EXPECTED_QUEUES = {
    queues.MINE: {"mine_overdue", "mine_info", "mine_recommended"},
    queues.UNASSIGNED: {"unassigned"},
    queues.AWAITING_DECISION: {"mine_recommended"},
    queues.INFO_REQUESTED: {"mine_info"},
    queues.DUE_SOON: {"theirs_due_today"},
    queues.OVERDUE: {"mine_overdue"},
}


def listed(response) -> set[int]:  # type: ignore[no-untyped-def]
    return {case.pk for case in response.context["cl"].result_list}


@pytest.mark.parametrize("queue", list(EXPECTED_QUEUES))
def test_each_queue_filter_lists_exactly_its_cases(client, caseworker, board, queue):
    client.force_login(caseworker)
    response = client.get(CHANGELIST, {"queue": queue})
    assert listed(response) == {board[key].pk for key in EXPECTED_QUEUES[queue]}


def test_queue_labels_carry_the_users_counts(client, caseworker, board):
    client.force_login(caseworker)
    html = client.get(CHANGELIST).content.decode()
    for queue, label in queues.QUEUES.items():
        assert f"{label} ({len(EXPECTED_QUEUES[queue])})" in html


def test_my_cases_depends_on_who_is_asking(client, caseworker2, board):
    client.force_login(caseworker2)
    response = client.get(CHANGELIST, {"queue": queues.MINE})
    assert listed(response) == {board["theirs_due_today"].pk}


def test_a_next_working_day_due_date_is_due_soon_but_not_one_after_it(caseworker, board):
    case = board["unassigned"]
    Case.objects.filter(pk=case.pk).update(sla_due_on=date(2026, 3, 11))
    assert queues.queue_counts(caseworker)[queues.DUE_SOON] == 2
    Case.objects.filter(pk=case.pk).update(sla_due_on=date(2026, 3, 12))
    assert queues.queue_counts(caseworker)[queues.DUE_SOON] == 1


def test_an_unknown_queue_value_lists_everything(client, caseworker, board):
    client.force_login(caseworker)
    response = client.get(CHANGELIST, {"queue": "nonsense"})
    assert response.status_code == 200
    assert len(listed(response)) == len(board)


def test_admin_index_block_shows_the_queue_counts_with_links(caseworker, board):
    request = RequestFactory().get("/admin/")
    request.user = caseworker
    html = Template("{% load case_queues %}{% case_queue_counts %}").render(
        Context({"request": request})
    )
    assert f'href="{CHANGELIST}?queue=mine"' in html
    assert "<td>3</td>" in html


def test_admin_index_block_is_empty_for_a_portal_user(maker, board):
    request = RequestFactory().get("/admin/")
    request.user = maker
    html = Template("{% load case_queues %}{% case_queue_counts %}").render(
        Context({"request": request})
    )
    assert "case-queues" not in html


# ---- search --------------------------------------------------------------------------------


@pytest.fixture
def searchable(db):  # type: ignore[no-untyped-def]
    wanted = CaseFactory(reference="LC-2026-123456", contract_number="JR/2026-77")
    wanted.applicant.name_en = "Zircon Motors Ltd"
    wanted.applicant.save()
    CaseFactory.create_batch(3)
    return wanted


def search(client, user, term: str) -> set[int]:  # type: ignore[no-untyped-def]
    client.force_login(user)
    return listed(client.get(CHANGELIST, {"q": term}))


@pytest.mark.parametrize("term", ["LC-2026-123456", "lc-2026-1234", "JR/2026-77", "zircon"])
def test_search_finds_a_case_by_reference_contract_or_applicant_name(
    client, caseworker, searchable, term
):
    assert search(client, caseworker, term) == {searchable.pk}


def test_search_finds_a_case_by_the_applicants_credit_code(client, caseworker, searchable):
    assert search(client, caseworker, searchable.applicant.uscc.lower()) == {searchable.pk}


def test_search_does_not_match_the_middle_of_a_contract_number(client, caseworker, searchable):
    assert search(client, caseworker, "2026-77") == set()


# ---- query counts ----------------------------------------------------------------------------


def changelist_queries(client, params=None) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CHANGELIST, params or {})
    assert response.status_code == 200
    return len(captured)


def test_changelist_query_count_does_not_grow_with_rows_or_page_size(
    client, caseworker, monkeypatch
):
    CaseFactory.create_batch(10, status=Case.Status.UNDER_REVIEW, assigned_to=caseworker)
    client.force_login(caseworker)
    monkeypatch.setattr(case_admin.CaseAdmin, "list_per_page", 10)
    small = changelist_queries(client)
    CaseFactory.create_batch(90, status=Case.Status.SUBMITTED)
    monkeypatch.setattr(case_admin.CaseAdmin, "list_per_page", 100)
    large = changelist_queries(client)
    assert small == large
    # A filtered list skips the PostgreSQL row estimate and counts exactly: never more queries.
    assert changelist_queries(client, {"queue": queues.MINE}) <= large


# ---- the paginator ---------------------------------------------------------------------------


def test_paginator_counts_exactly_on_a_filtered_list(caseworker):
    CaseFactory.create_batch(3)
    CaseFactory(status=Case.Status.SUBMITTED)
    queryset = Case.objects.filter(status=Case.Status.SUBMITTED)
    assert EstimatedCountPaginator(queryset, 10).count == 1
    assert EstimatedCountPaginator(Case.objects.all(), 10).count == 4


@pytest.mark.postgres
def test_paginator_uses_the_planner_estimate_for_a_large_unfiltered_table(monkeypatch):
    CaseFactory.create_batch(5)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Case._meta.db_table}")
    monkeypatch.setattr("licensing.admin_paginator.EXACT_BELOW", 1)
    with CaptureQueriesContext(connection) as captured:
        count = EstimatedCountPaginator(Case.objects.order_by("-pk"), 10).count
    assert count == 5
    assert "pg_class" in captured[0]["sql"]
    assert not any("COUNT(" in q["sql"].upper() for q in captured)


@pytest.mark.postgres
def test_paginator_counts_a_filtered_postgres_list_exactly(monkeypatch):
    CaseFactory.create_batch(2)
    monkeypatch.setattr("licensing.admin_paginator.EXACT_BELOW", 1)
    queryset = Case.objects.filter(status=Case.Status.DRAFT)
    with CaptureQueriesContext(connection) as captured:
        assert EstimatedCountPaginator(queryset, 10).count == 2
    assert "COUNT(" in captured[-1]["sql"].upper()


def test_admin_index_page_shows_the_queue_block(client, caseworker, board):
    client.force_login(caseworker)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="case-queues"' in html and f"{CHANGELIST}?queue=overdue" in html


def test_deep_pages_pick_their_keys_first_and_keep_the_order(monkeypatch):
    CaseFactory.create_batch(7)
    monkeypatch.setattr("licensing.admin_paginator.DEFERRED_JOIN_FROM", 0)
    queryset = Case.objects.select_related("applicant").order_by("-pk")
    expected = list(queryset.values_list("pk", flat=True))[3:6]
    page = EstimatedCountPaginator(queryset, 3).page(2)
    assert [case.pk for case in page.object_list] == expected
