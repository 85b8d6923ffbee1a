"""Set-based reminders: one statement per stage, in the recipient's language, no duplicates."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from licensing.sweeps import remind_licences_expiring
from notifications.bulk import offset_windows
from notifications.models import Notification
from registry.models import UserProfile
from tests.licensing.licence_factories import issue_licence
from tests.registry.factories import MembershipFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 4)
UNTIL = date(2026, 4, 30)


def due_licences(count: int) -> list:
    made = []
    with time_machine.travel(TODAY, tick=False):
        for _ in range(count):
            licence = issue_licence(valid_from=TODAY, valid_until=UNTIL)
            MembershipFactory(enterprise=licence.holder, role="admin")
            made.append(licence)
    return made


def sweep_queries(as_of: date) -> int:
    with CaptureQueriesContext(connection) as captured:
        remind_licences_expiring(as_of)
    return len(captured.captured_queries)


def test_the_query_count_does_not_grow_with_the_due_rows():
    due_licences(1)
    one = sweep_queries(UNTIL - timedelta(days=30))
    due_licences(6)
    Notification.objects.all().delete()
    assert sweep_queries(UNTIL - timedelta(days=30)) == one
    assert Notification.objects.count() == 7


def test_a_rerun_adds_nothing_and_costs_the_same_few_queries():
    due_licences(3)
    first = sweep_queries(UNTIL - timedelta(days=30))
    assert sweep_queries(UNTIL - timedelta(days=30)) == first
    assert Notification.objects.count() == 3


def test_each_recipient_reads_the_reminder_in_their_own_language():
    english, chinese, undecided = due_licences(3)
    UserProfile.objects.create(user=chinese.holder.memberships.get().user, language="zh-hans")
    UserProfile.objects.create(user=undecided.holder.memberships.get().user, language="")
    remind_licences_expiring(UNTIL - timedelta(days=7))
    by_language = {n.target_id: n for n in Notification.objects.all()}
    assert by_language[str(undecided.pk)].language == "en"
    by_language = {
        n.language: n for n in Notification.objects.filter(target_id__in=[english.pk, chinese.pk])
    }
    assert by_language["en"].subject == f"Licence {english.number} expires on 2026-04-30"
    assert by_language["zh-hans"].subject == f"许可证 {chinese.number} 将于 2026-04-30 到期"
    assert "换证" in by_language["zh-hans"].body


def test_inactive_users_memberships_and_viewers_get_no_reminder():
    (licence,) = due_licences(1)
    MembershipFactory(enterprise=licence.holder, role="viewer")
    MembershipFactory(enterprise=licence.holder, is_active=False)
    MembershipFactory(enterprise=licence.holder, user__is_active=False)
    assert remind_licences_expiring(UNTIL - timedelta(days=7)) == 1


def test_offset_windows_cover_every_day_once_down_to_the_deadline():
    windows = offset_windows([7, 30, 14], date(2026, 1, 1))
    assert windows == [
        (30, date(2026, 1, 16), date(2026, 1, 31)),
        (14, date(2026, 1, 9), date(2026, 1, 15)),
        (7, date(2026, 1, 1), date(2026, 1, 8)),
    ]
