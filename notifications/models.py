"""The outbox: one row per reminder or notice, delivered by email and read in-app."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: Any) -> "NotificationQuerySet":
        """A user sees only the notifications addressed to them."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def due_for_delivery(self, now: Any) -> "NotificationQuerySet":
        """Pending rows whose next attempt (or claim lease) has come."""
        return self.filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail and in-app")
    IN_APP = "in_app", _("In-app only (no e-mail address)")


class Notification(models.Model):
    """A message to one user about one object; unique per recipient × kind × target × due date."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=80)
    target_type = models.CharField(_("target type"), max_length=100)
    target_id = models.CharField(_("target id"), max_length=64)
    target_repr = models.CharField(_("target"), max_length=255)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    # How a sent notice reached its recipient: by e-mail, or in-app only for lack of an address.
    delivered_by = models.CharField(
        _("delivered by"), max_length=10, choices=Channel.choices, blank=True
    )
    last_error = models.TextField(_("last error"), blank=True)
    # Doubles as the claim lease: a claimed row is pushed into the future, so a worker that
    # dies mid-delivery leaves it to be retried once the lease runs out.
    next_attempt_at = models.DateTimeField(_("next attempt at"), db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        permissions = [
            ("resend_notification", _("Can resend a notification whose delivery failed"))
        ]
        # Two partial indexes instead of nulls_distinct=False, which SQLite lacks:
        # a notice without a due date is still sent only once per target.
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "target_type", "target_id", "due_on"],
                condition=Q(due_on__isnull=False),
                name="notification_once_per_due_date",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "target_type", "target_id"],
                condition=Q(due_on__isnull=True),
                name="notification_once_without_due_date",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["status", "next_attempt_at"], name="notification_outbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}: {self.subject}"
