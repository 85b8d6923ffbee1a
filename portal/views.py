"""Portal views: parse input, call services or selectors, render."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from registry.models import Brand, Enterprise, Qualification


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show the member's enterprise, its brands and qualifications."""
    context = {
        "enterprise": Enterprise.objects.visible_to(request.user).first(),
        "brands": Brand.objects.visible_to(request.user).select_related("manufacturer"),
        "qualifications": Qualification.objects.visible_to(request.user),
    }
    return render(request, "portal/home.html", context)
