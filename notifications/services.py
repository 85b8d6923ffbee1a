"""Every write to the outbox: enqueue, deliver, mark read."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from config.celery import app as celery_app
from config.errors import ActionForbidden, NotFound, TransitionNotAllowed
from notifications.models import Channel, Notification

logger = logging.getLogger(__name__)
RESEND_PERMISSION = "notifications.resend_notification"
DELIVERY_TASK = "notifications.tasks.deliver_pending"

Target = models.Model | tuple[str, str, str]
MAX_ATTEMPTS = 5
BATCH_SIZE = 50


def notification_enqueue(
    *,
    recipient: AbstractBaseUser,
    kind: str,
    target: Target,
    subject: str,
    body: str,
    due_on: date | None = None,
    language: str = "en",
) -> Notification | None:
    """Add one outbox row in the caller's transaction; None if it already exists."""
    target_type, target_id, target_repr = _describe(target)
    notification = Notification(
        recipient=recipient,
        kind=kind,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr[:255],
        due_on=due_on,
        language=language,
        subject=subject[:255],
        body=body,
        next_attempt_at=timezone.now(),
    )
    try:
        # A savepoint, so a concurrent duplicate leaves the caller's transaction usable.
        with transaction.atomic():
            notification.save(force_insert=True)
    except IntegrityError:
        if _exists(notification):
            return None
        raise
    notifications_kick()
    return notification


def notifications_enqueue_new_target(
    *,
    notices: list[tuple[AbstractBaseUser, str, str, str]],
    kind: str,
    target: models.Model,
) -> int:
    """Add one outbox row per (recipient, language, subject, body) in one INSERT, for a target
    created in this transaction.

    Nothing can have been queued about a target that did not exist, so no row can conflict;
    if one ever did, the unique constraint fails the whole transaction rather than hide it.
    """
    target_type, target_id, target_repr = _describe(target)
    now = timezone.now()
    rows = [
        Notification(
            recipient=recipient,
            kind=kind,
            target_type=target_type,
            target_id=target_id,
            target_repr=target_repr[:255],
            language=language,
            subject=subject[:255],
            body=body,
            next_attempt_at=now,
        )
        for recipient, language, subject, body in notices
    ]
    if rows:
        Notification.objects.bulk_create(rows)
        notifications_kick()
    return len(rows)


def notification_resend(*, notification: Notification, actor: Any) -> Notification:
    """Give a failed notification a fresh round of delivery attempts (staff, audited)."""
    if not (actor is not None and actor.is_active and actor.has_perm(RESEND_PERMISSION)):
        raise ActionForbidden(_("You may not resend notifications."))
    with transaction.atomic():
        moved = Notification.objects.filter(
            pk=notification.pk, status=Notification.Status.FAILED
        ).update(status=Notification.Status.PENDING, attempts=0, next_attempt_at=timezone.now())
        if not moved:
            raise TransitionNotAllowed(
                _("Only a notification whose delivery failed can be resent.")
            )
        audit_record(
            actor=actor,
            verb="notifications.notification.resent",
            target=notification,
            payload={"attempts": notification.attempts, "last_error": notification.last_error},
        )
        notifications_kick()
    notification.refresh_from_db()
    return notification


def notifications_kick() -> None:
    """After commit, ask a worker to deliver now; if the broker is down, the beat's next
    delivery round finds the rows anyway, so the failure is only logged."""
    transaction.on_commit(_send_delivery_task, robust=True)


def _send_delivery_task() -> None:
    try:
        # One quick attempt: a web request must not wait on a broker that is down.
        with celery_app.producer_or_acquire() as producer:
            producer.connection.ensure_connection(max_retries=0, timeout=1)
            celery_app.send_task(DELIVERY_TASK, retry=False, producer=producer)
    except Exception:
        logger.warning("broker unreachable: the outbox waits for the next delivery round")


