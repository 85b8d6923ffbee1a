"""The case's history told to the applicant: sentences built from the audit trail.

Only events an applicant may read appear: recommendations, returns and overrides are the
ministry's internal steps and are left out, and staff are named only as "the ministry".
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from audit.models import AuditEvent
from licensing.models import Case, Document

Sentence = Any  # a function (event payload, who) -> text


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened to the case, as the applicant reads it."""

    at: datetime
    text: str


def _document_added(payload: dict[str, Any], who: str) -> str:
    kind = payload.get("doc_type", "")
    label = Document.DocType(kind).label if kind in Document.DocType.values else _("document")
    return _("%(who)s added %(kind)s: %(name)s.") % {
        "who": who,
        "kind": label,
        "name": payload.get("name", ""),
    }


def _decided(payload: dict[str, Any], who: str) -> str:
    if payload.get("outcome") == Case.Outcome.APPROVE:
        return _("The ministry approved the application.")
    return _("The ministry refused the application.")


SENTENCES: dict[str, Sentence] = {
    "licensing.case.created": lambda p, who: _("%(who)s started the application.") % {"who": who},
    "licensing.case.updated": lambda p, who: _("%(who)s changed the draft.") % {"who": who},
    "licensing.document.added": _document_added,
    "licensing.case.submitted": lambda p, who: (
        _("%(who)s submitted the application.") % {"who": who}
    ),
    "licensing.case.assigned": lambda p, who: _("A caseworker started reviewing the application."),
    "licensing.case.info_requested": lambda p, who: (
        _("The ministry asked for more information, due %(due)s.") % {"due": p.get("due_on", "")}
    ),
    "licensing.case.responded": lambda p, who: (
        _("%(who)s answered the information request.") % {"who": who}
    ),
    "licensing.case.decided": _decided,
    "licensing.case.withdrawn": lambda p, who: (
        _("%(who)s withdrew the application.") % {"who": who}
    ),
}


def _who(event: AuditEvent, case: Case, reader: Any) -> str:
    if event.actor_id is not None and event.actor_id == reader.pk:
        return _("You")
    membership = getattr(event.actor, "membership", None) if event.actor_id else None
    if membership is not None and membership.enterprise_id == case.applicant_id:
        return event.actor.get_username()
    return _("The ministry")


def case_timeline(case: Case, reader: Any) -> list[TimelineEntry]:
    """The applicant-visible history of the case, oldest first."""
    events = (
        AuditEvent.objects.for_target(case)
        .filter(verb__in=list(SENTENCES))
        .select_related("actor__membership")
        .order_by("seq")
    )
    entries = [
        TimelineEntry(
            event.occurred_at, SENTENCES[event.verb](event.payload, _who(event, case, reader))
        )
        for event in events
    ]
    licence = getattr(case, "issued_licence", None)
    if licence is not None and licence.issued_at:
        entries.append(
            TimelineEntry(
                licence.issued_at, _("Licence %(number)s was issued.") % {"number": licence.number}
            )
        )
    return entries
