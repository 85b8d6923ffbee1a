"""The portal home page: what needs the member's attention now."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aftersales.selectors import letter_inbox, records_lapsing
from licensing.selectors import (
    enterprise_drafts,
    licences_to_use_soon,
    open_information_requests,
)
from notifications.models import Notification
from registry.models import Brand, Enterprise, Qualification, member_enterprise_id

LICENCE_HORIZON_DAYS = 30
AFTERSALES_HORIZON_DAYS = 90
LATEST = 5


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show questions due, letters to answer, drafts, licences to use, records lapsing, notices."""
    enterprise_id = member_enterprise_id(request.user)
    if enterprise_id is None:
        return render(request, "portal/home.html", {"enterprise": None})
    unread = Notification.objects.visible_to(request.user).unread()
    enterprise = Enterprise.objects.get(pk=enterprise_id)
    inbox = letter_inbox(enterprise_id) if enterprise.kind == Enterprise.Kind.MANUFACTURER else None
    context = {
        "enterprise": enterprise,
        "letter_inbox": None if inbox is None else list(inbox[:LATEST]),
        "letter_inbox_count": 0 if inbox is None else inbox.count(),
        "drafts": list(enterprise_drafts(enterprise_id)[:LATEST]),
        "draft_count": enterprise_drafts(enterprise_id).count(),
        "questions": list(open_information_requests(enterprise_id)),
        "licences": list(licences_to_use_soon(enterprise_id, days=LICENCE_HORIZON_DAYS)),
        "lapsing": records_lapsing(enterprise_id, days=AFTERSALES_HORIZON_DAYS),
        "unread": list(unread[:LATEST]),
        "unread_count": unread.count(),
        "brands": Brand.objects.visible_to(request.user),
        "qualifications": Qualification.objects.filter(enterprise_id=enterprise_id),
        "licence_days": LICENCE_HORIZON_DAYS,
        "aftersales_days": AFTERSALES_HORIZON_DAYS,
    }
    return render(request, "portal/home.html", context)
