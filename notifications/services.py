"""Every write to the outbox: enqueue, deliver, mark read."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from config.errors import NotFound
from notifications.models import Notification

Target = models.Model | tuple[str, str, str]
MAX_ATTEMPTS = 5
CLAIM_LEASE = timedelta(minutes=10)
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
    return notification


def notifications_enqueue_new_target(
    *,
    recipients: list[AbstractBaseUser],
    kind: str,
    target: models.Model,
    subject: str,
    body: str,
    language: str = "en",
) -> int:
    """Add one outbox row per recipient in one INSERT, for a target created in this transaction.

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
        for recipient in recipients
    ]
    return len(Notification.objects.bulk_create(rows))


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
            next_attempt_at=now + CLAIM_LEASE
        )
    return ids


def notification_deliver(*, notification_id: int) -> Notification.Status:
    """Send one claimed notification by email and record the outcome."""
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if notification.status != Notification.Status.PENDING:
        return notification.status
    try:
        _send_email(notification)
    except Exception as exc:  # any transport failure is retried with backoff
        return _record_failure(notification, exc)
    Notification.objects.filter(pk=notification.pk, status=Notification.Status.PENDING).update(
        status=Notification.Status.SENT,
        sent_at=timezone.now(),
        attempts=notification.attempts + 1,
        last_error="",
    )
    return Notification.Status.SENT


def notifications_deliver_pending(*, now: datetime | None = None) -> dict[str, int]:
    """Claim and deliver every due row; return counts by outcome."""
    counts = {"sent": 0, "failed": 0, "retry": 0}
    while ids := notifications_claim(now=now):
        for notification_id in ids:
            outcome = notification_deliver(notification_id=notification_id)
            counts[_outcome_key(outcome)] += 1
        if now is not None:
            break  # a fixed clock would re-claim the same retries forever
    return counts


def _send_email(notification: Notification) -> None:
    address = notification.recipient.email
    if not address:
        return  # in-app only: the row itself is the notice
    send_mail(
        notification.subject,
        notification.body,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        fail_silently=False,
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
