"""Two transactions enqueueing the same reminders at once leave exactly one row each."""

import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.db import close_old_connections, transaction

from licensing.sweeps import remind_licences_expiring
from notifications.models import Notification
from notifications.services import notification_enqueue
from tests.licensing.licence_factories import issue_licence
from tests.registry.factories import MembershipFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_enqueues_of_the_same_reminder_create_one_row(maker):
    barrier = threading.Barrier(2)
    results: list[object] = []

    def enqueue() -> None:
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                created = notification_enqueue(
                    recipient=maker,
                    kind="licence.expiring",
                    target=("licensing.licence", "1", "26-11-000001"),
                    subject="Expires soon",
                    body="On 30 June.",
                    due_on=date(2026, 6, 30),
                )
                results.append(created)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=enqueue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(result is None for result in results) == [False, True]
    assert Notification.objects.count() == 1


def test_two_concurrent_sweeps_queue_each_reminder_once():
    today, until = date(2026, 3, 4), date(2026, 4, 30)
    with time_machine.travel(today, tick=False):
        for _ in range(10):
            licence = issue_licence(valid_from=today, valid_until=until)
            MembershipFactory(enterprise=licence.holder, role="admin")
    barrier = threading.Barrier(2)
    added: list[int] = []

    def sweep() -> None:
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                added.append(remind_licences_expiring(until - timedelta(days=7)))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(added) == 10
    assert Notification.objects.count() == 10
