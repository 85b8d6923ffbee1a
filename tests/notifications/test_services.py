"""The outbox: idempotent enqueue, delivery with retries, marking read."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from config.errors import NotFound
from notifications import services
from notifications.models import Channel, Notification
from notifications.services import (
    notification_enqueue,
    notification_mark_read,
    notifications_claim,
    notifications_deliver_pending,
)
from tests.notifications.factories import NotificationFactory
from tests.notifications.mail_backends import OpenCountingBackend
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db
REFUSING = "tests.notifications.mail_backends.RefusingBackend"


def enqueue(recipient, *, kind="licence.expiring", target=None, due_on=date(2026, 6, 30)):
    return notification_enqueue(
        recipient=recipient,
        kind=kind,
        target=target or ("licensing.licence", "7", "26-11-000007"),
        subject="Licence 26-11-000007 expires soon",
        body="It expires on 30 June.",
        due_on=due_on,
    )


def test_enqueue_creates_a_pending_row_describing_a_model_target(maker, manufacturer):
    notification = enqueue(maker, target=manufacturer)
    assert notification.status == Notification.Status.PENDING
    assert notification.target_type == "registry.enterprise"
    assert notification.target_id == str(manufacturer.pk)
    assert notification.target_repr == str(manufacturer)


def test_enqueue_twice_for_the_same_due_date_returns_none_and_keeps_one_row(maker):
    assert enqueue(maker) is not None
    assert enqueue(maker) is None
    assert Notification.objects.count() == 1


def test_enqueue_without_due_date_is_still_sent_only_once(maker):
    assert enqueue(maker, due_on=None) is not None
    assert enqueue(maker, due_on=None) is None
    assert Notification.objects.count() == 1


def test_enqueue_for_another_due_date_kind_or_recipient_adds_a_row(maker, rival):
    enqueue(maker)
    assert enqueue(maker, due_on=date(2026, 7, 31)) is not None
    assert enqueue(maker, kind="licence.expired") is not None
    assert enqueue(rival) is not None
    assert Notification.objects.count() == 4


def test_a_duplicate_leaves_the_callers_transaction_usable(maker):
    with transaction.atomic():
        enqueue(maker)
        assert enqueue(maker) is None
        enqueue(maker, kind="another.kind")
    assert Notification.objects.count() == 2


def test_enqueue_writes_to_the_outbox_only_and_sends_nothing(maker):
    enqueue(maker)
    assert mail.outbox == []


def test_delivery_emails_the_recipient_and_marks_the_row_sent(maker):
    notification = enqueue(maker)
    assert notifications_deliver_pending() == {"sent": 1, "failed": 0, "retry": 0}
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None
    assert mail.outbox[0].to == [maker.email]
    assert mail.outbox[0].subject == "Licence 26-11-000007 expires soon"


def test_a_recipient_without_email_gets_the_notice_in_app_only_and_that_is_recorded(db, maker):
    user = UserFactory(email="")
    notification = enqueue(user)
    by_mail = enqueue(maker)
    notifications_deliver_pending()
    notification.refresh_from_db()
    by_mail.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.delivered_by == Channel.IN_APP
    assert by_mail.delivered_by == Channel.EMAIL
    assert [m.to for m in mail.outbox] == [[maker.email]]


def test_a_batch_is_sent_over_one_connection_with_a_stable_message_id(maker, settings):
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.OpenCountingBackend"
    OpenCountingBackend.opened, OpenCountingBackend.sent = 0, []
    rows = [enqueue(maker, due_on=date(2026, 6, day)) for day in range(1, 6)]
    assert notifications_deliver_pending()["sent"] == 5
    assert OpenCountingBackend.opened == 1
    ids = sorted(m.extra_headers["Message-ID"] for m in OpenCountingBackend.sent)
    assert ids == sorted(f"<notification-{n.pk}@ev-export.example>" for n in rows)


def test_an_unreachable_mail_server_leaves_the_whole_batch_for_a_retry(maker, settings):
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.RefusingToConnectBackend"
    enqueue(maker, due_on=date(2026, 6, 1))
    enqueue(maker, due_on=date(2026, 6, 2))
    assert notifications_deliver_pending() == {"sent": 0, "failed": 0, "retry": 2}
    assert set(Notification.objects.values_list("status", "attempts")) == {("pending", 1)}


def test_a_failed_send_is_retried_later_with_backoff(maker, settings):
    settings.EMAIL_BACKEND = REFUSING
    notification = enqueue(maker)
    assert notifications_deliver_pending() == {"sent": 0, "failed": 0, "retry": 1}
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert notification.attempts == 1
    assert "ConnectionRefusedError" in notification.last_error
    assert notification.next_attempt_at > timezone.now() + timedelta(minutes=1)
    assert notifications_deliver_pending() == {"sent": 0, "failed": 0, "retry": 0}


def test_delivery_gives_up_after_the_last_attempt(maker, settings):
    settings.EMAIL_BACKEND = REFUSING
    NotificationFactory(recipient=maker, attempts=services.MAX_ATTEMPTS - 1)
    assert notifications_deliver_pending() == {"sent": 0, "failed": 1, "retry": 0}
    assert Notification.objects.get().status == Notification.Status.FAILED


def test_a_claimed_row_cannot_be_claimed_again_until_its_lease_runs_out(maker):
    notification = NotificationFactory(recipient=maker)
    now = timezone.now()
    assert notifications_claim(now=now) == [notification.pk]
    assert notifications_claim(now=now) == []
    assert notifications_claim(now=now + services.claim_lease()) == [notification.pk]


def test_sent_and_failed_rows_are_never_claimed(maker):
    NotificationFactory(recipient=maker, status=Notification.Status.SENT)
    NotificationFactory(recipient=maker, status=Notification.Status.FAILED)
    assert notifications_claim() == []


def test_mark_read_records_the_time_once(maker):
    notification = enqueue(maker)
    notification_mark_read(actor=maker, notification=notification)
    first = Notification.objects.get().read_at
    notification_mark_read(actor=maker, notification=Notification.objects.get())
    assert first is not None
    assert Notification.objects.get().read_at == first


def test_mark_read_of_someone_elses_notification_is_not_found(maker, rival):
    notification = enqueue(maker)
    with pytest.raises(NotFound):
        notification_mark_read(actor=rival, notification=notification)
    assert Notification.objects.get().read_at is None
