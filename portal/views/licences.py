"""The member's licences and their certificates."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from licensing.models import Case
from licensing.selectors import licence_declarations
from licensing.services.certificate import licence_certificate_pdf
from portal.views.scoping import own_licence, own_licences, page_of
from registry.models import member_may_apply


@login_required
def licence_list(request: HttpRequest) -> HttpResponse:
    """List the enterprise's licences with what is left on each line."""
    page = page_of(request, own_licences(request.user))
    return render(request, "portal/licences/list.html", {"page": page})


@login_required
def licence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one licence: what is left per line, uses left, and the declarations so far."""
    licence = own_licence(request.user, pk)
    context = {
        "licence": licence,
        "trade_mode": dict(Case.TradeMode.choices).get(licence.trade_mode, licence.trade_mode),
        "declarations": licence_declarations(licence),
        "may_declare": member_may_apply(request.user) and licence.status == licence.Status.ACTIVE,
        "may_apply": member_may_apply(request.user),
    }
    return render(request, "portal/licences/detail.html", context)


@login_required
def licence_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the licence's certificate as a PDF attachment."""
    licence = own_licence(request.user, pk)
    response = HttpResponse(licence_certificate_pdf(licence), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"licence-{licence.number}.pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
