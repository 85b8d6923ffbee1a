"""Reminders about cases: information requests, review deadlines, qualification renewal."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from licensing.models import Case, InformationRequest
from licensing.reminders import (
    remind_caseworkers_of_overdue_answers,
    remind_information_requests,
    remind_qualification_renewal,
    remind_sla,
)
from notifications.models import Notification
from registry.models import UserProfile
from tests.licensing.factories import CaseFactory, QualificationCaseFactory
from tests.registry.factories import MembershipFactory, QualificationFactory

pytestmark = pytest.mark.django_db
THURSDAY = date(2026, 3, 5)  # two working days later is Monday 9 March
ASKED = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def kinds() -> list[tuple[str, str]]:
    return sorted(Notification.objects.values_list("kind", "recipient__username"))


@pytest.fixture
def case_asking(maker, manufacturer, caseworker):
    case = CaseFactory(applicant=manufacturer)
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.INFO_REQUESTED, assigned_to=caseworker
    )
    case.refresh_from_db()
    return case


def ask(case, due_on: date, **extra) -> InformationRequest:
    return InformationRequest.objects.create(
        case=case,
        question="Send the warranty terms",
        due_on=due_on,
        asked_by_id=case.assigned_to_id,
        asked_at=ASKED,
        **extra,
    )


def test_the_applicant_is_reminded_two_working_days_before_an_answer_is_due(case_asking, maker):
    request = ask(case_asking, date(2026, 3, 9))
    assert remind_information_requests(THURSDAY - timedelta(days=1)) == 0
    assert remind_information_requests(THURSDAY) == 1
    assert remind_information_requests(THURSDAY) == 0
    notice = Notification.objects.get()
    assert (notice.kind, notice.recipient, notice.due_on) == (
        "case.information_due_soon",
        maker,
        request.due_on,
    )
    assert notice.subject == f"Case {case_asking.reference}: your answer is due on 2026-03-09"
    assert notice.target_type == "licensing.informationrequest"


def test_an_overdue_answer_reminds_the_applicant_and_the_caseworker_once(
    case_asking, maker, caseworker
):
    ask(case_asking, date(2026, 3, 4))
    assert remind_information_requests(THURSDAY) == 1
    assert remind_caseworkers_of_overdue_answers(THURSDAY) == 1
    assert remind_information_requests(THURSDAY + timedelta(days=1)) == 0
    assert remind_caseworkers_of_overdue_answers(THURSDAY + timedelta(days=1)) == 0
    assert kinds() == [
        ("case.answer_overdue", caseworker.username),
        ("case.information_overdue", maker.username),
    ]


def test_an_answered_request_or_a_viewer_gets_no_reminder(case_asking, manufacturer):
    MembershipFactory(enterprise=manufacturer, role="viewer")
    ask(case_asking, date(2026, 3, 4), answer="Here", answered_at=ASKED)
    ask(case_asking, date(2026, 3, 6))
    assert remind_information_requests(THURSDAY) == 1
    assert remind_caseworkers_of_overdue_answers(THURSDAY) == 0
    assert Notification.objects.get().recipient.membership.role == "admin"


@pytest.fixture
def due_cases(manufacturer, caseworker):
    """A case due tomorrow (assigned), one overdue (unassigned), one due next week."""
    made = {}
    for name, due, assignee, status in [
        ("tomorrow", date(2026, 3, 6), caseworker, Case.Status.UNDER_REVIEW),
        ("late", date(2026, 3, 4), None, Case.Status.SUBMITTED),
        ("later", date(2026, 3, 12), caseworker, Case.Status.UNDER_REVIEW),
    ]:
        case = CaseFactory(applicant=manufacturer)
        Case.objects.filter(pk=case.pk).update(status=status, sla_due_on=due, assigned_to=assignee)
        made[name] = case
    return made


def test_sla_alerts_go_to_the_assignee_and_to_officers_for_unassigned_cases(
    due_cases, caseworker, officer, officer2
):
    assert remind_sla(THURSDAY) == 3
    assert remind_sla(THURSDAY) == 0
    assert kinds() == [
        ("case.sla_due_soon", caseworker.username),
        ("case.sla_overdue", officer.username),
        ("case.sla_overdue", officer2.username),
    ]
    late = Notification.objects.filter(kind="case.sla_overdue").first()
    assert late.target_id == str(due_cases["late"].pk)
    assert late.subject == f"Case {due_cases['late'].reference} is past its review deadline"


def test_an_officer_reads_the_alert_in_the_language_they_chose(due_cases, officer):
    UserProfile.objects.create(user=officer, language="zh-hans")
    remind_sla(THURSDAY)
    alert = Notification.objects.get(recipient=officer)
    assert alert.language == "zh-hans"
    assert alert.subject == f"案件 {due_cases['late'].reference} 已超过审查期限"


def test_a_case_whose_clock_is_paused_or_closed_raises_no_alert(due_cases, officer):
    Case.objects.filter(pk=due_cases["tomorrow"].pk).update(sla_due_on=None)
    Case.objects.filter(pk=due_cases["late"].pk).update(status=Case.Status.APPROVED)
    assert remind_sla(THURSDAY) == 0


def test_a_due_date_after_the_weekend_is_one_working_day_away_on_friday(due_cases, caseworker):
    Case.objects.filter(pk=due_cases["later"].pk).update(sla_due_on=date(2026, 3, 9))
    assert remind_sla(date(2026, 3, 6)) >= 1
    assert Notification.objects.filter(
        kind="case.sla_due_soon", target_id=str(due_cases["later"].pk)
    ).exists()


@pytest.fixture
def qualified(manufacturer, maker):
    return QualificationFactory(enterprise=manufacturer, year=2026)


def test_qualified_enterprises_hear_when_the_renewal_window_opens_and_a_week_before_it_closes(
    qualified, maker
):
    assert remind_qualification_renewal(date(2026, 10, 31)) == 0
    assert remind_qualification_renewal(date(2026, 11, 1)) == 1
    assert remind_qualification_renewal(date(2026, 11, 10)) == 0
    assert remind_qualification_renewal(date(2026, 11, 23)) == 1
    assert remind_qualification_renewal(date(2026, 11, 30)) == 0
    assert remind_qualification_renewal(date(2026, 12, 1)) == 0
    assert {n.kind for n in Notification.objects.all()} == {
        "qualification.renewal_open",
        "qualification.renewal_closing",
    }
    assert {n.due_on for n in Notification.objects.all()} == {date(2026, 11, 30)}


def test_an_enterprise_that_already_applied_or_holds_next_year_is_not_reminded(
    qualified, manufacturer, rival_enterprise, rival
):
    QualificationFactory(enterprise=rival_enterprise, year=2026)
    QualificationFactory(enterprise=rival_enterprise, year=2027)
    case = QualificationCaseFactory(applicant=manufacturer, year=2027)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.SUBMITTED)
    assert remind_qualification_renewal(date(2026, 11, 25)) == 0
    Case.objects.filter(pk=case.pk).update(status=Case.Status.REFUSED)
    assert remind_qualification_renewal(date(2026, 11, 25)) == 2
