"""Two transactions enqueueing the same reminder at once leave exactly one row."""

import threading
from datetime import date

import pytest
from django.db import close_old_connections, transaction

from notifications.models import Notification
from notifications.services import notification_enqueue

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
