"""The admin index's line about the signed-in user's unread notifications."""

from typing import Any

from django import template

from notifications.models import Notification

register = template.Library()


@register.inclusion_tag("admin/notifications/unread_link.html", takes_context=True)
def own_unread_notifications(context: dict[str, Any]) -> dict[str, Any]:
    """Count the user's unread notifications for a link to their page."""
    user = context["request"].user
    return {"unread": Notification.objects.visible_to(user).unread().count()}
