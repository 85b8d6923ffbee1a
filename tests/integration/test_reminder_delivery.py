"""Reminder delivery with a real Redis and real worker processes: crashes and broker outages.

The worker's mail goes to a file sink (tests.notifications.mail_backends) that records one
line per accepted message, so the test counts what recipients would have received.
"""

import logging
import os
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from config.celery import app as celery_app
from notifications.models import Notification
from notifications.services import notification_enqueue
from notifications.tasks import deliver_pending
from tests.integration.test_celery_worker import queue, start_worker, stop_worker  # noqa: F401
from tests.registry.factories import UserFactory

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]
HOLDING_SINK = "tests.notifications.mail_backends.HoldingFileBackend"
DEADLINE_SECONDS = 90
REMINDERS = 1000


def sink_env(sink: Path, **extra: str) -> dict[str, str]:
    return {
        "REDIS_URL": os.environ["REDIS_URL"],
        "TEST_EMAIL_BACKEND": HOLDING_SINK,
        "MAIL_SINK_FILE": str(sink),
        "NOTIFICATION_CLAIM_LEASE_SECONDS": "3",
        **extra,
    }


def due_reminders(count: int) -> set[int]:
    user = UserFactory(email="export.manager@jade-river.example")
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind="licence.expiring.30d",
            target_type="licensing.licence",
            target_id=str(n),
            target_repr=f"26-11-{n:06d}",
            due_on=date(2026, 12, 31),
            subject=f"Licence 26-11-{n:06d} expires on 2026-12-31",
            body="Ship the vehicles or apply to exchange the licence.",
            next_attempt_at=now,
        )
        for n in range(count)
    )
    return set(Notification.objects.values_list("pk", flat=True))


def wait_for(condition, what: str, log: Path) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    while time.monotonic() - started < DEADLINE_SECONDS:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}:\n{log.read_text()[-4000:]}")


def deliver_until_done(queue_name: str, log: Path) -> None:  # noqa: F811
    """Send the delivery task every 2 seconds, as beat does every minute, until none is left."""
    started = time.monotonic()
    while time.monotonic() - started < DEADLINE_SECONDS:
        deliver_pending.apply_async(queue=queue_name)
        time.sleep(2)
        if not Notification.objects.exclude(status=Notification.Status.SENT).exists():
            return
    left = Counter(Notification.objects.values_list("status", flat=True))
    pytest.fail(f"reminders left undelivered ({left}):\n{log.read_text()[-4000:]}")


def received(sink: Path) -> Counter[int]:
    return Counter(int(line) for line in sink.read_text().split())


def test_a_worker_killed_mid_delivery_and_restarted_sends_each_reminder_exactly_once(
    queue,  # noqa: F811
    tmp_path,
):
    expected = due_reminders(REMINDERS)
    sink = tmp_path / "sink.txt"
    sink.touch()
    log = tmp_path / "worker.log"
    worker = start_worker(queue=queue, env=sink_env(sink, MAIL_SINK_HOLD_AT="400"), log=log)
    try:
        deliver_pending.apply_async(queue=queue)
        wait_for(Path(f"{sink}.holding").exists, "the 400th message in flight", log)
        worker.kill()  # SIGKILL: no clean-up, the claimed batch keeps its lease
        worker.wait(timeout=20)
    finally:
        stop_worker(worker)
    before_crash = received(sink)
    assert 0 < sum(before_crash.values()) < REMINDERS
    log = tmp_path / "restarted.log"
    restarted = start_worker(queue=queue, env=sink_env(sink), log=log)
    try:
        deliver_until_done(queue, log)
    finally:
        stop_worker(restarted)
    copies = received(sink)
    assert set(copies) == expected
    assert set(copies.values()) == {1}
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_a_notice_queued_while_the_broker_is_down_is_delivered_after_recovery(
    queue,  # noqa: F811
    tmp_path,
    monkeypatch,
    caplog,
):
    connect = celery_app.connection_for_write
    caplog.set_level(logging.WARNING, logger="notifications.services")
    with monkeypatch.context() as outage:
        # Drop the pooled connections so the next message must connect again.
        outage.setattr(celery_app, "_pool", None)
        outage.setattr(celery_app.amqp, "_producer_pool", None)
        outage.setattr(
            celery_app, "connection_for_write", lambda: connect(url="redis://127.0.0.1:9/0")
        )
        with transaction.atomic():
            notice = notification_enqueue(
                recipient=UserFactory(email="officer@mofcom.example"),
                kind="case_assigned",
                target=("licensing.case", "1", "LC-2026-000001"),
                subject="Case LC-2026-000001 assigned to you",
                body="",
            )
    assert "broker unreachable" in caplog.text
    notice.refresh_from_db()
    assert notice.status == Notification.Status.PENDING
    sink = tmp_path / "sink.txt"
    sink.touch()
    log = tmp_path / "worker.log"
    worker = start_worker(queue=queue, env=sink_env(sink), log=log)
    try:
        deliver_until_done(queue, log)
    finally:
        stop_worker(worker)
    assert received(sink) == Counter({notice.pk: 1})
