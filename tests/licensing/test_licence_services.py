"""Issuing licences, officer and system actions over every status, exchange."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from config.errors import ActionForbidden, Conflict, StaleVersion, TransitionNotAllowed
from licensing.models import Case, Licence
from licensing.services.issuance import licence_issue_for_case
from licensing.services.licences import (
    LICENCE_ACTIONS,
    OFFICER_ACTIONS,
    licence_act,
    licence_actions_available,
    licence_exhaust,
    licence_expire,
)
from notifications.models import Notification
from tests.licensing.factories import CaseFactory, CaseLineFactory
from tests.licensing.licence_factories import issue_licence
from tests.registry.factories import MembershipFactory

S = Licence.Status
pytestmark = pytest.mark.django_db


def licence_in(status: str, **kwargs) -> Licence:
    licence = issue_licence(**kwargs)
    Licence.objects.filter(pk=licence.pk).update(status=status)
    licence.refresh_from_db()
    return licence


@time_machine.travel(date(2026, 3, 4), tick=False)
def test_an_approved_licence_case_issues_a_numbered_licence_with_its_lines():
    licence = issue_licence(quantities=(10, 5), use_mode=Case.UseMode.MULTI)
    assert licence.number == f"26-{licence.issuing_office.code}-000001"
    assert licence.status == S.ACTIVE
    assert licence.uses_left == 12
    assert licence.valid_from == date(2026, 3, 4)
    assert licence.valid_until == date(2026, 9, 3)
    assert sorted(line.remaining for line in licence.lines.all()) == [5, 10]
    assert all(line.remaining == line.licensed_quantity for line in licence.lines.all())
    event = AuditEvent.objects.for_target(licence).first()
    assert event.verb == "licensing.licence.issued"


@time_machine.travel(date(2026, 3, 4), tick=False)
def test_a_single_use_licence_has_one_declaration():
    assert issue_licence(use_mode=Case.UseMode.SINGLE).uses_left == 1


@time_machine.travel(date(2026, 12, 12), tick=False)
def test_from_10_december_a_case_may_get_next_years_licence_numbered_for_next_year():
    licence = issue_licence(valid_from=date(2027, 1, 1), valid_until=date(2027, 5, 31))
    assert licence.number.startswith("27-")
    assert (licence.valid_from, licence.valid_until) == (date(2027, 1, 1), date(2027, 5, 31))


@time_machine.travel(date(2026, 12, 20), tick=False)
def test_a_licence_issued_late_in_december_ends_on_31_december():
    licence = issue_licence(valid_from=date(2026, 12, 20), valid_until=None)
    assert licence.valid_until == date(2026, 12, 31)


@time_machine.travel(date(2026, 3, 4), tick=False)
def test_a_case_naming_a_model_twice_gets_one_line_with_the_weighted_price():
    case = CaseFactory(status=Case.Status.APPROVED, valid_from=date(2026, 3, 4))
    first = CaseLineFactory(case=case, quantity=1, unit_price_usd=10)
    CaseLineFactory(case=case, vehicle_model=first.vehicle_model, quantity=3, unit_price_usd=20)
    licence = licence_issue_for_case(case=case, actor=None)
    (line,) = licence.lines.all()
    assert (line.licensed_quantity, str(line.unit_price_usd)) == (4, "17.50")


@time_machine.travel(date(2026, 3, 4), tick=False)
def test_issuing_notifies_every_active_member_of_the_holder():
    case = CaseFactory(status=Case.Status.APPROVED, valid_from=date(2026, 3, 4))
    CaseLineFactory(case=case)
    MembershipFactory(enterprise=case.applicant)
    MembershipFactory(enterprise=case.applicant, is_active=False)
    licence = licence_issue_for_case(case=case, actor=None)
    assert (
        Notification.objects.filter(kind="licence_issued", target_id=str(licence.pk)).count() == 1
    )


# --- every status × action --------------------------------------------------------------

OFFICER_TABLE = [(status, action) for status in S.values for action in OFFICER_ACTIONS]


@pytest.mark.parametrize(("status", "action"), OFFICER_TABLE)
@time_machine.travel(date(2026, 3, 4), tick=False)
def test_officer_actions_over_every_status(status, action, officer):
    licence = licence_in(status)
    spec = LICENCE_ACTIONS[action]
    if status not in spec.sources:
        with pytest.raises(TransitionNotAllowed):
            licence_act(licence=licence, action=action, actor=officer, reason="Audit finding")
        licence.refresh_from_db()
        assert licence.status == status
        return
    licence_act(licence=licence, action=action, actor=officer, reason="Audit finding")
    licence.refresh_from_db()
    assert licence.status == spec.target
    assert licence.status_reason == "Audit finding"
    assert licence.version == 2
    event = AuditEvent.objects.for_target(licence).first()
    assert event.verb == spec.verb
    assert event.payload["reason"] == "Audit finding"


@pytest.mark.parametrize("status", S.values)
@time_machine.travel(date(2026, 3, 4), tick=False)
def test_expire_applies_to_active_and_suspended_licences_past_validity(status):
    licence = licence_in(status)
    allowed = status in LICENCE_ACTIONS["expire"].sources
    with time_machine.travel(licence.valid_until + timedelta(days=1)):
        if not allowed:
            with pytest.raises(TransitionNotAllowed):
                licence_expire(licence=licence)
            return
        licence_expire(licence=licence)
    assert Licence.objects.get(pk=licence.pk).status == S.EXPIRED


@time_machine.travel(date(2026, 3, 4), tick=False)
def test_a_licence_within_validity_does_not_expire():
    with pytest.raises(TransitionNotAllowed):
        licence_expire(licence=issue_licence())


@pytest.mark.parametrize("status", S.values)
@time_machine.travel(date(2026, 3, 4), tick=False)
def test_exhaust_applies_only_to_active_licences(status):
    licence = licence_in(status)
    if status != S.ACTIVE:
        with pytest.raises(TransitionNotAllowed):
            licence_exhaust(licence=licence)
        return
    licence_exhaust(licence=licence)
    assert Licence.objects.get(pk=licence.pk).status == S.EXHAUSTED


@pytest.mark.parametrize("action", ["expire", "exhaust", "exchange"])
@time_machine.travel(date(2026, 3, 4), tick=False)
def test_system_actions_cannot_be_taken_by_an_officer(action, officer):
    with pytest.raises(ActionForbidden):
        licence_act(licence=issue_licence(), action=action, actor=officer, reason="x")


@time_machine.travel(date(2026, 3, 4), tick=False)
def test_a_caseworker_or_portal_user_may_not_suspend(caseworker, maker):
    licence = issue_licence()
    for actor in (caseworker, maker):
        with pytest.raises(ActionForbidden):
            licence_act(licence=licence, action="suspend", actor=actor, reason="x")
    assert Licence.objects.get(pk=licence.pk).status == S.ACTIVE


@time_machine.travel(date(2026, 3, 4), tick=False)
def test_officer_actions_need_a_reason(officer):
    licence = issue_licence()
    with pytest.raises(ValidationError) as caught:
        licence_act(licence=licence, action="suspend", actor=officer, reason="   ")
    assert "reason" in caught.value.message_dict


@time_machine.travel(date(2026, 3, 4), tick=False)
def test_acting_on_an_out_of_date_version_is_a_conflict(officer, officer2):
    licence = issue_licence()
    stale = Licence.objects.get(pk=licence.pk)
    licence_act(licence=licence, action="suspend", actor=officer, reason="one")
    with pytest.raises(StaleVersion):
        licence_act(
            licence=licence, action="reinstate", actor=officer2, reason="two", expected_version=1
        )
    with pytest.raises(TransitionNotAllowed):
        licence_act(licence=stale, action="suspend", actor=officer2, reason="again")


@time_machine.travel(date(2026, 3, 4), tick=False)
def test_suspension_notifies_the_holders_members(officer):
    licence = issue_licence()
    MembershipFactory(enterprise=licence.holder)
    licence_act(licence=licence, action="suspend", actor=officer, reason="Breach")
    assert Notification.objects.filter(kind="licence_suspend").count() == 1


@time_machine.travel(date(2026, 3, 4), tick=False)
def test_buttons_offered_follow_the_table(officer, caseworker):
    licence = issue_licence()
    assert licence_actions_available(actor=officer, licence=licence) == ["suspend", "revoke"]
    assert licence_actions_available(actor=caseworker, licence=licence) == []


# --- exchange ---------------------------------------------------------------------------


def exchange_case_for(old: Licence, **fields) -> Case:
    fields.setdefault("valid_from", date(2026, 4, 1))
    return CaseFactory(
        kind=Case.Kind.EXCHANGE,
        status=Case.Status.APPROVED,
        applicant=old.holder,
        brand=old.brand,
        licence_to_exchange=old,
        use_mode=old.use_mode,
        **fields,
    )


@time_machine.travel(date(2026, 4, 1), tick=False)
def test_exchange_marks_the_old_licence_exchanged_and_carries_over_what_remains():
    old = issue_licence(quantities=(10, 4), valid_from=date(2026, 4, 1))
    first, second = old.lines.all()
    type(first).objects.filter(pk=first.pk).update(remaining=3)
    type(second).objects.filter(pk=second.pk).update(remaining=0)
    Licence.objects.filter(pk=old.pk).update(uses_left=7)
    new = licence_issue_for_case(case=exchange_case_for(old, customs_port="Ningbo"), actor=None)
    old.refresh_from_db()
    assert old.status == S.EXCHANGED
    assert new.replaces == old
    assert new.customs_port == "Ningbo"
    assert new.uses_left == 7
    assert [(line.vehicle_model_id, line.licensed_quantity) for line in new.lines.all()] == [
        (first.vehicle_model_id, 3)
    ]


@pytest.mark.parametrize("status", [s for s in S.values if s != S.ACTIVE])
@time_machine.travel(date(2026, 4, 1), tick=False)
def test_only_an_active_licence_can_be_exchanged(status):
    old = licence_in(status, valid_from=date(2026, 4, 1))
    with pytest.raises(Conflict) as caught:
        licence_issue_for_case(case=exchange_case_for(old), actor=None)
    assert caught.value.code == "licence_not_usable"
    assert Licence.objects.count() == 1


@time_machine.travel(date(2026, 4, 1), tick=False)
def test_an_exchange_of_another_enterprises_licence_is_refused():
    old = issue_licence(valid_from=date(2026, 4, 1))
    case = CaseFactory(
        kind=Case.Kind.EXCHANGE, status=Case.Status.APPROVED, licence_to_exchange=old
    )
    with pytest.raises(Conflict):
        licence_issue_for_case(case=case, actor=None)
