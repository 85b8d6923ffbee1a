"""Reminders about cases and qualifications: renewal window, information requests, SLA.

Each function is a sweep (see licensing.sweeps): set-based, once per recipient × kind ×
target × due date, run as of a day.
"""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import DateField, Exists, OuterRef, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from licensing.models import Case, InformationRequest
from notifications.bulk import DueReminders, notifications_enqueue_due
from registry.calendar import WorkingCalendar
from registry.models import Qualification
from registry.roles import LICENSING_OFFICER
from registry.selectors import acting_members

APPLICANT = "case__applicant__memberships"
OPEN_QUALIFICATION_STATUSES = (*Case.OPEN_STATUSES, Case.Status.DRAFT, Case.Status.APPROVED)


def _enqueue(kind: str, rows: QuerySet, recipient: str | int, due_on: str, text: Any) -> int:
    subject, body, repr_path = text
    return notifications_enqueue_due(
        reminders=DueReminders(
            kind=kind,
            rows=rows,
            recipient=recipient,
            due_on=due_on,
            target_repr=repr_path,
            subject=subject,
            body=body,
            fields={"day": due_on},
        )
    )


# --- qualification renewal -------------------------------------------------------------


def renewal_window(year: int) -> tuple[date, date]:
    """The days on which next year's qualification may be applied for, in `year`."""
    (open_month, open_day), (close_month, close_day) = settings.QUALIFICATION_RENEWAL_WINDOW
    return date(year, open_month, open_day), date(year, close_month, close_day)


def remind_qualification_renewal(as_of: date) -> int:
    """Remind qualified enterprises when next year's window opens and a week before it ends."""
    opens, closes = renewal_window(as_of.year)
    if not opens <= as_of <= closes:
        return 0
    stages = [("qualification.renewal_open", QUALIFICATION_OPEN)]
    if as_of >= closes - timedelta(days=settings.REMINDER_OFFSETS["qualification_closing"]):
        stages.append(("qualification.renewal_closing", QUALIFICATION_CLOSING))
    rows = _not_yet_renewed(as_of.year).annotate(closes=_date(closes))
    return sum(
        _enqueue(kind, rows, "enterprise__memberships__user", "closes", text)
        for kind, text in stages
    )


def _not_yet_renewed(year: int) -> QuerySet:
    next_year = Qualification.objects.filter(enterprise=OuterRef("enterprise"), year=year + 1)
    applied = Case.objects.filter(
        applicant=OuterRef("enterprise"),
        kind=Case.Kind.QUALIFICATION,
        year=year + 1,
        status__in=OPEN_QUALIFICATION_STATUSES,
    )
    return Qualification.objects.filter(
        ~Exists(next_year),
        ~Exists(applied),
        acting_members("enterprise__memberships"),
        year=year,
        status=Qualification.Status.GRANTED,
    )


def _date(day: date) -> Value:
    return Value(day, output_field=DateField())


QUALIFICATION_OPEN = (
    _("Apply now for next year's export qualification (closes %(day)s)"),
    _(
        "Your enterprise's export qualification ends on 31 December. Applications for next "
        "year are open until %(day)s; apply in the portal to keep exporting."
    ),
    "enterprise__name_en",
)
QUALIFICATION_CLOSING = (
    _("One week left to apply for next year's export qualification"),
    _(
        "Applications for next year's export qualification close on %(day)s and your "
        "enterprise has not applied yet. Without it, no licence can be issued from 1 January."
    ),
    "enterprise__name_en",
)


# --- information requests ---------------------------------------------------------------


def _open_requests() -> QuerySet:
    return InformationRequest.objects.filter(
        answered_at__isnull=True, case__status=Case.Status.INFO_REQUESTED
    )


def remind_information_requests(as_of: date) -> int:
    """Remind applicants 2 working days before an answer is due, and once it is overdue."""
    days = settings.REMINDER_OFFSETS["information_request_due"]
    soon = WorkingCalendar.load(as_of, as_of).add_working_days(as_of, days)
    due_soon = _open_requests().filter(acting_members(APPLICANT), due_on__range=(as_of, soon))
    overdue = _open_requests().filter(acting_members(APPLICANT), due_on__lt=as_of)
    recipient = f"{APPLICANT}__user"
    return _enqueue(
        "case.information_due_soon", due_soon, recipient, "due_on", INFORMATION_DUE
    ) + _enqueue("case.information_overdue", overdue, recipient, "due_on", INFORMATION_OVERDUE)


def remind_caseworkers_of_overdue_answers(as_of: date) -> int:
    """Tell the assigned caseworker once that an applicant's answer is overdue."""
    rows = _open_requests().filter(case__assigned_to__is_active=True, due_on__lt=as_of)
    return _enqueue(
        "case.answer_overdue", rows, "case__assigned_to", "due_on", ANSWER_OVERDUE_CASEWORKER
    )


INFORMATION_DUE = (
    _("Case %(target)s: your answer is due on %(day)s"),
    _(
        "The ministry asked a question on case %(target)s. Answer it in the portal by %(day)s; "
        "the case cannot be decided until you do."
    ),
    "case__reference",
)
INFORMATION_OVERDUE = (
    _("Case %(target)s: your answer was due on %(day)s"),
    _(
        "The answer to the ministry's question on case %(target)s was due on %(day)s and has "
        "not been given. Answer it in the portal now."
    ),
    "case__reference",
)
ANSWER_OVERDUE_CASEWORKER = (
    _("Case %(target)s: the applicant's answer is overdue"),
    _("The applicant's answer on case %(target)s was due on %(day)s and has not arrived."),
    "case__reference",
)


# --- review deadlines (SLA) ---------------------------------------------------------------


def remind_sla(as_of: date) -> int:
    """Alert assignees (officers, if unassigned) to cases due within a working day or late."""
    tomorrow = WorkingCalendar.load(as_of, as_of).add_working_days(as_of, 1)
    running = Case.objects.is_open().filter(sla_due_on__isnull=False)
    stages = [
        ("case.sla_due_soon", running.filter(sla_due_on__range=(as_of, tomorrow)), SLA_DUE),
        ("case.sla_overdue", running.filter(sla_due_on__lt=as_of), SLA_OVERDUE),
    ]
    added = 0
    for kind, rows, text in stages:
        assigned = rows.filter(assigned_to__is_active=True)
        added += _enqueue(kind, assigned, "assigned_to", "sla_due_on", text)
        for officer_id in _officer_ids():
            unassigned = rows.filter(assigned_to__isnull=True)
            added += _enqueue(kind, unassigned, officer_id, "sla_due_on", text)
    return added


def _officer_ids() -> list[int]:
    officers = get_user_model().objects.filter(
        is_active=True, is_staff=True, groups__name=LICENSING_OFFICER
    )
    return list(officers.values_list("pk", flat=True).distinct())


SLA_DUE = (
    _("Case %(target)s must be decided by %(day)s"),
    _("The review deadline of case %(target)s is %(day)s, within one working day."),
    "reference",
)
SLA_OVERDUE = (
    _("Case %(target)s is past its review deadline"),
    _("The review deadline of case %(target)s was %(day)s. Decide it or record why not."),
    "reference",
)
