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
    assert [expire_licences, remind_licences_expiring] == SWEEPS


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


def test_holders_are_reminded_30_days_before_expiry_once():
    licence = licence_with_member()
    assert remind_licences_expiring(licence.valid_until - timedelta(days=31)) == 0
    assert remind_licences_expiring(licence.valid_until - timedelta(days=30)) == 1
    assert remind_licences_expiring(licence.valid_until - timedelta(days=29)) == 0
    notice = Notification.objects.get(kind="licence_expiring")
    assert notice.due_on == licence.valid_until
    assert licence.number in notice.subject


def test_licences_no_longer_active_get_no_reminder():
    licence = licence_with_member()
    Licence.objects.filter(pk=licence.pk).update(status=S.SUSPENDED)
    assert remind_licences_expiring(licence.valid_until - timedelta(days=10)) == 0
