"""Daily sweeps: expiry past validity, renewal reminders 30 days ahead (idempotent)."""

from datetime import date, timedelta

import pytest
import time_machine

from licensing.models import Licence
from licensing.sweeps import SWEEPS, expire_licences, remind_licences_expiring
from notifications.discovery import discover_sweeps
from notifications.models import Notification
from tests.licensing.licence_factories import issue_licence
from tests.registry.factories import MembershipFactory

S = Licence.Status
TODAY = date(2026, 3, 4)
pytestmark = pytest.mark.django_db


def licence_with_member(**kwargs) -> Licence:
    with time_machine.travel(TODAY, tick=False):
        licence = issue_licence(valid_from=TODAY, **kwargs)
    MembershipFactory(enterprise=licence.holder)
    return licence


def test_the_sweeps_are_discovered_by_the_notifications_runner():
    names = [name for name, _ in discover_sweeps()]
    assert "licensing.expire_licences" in names
    assert "licensing.remind_licences_expiring" in names
    assert [expire_licences, remind_licences_expiring] == SWEEPS[:2]


def test_licences_expire_the_day_after_their_last_valid_day():
    active = licence_with_member()
    suspended = licence_with_member()
    Licence.objects.filter(pk=suspended.pk).update(status=S.SUSPENDED)
    revoked = licence_with_member()
    Licence.objects.filter(pk=revoked.pk).update(status=S.REVOKED)
    assert expire_licences(active.valid_until) == 0
    assert expire_licences(active.valid_until + timedelta(days=1)) == 2
    assert Licence.objects.get(pk=active.pk).status == S.EXPIRED
    assert Licence.objects.get(pk=suspended.pk).status == S.EXPIRED
    assert Licence.objects.get(pk=revoked.pk).status == S.REVOKED
    assert expire_licences(active.valid_until + timedelta(days=2)) == 0


def test_holders_are_reminded_30_14_and_7_days_before_expiry_once_each():
    licence = licence_with_member()
    sent = {
        days: remind_licences_expiring(licence.valid_until - timedelta(days=days))
        for days in (31, 30, 29, 15, 14, 13, 8, 7, 6, 0)
    }
    assert sent == {31: 0, 30: 1, 29: 0, 15: 0, 14: 1, 13: 0, 8: 0, 7: 1, 6: 0, 0: 0}
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds == {"licence.expiring.30d", "licence.expiring.14d", "licence.expiring.7d"}
    notice = Notification.objects.get(kind="licence.expiring.7d")
    assert notice.due_on == licence.valid_until
    assert notice.subject == f"Licence {licence.number} expires on {licence.valid_until}"
    assert notice.target_type == "licensing.licence"
    assert notice.target_id == str(licence.pk)


def test_a_missed_day_still_sends_the_stage_that_applies_and_only_that():
    licence = licence_with_member()
    assert remind_licences_expiring(licence.valid_until - timedelta(days=10)) == 1
    assert Notification.objects.get().kind == "licence.expiring.14d"


def test_a_licence_with_nothing_left_to_ship_gets_no_expiry_reminder():
    licence = licence_with_member()
    licence.lines.update(remaining=0)
    assert remind_licences_expiring(licence.valid_until - timedelta(days=7)) == 0


def test_licences_no_longer_active_get_no_reminder():
    licence = licence_with_member()
    Licence.objects.filter(pk=licence.pk).update(status=S.SUSPENDED)
    assert remind_licences_expiring(licence.valid_until - timedelta(days=10)) == 0


def test_holders_hear_once_that_a_licence_has_no_declaration_left_but_vehicles_to_ship():
    from licensing.sweeps import remind_licences_without_declarations

    used_up = licence_with_member()
    Licence.objects.filter(pk=used_up.pk).update(status=S.EXHAUSTED, uses_left=0)
    shipped = licence_with_member()
    Licence.objects.filter(pk=shipped.pk).update(status=S.EXHAUSTED, uses_left=0)
    shipped.lines.update(remaining=0)
    assert remind_licences_without_declarations(TODAY) == 1
    assert remind_licences_without_declarations(TODAY + timedelta(days=1)) == 0
    notice = Notification.objects.get()
    assert notice.kind == "licence.no_declarations_left"
    assert notice.target_id == str(used_up.pk)
    assert remind_licences_without_declarations(used_up.valid_until + timedelta(days=1)) == 0
