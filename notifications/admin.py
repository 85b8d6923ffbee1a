"""The outbox in the admin: read-only, for following up delivery problems."""

from django.contrib import admin
from django.http import HttpRequest

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "kind",
        "subject",
        "target_repr",
        "due_on",
        "status",
        "attempts",
        "sent_at",
        "read_at",
    ]
    list_filter = ["status", "kind", "language", "due_on"]
    search_fields = ["recipient__username", "recipient__email", "subject", "target_repr"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Refuse: notifications come only from services."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Refuse: the outbox is history."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Refuse: the outbox is history."""
        return False