def notification_mark_read(*, actor: AbstractBaseUser, notification: Notification) -> Notification:
    """Mark the actor's own notification read; another user's is not found."""
    if notification.recipient_id != actor.pk:
        raise NotFound("No such notification.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, actor: AbstractBaseUser) -> int:
    """Mark every unread notification of the actor read; return how many changed."""
    unread = Notification.objects.visible_to(actor).unread()
    return unread.update(read_at=timezone.now())


def notifications_claim(*, now: datetime | None = None, limit: int = BATCH_SIZE) -> list[int]:
    """Claim due pending rows for this worker by pushing their lease forward."""
    now = now or timezone.now()
    with transaction.atomic():
        due = Notification.objects.due_for_delivery(now).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        # Compare-and-swap: only rows still due are claimed (SQLite has no row locks).
        Notification.objects.due_for_delivery(now).filter(pk__in=ids).update(
            next_attempt_at=now + claim_lease()
        )
    return ids


def claim_lease() -> timedelta:
    """How long claimed rows stay with the worker that claimed them."""
    return timedelta(seconds=settings.NOTIFICATION_CLAIM_LEASE_SECONDS)


def notification_deliver(*, notification_id: int) -> Notification.Status:
    """Send one claimed notification and record the outcome."""
    counts = notifications_deliver_batch(ids=[notification_id])
    if counts["sent"]:
        return Notification.Status.SENT
    return Notification.objects.values_list("status", flat=True).get(pk=notification_id)


def notifications_deliver_batch(*, ids: list[int]) -> dict[str, int]:
    """Send claimed rows over one mail connection; each row is marked the moment it is sent."""
    counts = {"sent": 0, "failed": 0, "retry": 0}
    batch = list(
        Notification.objects.select_related("recipient")
        .filter(pk__in=ids, status=Notification.Status.PENDING)
        .order_by("pk")
    )
    by_email = [n for n in batch if n.recipient.email]
    counts["sent"] += _mark_in_app_only([n for n in batch if not n.recipient.email])
    if not by_email:
        return counts
    mail = get_connection(fail_silently=False)
    try:
        mail.open()
    except Exception as exc:  # the server is down: the whole batch waits for a retry
        for notification in by_email:
            counts[_outcome_key(_record_failure(notification, exc))] += 1
        return counts
    try:
        with _quick_commits():
            for notification in by_email:
                counts[_outcome_key(_send_one(mail, notification))] += 1
    finally:
        mail.close()
    return counts


@contextmanager
def _quick_commits() -> Iterator[None]:
    """Commit each "sent" mark without waiting for the disk (PostgreSQL).

    The mark is visible at once, so a worker killed after it never sends again; only a crash
    of the database server itself could lose the last fraction of a second of marks, and
    those rows are sent again, under the same Message-ID.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def notifications_deliver_pending(*, now: datetime | None = None) -> dict[str, int]:
    """Claim and deliver every due row, batch by batch; return counts by outcome."""
    counts = {"sent": 0, "failed": 0, "retry": 0}
    while ids := notifications_claim(now=now):
        for key, value in notifications_deliver_batch(ids=ids).items():
            counts[key] += value
        if now is not None:
            break  # a fixed clock would re-claim the same retries forever
    return counts


def _send_one(mail: Any, notification: Notification) -> Notification.Status:
    try:
        mail.send_messages([_message(notification, mail)])
    except Exception as exc:  # any transport failure is retried with backoff
        return _record_failure(notification, exc)
    _mark_sent([notification.pk], Channel.EMAIL)
    return Notification.Status.SENT


def _message(notification: Notification, mail: Any) -> EmailMessage:
    # A stable Message-ID lets a mail system drop the copy a crashed worker may resend.
    return EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
        connection=mail,
        headers={
            "Message-ID": f"<notification-{notification.pk}@{_mail_domain()}>",
            "X-Notification-ID": str(notification.pk),
        },
    )


def _mail_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"


def _mark_in_app_only(notifications: list[Notification]) -> int:
    """Recipients without an address read the notice in the app; record that, once."""
    return _mark_sent([n.pk for n in notifications], Channel.IN_APP) if notifications else 0


def _mark_sent(ids: list[int], channel: str) -> int:
    return Notification.objects.filter(pk__in=ids, status=Notification.Status.PENDING).update(
        status=Notification.Status.SENT,
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        last_error="",
        delivered_by=channel,
    )


def _record_failure(notification: Notification, exc: Exception) -> Notification.Status:
    attempts = notification.attempts + 1
    gave_up = attempts >= MAX_ATTEMPTS
    status = Notification.Status.FAILED if gave_up else Notification.Status.PENDING
    Notification.objects.filter(pk=notification.pk, status=Notification.Status.PENDING).update(
        status=status,
        attempts=attempts,
        last_error=f"{type(exc).__name__}: {exc}"[:2000],
        next_attempt_at=timezone.now() + retry_delay(attempts),
    )
    return status


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 2, 4, 8, 16 minutes after the 1st, 2nd, 3rd, 4th failure."""
    return timedelta(minutes=2**attempts)


def _outcome_key(status: str) -> str:
    if status == Notification.Status.SENT:
        return "sent"
    if status == Notification.Status.FAILED:
        return "failed"
    return "retry"


def _exists(notification: Notification) -> bool:
    return Notification.objects.filter(
        recipient=notification.recipient,
        kind=notification.kind,
        target_type=notification.target_type,
        target_id=notification.target_id,
        due_on=notification.due_on,
    ).exists()


def _describe(target: Target) -> tuple[str, str, str]:
    if isinstance(target, tuple):
        return target
    return target._meta.label_lower, str(target.pk), str(target)
