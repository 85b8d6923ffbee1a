"""The case workflow as data, and the one compare-and-swap that moves a case along it.

DESIGN.md §5. Every transition service in workflow.py calls `transition_apply`; the admin
buttons, the API and the tests read `TRANSITIONS` and `actions_available`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from audit.services import audit_record
from config.errors import ActionForbidden, FourEyesViolation, StaleVersion, TransitionNotAllowed
from licensing.models import Case
from licensing.services import sla
from registry.models import member_enterprise_id

S = Case.Status

# Who may take an action: the applicant's members, any assessor, the assigned assessor, an officer.
APPLICANT = "applicant"
CASEWORKER = "caseworker"
ASSIGNED_CASEWORKER = "assigned_caseworker"
OFFICER = "officer"

ASSESS_PERMISSION = "licensing.assess_case"
DECIDE_PERMISSION = "licensing.decide_case"


@dataclass(frozen=True)
class Transition:
    """One row of the workflow table."""

    action: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    who: str
    verb: str
    label: str

    @property
    def target(self) -> str:
        """The single target status (decide has two and picks one from the outcome)."""
        return self.targets[0]


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "submit", (S.DRAFT,), (S.SUBMITTED,), APPLICANT, "licensing.case.submitted", "Submit"
        ),
        Transition(
            "withdraw",
            (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.INFO_REQUESTED),
            (S.WITHDRAWN,),
            APPLICANT,
            "licensing.case.withdrawn",
            "Withdraw",
        ),
        Transition(
            "assign",
            (S.SUBMITTED,),
            (S.UNDER_REVIEW,),
            CASEWORKER,
            "licensing.case.assigned",
            "Assign",
        ),
        Transition(
            "request_info",
            (S.UNDER_REVIEW,),
            (S.INFO_REQUESTED,),
            ASSIGNED_CASEWORKER,
            "licensing.case.info_requested",
            "Request information",
        ),
        Transition(
            "respond",
            (S.INFO_REQUESTED,),
            (S.UNDER_REVIEW,),
            APPLICANT,
            "licensing.case.responded",
            "Respond",
        ),
        Transition(
            "recommend",
            (S.UNDER_REVIEW,),
            (S.RECOMMENDED,),
            ASSIGNED_CASEWORKER,
            "licensing.case.recommended",
            "Recommend",
        ),
        Transition(
            "decide",
            (S.RECOMMENDED,),
            (S.APPROVED, S.REFUSED),
            OFFICER,
            "licensing.case.decided",
            "Decide",
        ),
        Transition(
            "return",
            (S.RECOMMENDED,),
            (S.UNDER_REVIEW,),
            OFFICER,
            "licensing.case.returned",
            "Return to caseworker",
        ),
    )
}
ACTIONS = tuple(TRANSITIONS)
# The person who recommended a case may not decide it (DESIGN.md §5, four-eyes).
FOUR_EYES_ACTIONS = ("decide",)
FINAL_STATUSES = (S.APPROVED, S.REFUSED, S.WITHDRAWN)


def is_applicant_member(user: Any, case: Case) -> bool:
    """An active member of the applicant enterprise whose role lets them apply."""
    if member_enterprise_id(user) != case.applicant_id:
        return False
    return bool(user.membership.may_apply)


def _role_allows(user: Any, who: str, case: Case) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if who == APPLICANT:
        return is_applicant_member(user, case)
    if who == OFFICER:
        return bool(user.is_staff and user.has_perm(DECIDE_PERMISSION))
    return bool(user.is_staff and user.has_perm(ASSESS_PERMISSION))


def check_permission(*, actor: Any, case: Case, action: str) -> None:
    """Raise ActionForbidden unless this actor's role may take the action on this case."""
    spec = TRANSITIONS[action]
    if not _role_allows(actor, spec.who, case):
        raise ActionForbidden(_("You may not %(action)s this case.") % {"action": spec.label})
    if spec.who == ASSIGNED_CASEWORKER and case.assigned_to_id != actor.pk:
        raise ActionForbidden(_("Only the caseworker assigned to the case may do this."))
    if action in FOUR_EYES_ACTIONS and case.recommended_by_id == actor.pk:
        raise FourEyesViolation(_("You recommended this case; another officer must decide it."))


def check_source(*, case: Case, action: str) -> None:
    """Raise TransitionNotAllowed unless the case's status lets the action start."""
    if case.status not in TRANSITIONS[action].sources:
        raise TransitionNotAllowed(
            _("Cannot %(action)s a case that is %(status)s.")
            % {"action": TRANSITIONS[action].label.lower(), "status": case.get_status_display()}
        )


def actions_available(*, actor: Any, case: Case) -> list[str]:
    """The actions this actor may take on this case now (for buttons and links)."""
    available = []
    for action in ACTIONS:
        try:
            check_permission(actor=actor, case=case, action=action)
            check_source(case=case, action=action)
        except (ActionForbidden, TransitionNotAllowed):
            continue
        available.append(action)
    return available


def transition_apply(
    *,
    case: Case,
    action: str,
    actor: Any,
    target: str | None = None,
    expected_version: int | None = None,
    fields: dict[str, Any] | None = None,
    payload: dict[str, Any] | None = None,
    after: Callable[[Case], None] | None = None,
) -> Case:
    """Move the case from its status to the action's target if nobody moved it first.

    Compare-and-swap on (status, version) plus the audit event in one transaction; `after`
    runs inside that transaction once the row has moved (outcomes, notification outbox).
    """
    spec = TRANSITIONS[action]
    new_status = target or spec.target
    assert new_status in spec.targets, (action, new_status)
    check_source(case=case, action=action)
    version = case.version if expected_version is None else expected_version
    if version != case.version:
        raise StaleVersion(_("The case has changed since you loaded it; reload and try again."))
    old_status = case.status
    with transaction.atomic():
        moved = Case.objects.filter(pk=case.pk, status=old_status, version=version).update(
            status=new_status, version=F("version") + 1, **(fields or {})
        )
        if not moved:
            _raise_conflict(case, action)
        case.refresh_from_db()
        audit_record(
            actor=actor,
            verb=spec.verb,
            target=case,
            enterprise_id=case.applicant_id,
            payload={"old_status": old_status, "new_status": new_status, **(payload or {})},
        )
        if after is not None:
            after(case)
        sla.refresh_sla_due_on(case)
    return case


def _raise_conflict(case: Case, action: str) -> None:
    current = Case.objects.filter(pk=case.pk).values_list("status", flat=True).first()
    if current not in TRANSITIONS[action].sources:
        raise TransitionNotAllowed(_("Someone else has already moved this case on; reload it."))
    raise StaleVersion(_("The case has changed since you loaded it; reload and try again."))
