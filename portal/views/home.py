"""The portal home page: the member's enterprise at a glance."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from notifications.models import Notification
from registry.models import Brand, Enterprise, Qualification, member_enterprise_id

RECENT_NOTIFICATIONS = 10


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show the member's enterprise, its brands, qualifications and recent notifications."""
    # Staff may open the portal too, but it only ever shows the caller's own enterprise.
    enterprise_id = member_enterprise_id(request.user)
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first() if enterprise_id else None
    brands = Brand.objects.visible_to(request.user) if enterprise else Brand.objects.none()
    context = {
        "enterprise": enterprise,
        "brands": brands.select_related("manufacturer"),
        "qualifications": Qualification.objects.filter(enterprise=enterprise),
        "notifications": Notification.objects.visible_to(request.user)[:RECENT_NOTIFICATIONS],
    }
    return render(request, "portal/home.html", context)
