"""The case's history told to the applicant, in the words of the caseworkers' timeline.

Only events an applicant may read appear: recommendations, returns, overrides, internal
notes and priorities are the ministry's own steps and are left out; staff are named only as
"the ministry", and only the details an applicant already knows are shown.
"""

from typing import Any

from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.sentences import TimelineEntry, Vocabulary, event_details
from licensing.models import Case
from licensing.timeline import CASE_VOCABULARY

APPLICANT_VERBS = (
    "licensing.case.created",
    "licensing.case.updated",
    "licensing.document.added",
    "licensing.case.submitted",
    "licensing.case.assigned",
    "licensing.case.info_requested",
    "licensing.case.responded",
    "licensing.case.decided",
    "licensing.case.withdrawn",
)
APPLICANT_DETAILS = ("status", "due_on", "outcome", "doc_type", "name")

APPLICANT_VOCABULARY = Vocabulary(
    verbs={verb: CASE_VOCABULARY.verbs[verb] for verb in APPLICANT_VERBS},
    labels={key: CASE_VOCABULARY.labels[key] for key in APPLICANT_DETAILS},
    displays=CASE_VOCABULARY.displays,
)


def _who(event: AuditEvent, case: Case, reader: Any) -> str:
    if event.actor_id is not None and event.actor_id == reader.pk:
        return _("You")
    membership = getattr(event.actor, "membership", None) if event.actor_id else None
    if membership is not None and membership.enterprise_id == case.applicant_id:
        return event.actor.get_full_name() or event.actor.get_username()
    return _("The ministry")


def _entry(event: AuditEvent, case: Case, reader: Any) -> TimelineEntry:
    who = _who(event, case, reader)
    return TimelineEntry(
        seq=event.seq,
        occurred_at=event.occurred_at,
        who=who,
        sentence=str(APPLICANT_VOCABULARY.verbs[event.verb]) % {"who": who},
        details=event_details(event.payload or {}, APPLICANT_VOCABULARY),
    )


def case_timeline(case: Case, reader: Any) -> list[TimelineEntry]:
    """The applicant-visible history of the case, oldest first."""
    events = (
        AuditEvent.objects.for_target(case)
        .filter(verb__in=APPLICANT_VERBS)
        .select_related("actor__membership")
        .order_by("seq")
    )
    entries = [_entry(event, case, reader) for event in events]
    licence = getattr(case, "issued_licence", None)
    if licence is not None:
        sentence = _("Licence %(number)s was issued.") % {"number": licence.number}
        entries.append(TimelineEntry(0, licence.issued_at, _("The ministry"), sentence, []))
    return entries
