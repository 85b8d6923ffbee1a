"""Operating the outbox: resend, staff's own notifications, health figures, broker outages."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from config.celery import app as celery_app
from config.errors import ActionForbidden, TransitionNotAllowed
from notifications.models import Notification
from notifications.services import (
    notification_enqueue,
    notification_resend,
    notifications_deliver_pending,
)
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db
S = Notification.Status
CHANGELIST = "admin:notifications_notification_changelist"


@pytest.fixture
def failed(maker):
    return NotificationFactory(
        recipient=maker, status=S.FAILED, attempts=5, last_error="SMTPServerDisconnected: gone"
    )


def test_an_officer_resends_a_failed_notification_and_it_is_audited(failed, officer):
    notification_resend(notification=failed, actor=officer)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (S.PENDING, 0)
    event = AuditEvent.objects.get(verb="notifications.notification.resent")
    assert event.target_id == str(failed.pk)
    assert notifications_deliver_pending()["sent"] == 1
    assert len(mail.outbox) == 1


def test_only_a_failed_notification_can_be_resent(maker, officer):
    sent = NotificationFactory(recipient=maker, status=S.SENT)
    with pytest.raises(TransitionNotAllowed):
        notification_resend(notification=sent, actor=officer)
    assert Notification.objects.get().status == S.SENT
    assert not AuditEvent.objects.filter(verb="notifications.notification.resent").exists()


def test_a_caseworker_or_portal_user_may_not_resend(failed, caseworker, maker):
    for actor in (caseworker, maker):
        with pytest.raises(ActionForbidden):
            notification_resend(notification=failed, actor=actor)
    assert Notification.objects.get().status == S.FAILED


def test_the_admin_resend_action_calls_the_service(client, failed, officer, maker):
    sent = NotificationFactory(recipient=maker, status=S.SENT)
    client.force_login(officer)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "resend", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "1 notification will be sent again." in text
    assert "Only a notification whose delivery failed can be resent." in text
    assert Notification.objects.get(pk=failed.pk).status == S.PENDING


def test_the_resend_action_is_not_offered_to_a_caseworker(client, failed, caseworker):
    client.force_login(caseworker)
    response = client.get(reverse(CHANGELIST))
    assert 'value="resend"' not in response.content.decode()


def test_the_outbox_filters_by_kind_name_status_and_delivery_problem(
    client, failed, officer, maker
):
    NotificationFactory(recipient=maker, kind="licence.expiring.30d", subject="Expiring soon")
    NotificationFactory(recipient=maker, status=S.PENDING, attempts=2, subject="Retrying now")
    client.force_login(officer)
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert "Licence expiring, 30 days ahead" in page
    assert "licence.expiring.30d</a>" not in page
    by_kind = client.get(reverse(CHANGELIST), {"kind": "licence.expiring.30d"}).content.decode()
    assert "Expiring soon" in by_kind
    assert "Retrying now" not in by_kind
    retrying = client.get(reverse(CHANGELIST), {"problem": "retrying"}).content.decode()
    assert "Retrying now" in retrying
    assert "Expiring soon" not in retrying
    gave_up = client.get(reverse(CHANGELIST), {"problem": "failed"}).content.decode()
    assert failed.subject in gave_up
    assert "Retrying now" not in gave_up


def test_staff_read_their_own_notifications_in_the_admin_and_mark_them_read(
    client, caseworker, maker
):
    own = NotificationFactory(recipient=caseworker, kind="case_assigned", subject="Yours to do")
    NotificationFactory(recipient=maker, subject="Not for staff eyes")
    client.force_login(caseworker)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Your notifications: 1 unread" in index
    page = client.get(reverse("admin:notifications_mine")).content.decode()
    assert "Yours to do" in page
    assert "Case assigned" in page
    assert "Not for staff eyes" not in page
    client.post(reverse("admin:notifications_mark_read", args=[own.pk]))
    assert Notification.objects.get(pk=own.pk).read_at is not None


def test_marking_someone_elses_notification_read_changes_nothing(client, caseworker, maker):
    other = NotificationFactory(recipient=maker)
    client.force_login(caseworker)
    response = client.post(reverse("admin:notifications_mark_read", args=[other.pk]))
    assert response.status_code == 302
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_healthz_reports_pending_and_failed_counts_and_the_oldest_pending_age(client, maker):
    with time_machine.travel(timezone.now() - timedelta(minutes=5), tick=False):
        NotificationFactory(recipient=maker)
    NotificationFactory(recipient=maker)
    NotificationFactory(recipient=maker, status=S.FAILED)
    NotificationFactory(recipient=maker, status=S.SENT)
    outbox = client.get("/healthz").json()["details"]["outbox"]
    assert outbox["pending"] == 2
    assert outbox["failed"] == 1
    assert 295 <= outbox["oldest_pending_seconds"] <= 400


def test_an_unreachable_broker_at_commit_leaves_the_row_for_the_next_round(
    maker, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    connect = celery_app.connection_for_write
    monkeypatch.setattr(
        celery_app, "connection_for_write", lambda: connect(url="redis://127.0.0.1:9/0")
    )
    # Pools made during the outage must not outlive the test: restore the previous ones.
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    caplog.set_level(logging.WARNING, logger="notifications.services")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification_enqueue(
            recipient=maker, kind="k", target=("a.b", "1", "x"), subject="s", body="b"
        )
    assert len(callbacks) == 1
    assert "broker unreachable" in caplog.text
    assert Notification.objects.get().status == S.PENDING
    assert notifications_deliver_pending()["sent"] == 1
