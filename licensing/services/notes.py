"""Staff-only work on a case: internal notes and the triage priority.

Neither is shown to the applicant: the audit events carry no enterprise, so the
enterprise's own activity feed never lists them, and the portal timeline leaves them out.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from config.errors import ActionForbidden
from licensing.models import Case, CaseNote
from licensing.models.notes import NOTE_MAX_LENGTH
from licensing.services.transitions import ASSESS_PERMISSION, DECIDE_PERMISSION

NOTE_VERB = "licensing.case.note_added"
PRIORITY_VERB = "licensing.case.flagged"
STAFF_ONLY_VERBS = (NOTE_VERB, PRIORITY_VERB)


def may_work_on_cases(user: Any) -> bool:
    """Caseworkers and officers (not auditors) write notes and set priorities."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.has_perm(ASSESS_PERMISSION) or user.has_perm(DECIDE_PERMISSION))
    )


def case_note_add(*, actor: Any, case: Case, text: str) -> CaseNote:
    """Add an internal note to a case, audited, never shown to the applicant."""
    if not may_work_on_cases(actor):
        raise ActionForbidden(_("Only caseworkers and officers may write case notes."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note first.")})
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError({"text": _("A note has at most 5000 characters.")})
    with transaction.atomic():
        note = CaseNote.objects.create(case=case, author=actor, text=text)
        audit_record(
            actor=actor, verb=NOTE_VERB, target=case, payload={"note": note.pk, "text": text}
        )
    return note


def case_priority_set(*, actor: Any, case: Case, priority: str) -> Case:
    """Flag a case normal, high or urgent for the queue, audited."""
    if not may_work_on_cases(actor):
        raise ActionForbidden(_("Only caseworkers and officers may change a case's priority."))
    if priority not in Case.Priority.values:
        raise ValidationError({"priority": _("Choose normal, high or urgent.")})
    with transaction.atomic():
        old = Case.objects.select_for_update().values_list("priority", flat=True).get(pk=case.pk)
        if old == priority:
            return case
        Case.objects.filter(pk=case.pk).update(priority=priority)
        case.priority = priority
        audit_record(
            actor=actor,
            verb=PRIORITY_VERB,
            target=case,
            payload={"old_priority": old, "new_priority": priority},
        )
    return case
