"""The member's notifications: a list, and marking them read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from config.ids import parse_id
from notifications.models import Notification
from notifications.services import notification_mark_read, notifications_mark_all_read
from portal.views.scoping import page_of


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """List the member's own notifications, newest first."""
    page = page_of(request, Notification.objects.visible_to(request.user))
    return render(request, "portal/notifications/list.html", {"page": page})


@require_POST
@login_required
def notification_read(request: HttpRequest, pk: str) -> HttpResponse:
    """Mark one of the member's notifications read; anyone else's is a 404."""
    mine = Notification.objects.visible_to(request.user)
    notification = mine.filter(pk=parse_id(pk)).first() if parse_id(pk) else None
    if notification is None:
        raise Http404
    notification_mark_read(actor=request.user, notification=notification)
    messages.success(request, _("Notification marked as read."))
    return redirect("portal:notifications")


@require_POST
@login_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    """Mark every unread notification of the member read."""
    marked = notifications_mark_all_read(actor=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            marked,
        )
        % {"count": marked},
    )
    return redirect("portal:notifications")
