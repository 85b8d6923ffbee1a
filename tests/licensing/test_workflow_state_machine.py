"""Random actors taking random actions: the workflow's invariants always hold."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from audit.models import AuditEvent
from audit.verification import verify_database
from config.errors import DomainError
from licensing.models import Case
from licensing.services import workflow
from licensing.services.transitions import ACTIONS, TRANSITIONS
from registry.roles import CASEWORKER, LICENSING_OFFICER
from tests.conftest import staff_user
from tests.licensing.factories import draft_case
from tests.registry.factories import EnterpriseFactory, MembershipFactory

TRANSITION_VERBS = {spec.verb for spec in TRANSITIONS.values()}


class CaseWorkflowMachine(RuleBasedStateMachine):
    """One case, a crowd of people trying things on it."""

    def __init__(self) -> None:
        super().__init__()
        enterprise = EnterpriseFactory()
        self.applicant = MembershipFactory(enterprise=enterprise, role="admin").user
        tag = self.applicant.pk
        self.actors = [
            self.applicant,
            MembershipFactory(enterprise=enterprise, role="viewer").user,
            MembershipFactory().user,
            staff_user(f"sm-cw-{tag}", CASEWORKER),
            staff_user(f"sm-off1-{tag}", LICENSING_OFFICER),
            staff_user(f"sm-off2-{tag}", LICENSING_OFFICER),
        ]
        self.case = draft_case(self.applicant)
        self.successes = 0

    @rule(
        who=st.integers(min_value=0, max_value=5),
        action=st.sampled_from(ACTIONS),
        outcome=st.sampled_from(["approve", "refuse"]),
    )
    def act(self, who: int, action: str, outcome: str) -> None:
        actor = self.actors[who]
        case = Case.objects.get(pk=self.case.pk)
        extra = {
            "request_info": {"question": "Q?", "due_on": timezone.localdate() + timedelta(days=5)},
            "respond": {"answer": "A."},
            "recommend": {"outcome": outcome, "reasons": "R"},
            "decide": {"outcome": outcome, "reasons": "R"},
            "return": {"reason": "R"},
        }.get(action, {})
        try:
            getattr(workflow, f"case_{action}")(actor=actor, case=case, **extra)
        except (DomainError, ValidationError):
            return
        self.successes += 1

    @invariant()
    def status_is_in_the_table(self) -> None:
        assert Case.objects.get(pk=self.case.pk).status in Case.Status.values

    @invariant()
    def decider_is_never_the_recommender(self) -> None:
        case = Case.objects.get(pk=self.case.pk)
        assert case.decided_by_id is None or case.decided_by_id != case.recommended_by_id

    @invariant()
    def one_event_per_successful_transition(self) -> None:
        events = AuditEvent.objects.filter(
            target_type="licensing.case", target_id=str(self.case.pk), verb__in=TRANSITION_VERBS
        ).count()
        assert events == self.successes

    def teardown(self) -> None:
        assert verify_database(key=settings.AUDIT_SIGNING_KEY).ok


@pytest.mark.django_db
def test_random_actors_and_actions_never_break_the_workflow(frozen_today):  # type: ignore[no-untyped-def]
    run_state_machine_as_test(
        CaseWorkflowMachine,
        settings=hypothesis_settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
