"""A case's history as sentences, for the caseworker's case page and the applicant's portal."""

from datetime import date
from typing import Any

from django.db.models import TextChoices
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.sentences import Display, TimelineEntry, Vocabulary, event_entry
from licensing.checks import check_label
from licensing.models import Case, Document
from licensing.services.notes import STAFF_ONLY_VERBS

TIMELINE_LIMIT = 200


def _choice(choices: type[TextChoices]) -> Display:
    return lambda value: str(dict(choices.choices).get(value, _("Other")))


def _date(value: Any) -> str:
    try:
        return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return "—"


def _field_label(name: str) -> str:
    return str(Case._meta.get_field(name).verbose_name).capitalize()


CASE_VOCABULARY = Vocabulary(
    verbs={
        "licensing.case.created": _("%(who)s started the application"),
        "licensing.case.updated": _("%(who)s changed the application"),
        "licensing.case.submitted": _("%(who)s submitted the application"),
        "licensing.case.withdrawn": _("%(who)s withdrew the application"),
        "licensing.case.assigned": _("%(who)s assigned the case"),
        "licensing.case.info_requested": _("%(who)s asked the applicant for information"),
        "licensing.case.responded": _("%(who)s answered the request for information"),
        "licensing.case.recommended": _("%(who)s recommended a decision"),
        "licensing.case.decided": _("%(who)s decided the case"),
        "licensing.case.returned": _("%(who)s returned the case to the caseworker"),
        "licensing.case.note_added": _("%(who)s added an internal note"),
        "licensing.case.flagged": _("%(who)s changed the case's priority"),
        "licensing.eligibility.overridden": _("%(who)s accepted a failed screening check"),
        "licensing.document.added": _("%(who)s added a document"),
        "auth.permission.refused": _("%(who)s was refused an action"),
    },
    labels={
        "status": _("Status"),
        "assignee": _("Assigned to"),
        "question": _("Question"),
        "due_on": _("Due date"),
        "answer": _("Answer"),
        "outcome": _("Outcome"),
        "reasons": _("Reasons"),
        "reason": _("Reason"),
        "code": _("Check"),
        "doc_type": _("Document type"),
        "name": _("File"),
        "priority": _("Priority"),
        "text": _("Note"),
        **{name: _field_label(name) for name in ("contract_number", "payment_terms")},
        **{name: _field_label(name) for name in ("customs_port", "valid_from", "valid_until")},
    },
    displays={
        "status": _choice(Case.Status),
        "outcome": _choice(Case.Outcome),
        "priority": _choice(Case.Priority),
        "doc_type": _choice(Document.DocType),
        "code": check_label,
        "due_on": _date,
        "valid_from": _date,
        "valid_until": _date,
    },
    fallback=_("%(who)s recorded an action on the case"),
)


def case_timeline(
    case: Case, *, staff: bool = False, limit: int = TIMELINE_LIMIT
) -> list[TimelineEntry]:
    """The case's latest events, newest first, as sentences; staff-only ones only for staff."""
    events = AuditEvent.objects.for_target(case).select_related("actor")
    if not staff:
        events = events.exclude(verb__in=STAFF_ONLY_VERBS)
    return [event_entry(event, CASE_VOCABULARY) for event in events[:limit]]
