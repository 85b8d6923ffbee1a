"""Every (status, action, role) triple: allowed ones move the case, refused ones leave no trace."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from config.errors import ActionForbidden, TransitionNotAllowed
from licensing.models import Case
from licensing.services import workflow
from licensing.services.transitions import ACTIONS, ASSIGNED_CASEWORKER, TRANSITIONS
from tests.licensing.factories import case_in_status

pytestmark = pytest.mark.usefixtures("frozen_today")

ROLES = ("applicant", "viewer", "caseworker", "other_caseworker", "officer", "registrar", "rival")
# Who the workflow table means, spelled as the roles above (the caseworker is the assigned one).
ROLE_MAP = {
    "applicant": {"applicant"},
    "caseworker": {"caseworker", "other_caseworker", "officer"},
    "assigned_caseworker": {"caseworker"},
    "officer": {"officer"},
}
DECIDE_TARGET = Case.Status.APPROVED


def _call(action: str, actor, case: Case) -> Case:  # type: ignore[no-untyped-def]
    kwargs = {
        "request_info": {"question": "Why?", "due_on": timezone.localdate() + timedelta(days=5)},
        "respond": {"answer": "Because."},
        "recommend": {"outcome": "approve", "reasons": "Fine"},
        "decide": {"outcome": "approve", "reasons": "Fine"},
        "return": {"reason": "Look again"},
    }.get(action, {})
    return getattr(workflow, f"case_{action}")(actor=actor, case=case, **kwargs)


def _expected_error(action: str, role: str, case: Case) -> type | None:
    spec = TRANSITIONS[action]
    if role not in ROLE_MAP[spec.who]:
        return ActionForbidden
    if spec.who == ASSIGNED_CASEWORKER and case.assigned_to_id is None:
        return ActionForbidden
    if case.status not in spec.sources:
        return TransitionNotAllowed
    return None


@pytest.fixture
def actors(maker, viewer, caseworker, caseworker2, officer, registrar, rival):  # type: ignore[no-untyped-def]
    return dict(
        zip(ROLES, (maker, viewer, caseworker, caseworker2, officer, registrar, rival), strict=True)
    )


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", Case.Status.values)
def test_every_role_gets_exactly_what_the_transition_table_allows(status, action, actors):  # type: ignore[no-untyped-def]
    def fresh() -> Case:
        return case_in_status(
            status,
            applicant_user=actors["applicant"],
            caseworker=actors["caseworker"],
            officer=actors["officer"],
        )

    case = fresh()
    allowed = []
    for role in ROLES:
        error = _expected_error(action, role, case)
        if error is None:
            allowed.append(role)
            continue
        events_before = AuditEvent.objects.count()
        with pytest.raises(error):
            _call(action, actors[role], Case.objects.get(pk=case.pk))
        current = Case.objects.get(pk=case.pk)
        assert (current.status, current.version) == (case.status, case.version), role
        assert AuditEvent.objects.count() == events_before, role
    for role in allowed:
        case = Case.objects.get(pk=fresh().pk)
        version = case.version
        moved = _call(action, actors[role], case)
        spec = TRANSITIONS[action]
        assert moved.status == (DECIDE_TARGET if action == "decide" else spec.target)
        assert Case.objects.get(pk=case.pk).version == version + 1
        assert (
            AuditEvent.objects.filter(
                verb=spec.verb, target_id=str(case.pk), target_type="licensing.case"
            ).count()
            == 1
        )


def test_the_table_lets_every_status_be_reached_and_finals_have_no_way_out() -> None:
    targets = {t for spec in TRANSITIONS.values() for t in spec.targets}
    assert targets | {Case.Status.DRAFT} == set(Case.Status.values)
    finals = {Case.Status.APPROVED, Case.Status.REFUSED, Case.Status.WITHDRAWN}
    assert not any(finals & set(spec.sources) for spec in TRANSITIONS.values())
