"""What every portal page's layout needs: the member's role and unread notifications."""

from typing import Any

from django.http import HttpRequest

from notifications.models import Notification
from registry.models import Membership, member_enterprise_id


def portal_layout(request: HttpRequest) -> dict[str, Any]:
    """Lazy values for the navigation; nothing is queried unless a page shows it."""
    user = getattr(request, "user", None)
    if user is None or member_enterprise_id(user) is None:
        return {"portal_member": False}
    return {
        "portal_member": True,
        "portal_is_admin": user.membership.role == Membership.Role.ADMIN,
        "portal_unread": lambda: Notification.objects.visible_to(user).unread().count(),
    }
