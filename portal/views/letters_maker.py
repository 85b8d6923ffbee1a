"""A request's page, and a manufacturer's side of letters: answer, issue unasked, revoke."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.models import ConfirmationLetter, LetterRequest, ServiceOutlet
from aftersales.selectors import letter_outlets, letters_visible_to
from aftersales.services import letter_issue, letter_request_refuse, letter_revoke
from config.ids import parse_id
from portal.forms.letters import DirectLetterForm, IssueForm, ReasonForm
from portal.views.letters import letter_request_of, requests_received, run_service
from portal.views.scoping import made_brands, own_enterprise
from registry.models import (
    Country,
    Enterprise,
    VehicleModel,
    member_enterprise_id,
    member_may_apply,
)


def _outlets_for(letter_request: LetterRequest) -> Any:
    return letter_outlets(
        letter_request.manufacturer,
        letter_request.vehicle_model.brand,
        letter_request.country,
    )


def render_request(
    request: HttpRequest,
    letter_request: LetterRequest,
    *,
    issue_form: IssueForm | None = None,
    refuse_form: ReasonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The request page: its details, its letter, and the answers the reader may give."""
    enterprise_id = member_enterprise_id(request.user)
    pending = letter_request.status == LetterRequest.Status.PENDING
    may_act = member_may_apply(request.user) and pending
    answering = may_act and letter_request.manufacturer_id == enterprise_id
    context = {
        "letter_request": letter_request,
        "letter": getattr(letter_request, "letter", None),
        "answering": answering,
        "withdrawing": may_act and letter_request.requester_id == enterprise_id,
        "issue_form": issue_form or IssueForm(outlets=_outlets_for(letter_request)),
        "refuse_form": refuse_form or ReasonForm(),
    }
    return render(request, "portal/letters/request.html", context, status=status)


@login_required
def letter_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request as either side reads it, with the answers the reader may give."""
    return render_request(request, letter_request_of(request.user, pk))


def _answerable(request: HttpRequest, pk: int) -> LetterRequest:
    """A request addressed to the enterprise, answered by one of its applicants or admins."""
    letter_request = requests_received(request.user).filter(pk=parse_id(pk) or 0).first()
    if letter_request is None:
        raise Http404
    if not member_may_apply(request.user):
        raise PermissionDenied
    return letter_request


@login_required
@require_POST
def letter_request_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer a request with a letter naming one of the manufacturer's verified outlets."""
    letter_request = _answerable(request, pk)
    form = IssueForm(request.POST, outlets=_outlets_for(letter_request))
    if not form.is_valid():
        return render_request(request, letter_request, issue_form=form, status=400)
    letter, status = run_service(
        request,
        form,
        letter_issue,
        vin=letter_request.vin,
        vehicle_model=letter_request.vehicle_model,
        country=letter_request.country,
        outlet=form.cleaned_data["outlet"],
        request=letter_request,
    )
    if letter is None:
        return render_request(request, letter_request, issue_form=form, status=status)
    messages.success(request, _("Letter %(number)s was issued.") % {"number": letter.number})
    return redirect("portal:letter_list")


@login_required
@require_POST
def letter_request_refuse_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Refuse a request addressed to the enterprise, giving the reason."""
    letter_request = _answerable(request, pk)
    form = ReasonForm(request.POST)
    status = 400
    if form.is_valid():
        refused, status = run_service(
            request,
            form,
            letter_request_refuse,
            request=letter_request,
            reason=form.cleaned_data["reason"],
        )
        if refused is not None:
            messages.success(request, _("The request was refused; the exporter is told why."))
            return redirect("portal:letter_list")
    return render_request(request, letter_request, refuse_form=form, status=status)


def _maker(request: HttpRequest) -> Enterprise:
    enterprise = own_enterprise(request.user)
    if enterprise is None or enterprise.kind != Enterprise.Kind.MANUFACTURER:
        raise PermissionDenied
    if not member_may_apply(request.user):
        raise PermissionDenied
    return enterprise


def _direct_form(request: HttpRequest, maker: Enterprise, data: Any = None) -> DirectLetterForm:
    """The form with the models of the chosen brand and the outlets for brand and destination."""
    brands = made_brands(request.user)
    models = VehicleModel.objects.filter(brand__in=brands).select_related("brand")
    probe = DirectLetterForm(data, brands=brands, models=models, outlets=ServiceOutlet.objects)
    model = _chosen_model(probe)
    country = Country.objects.filter(code=str(probe["country"].data or "")[:2]).first()
    outlets = (
        letter_outlets(maker, model.brand, country)
        if model is not None and country is not None
        else ServiceOutlet.objects.none()
    )
    brand = probe.chosen_brand()
    if brand is not None:
        models = models.filter(brand=brand)
    return DirectLetterForm(
        data, brands=brands, models=models.order_by("brand__name", "name"), outlets=outlets
    )


def _chosen_model(form: DirectLetterForm) -> VehicleModel | None:
    try:
        return form.fields["vehicle_model"].clean(form["vehicle_model"].data)
    except ValidationError:  # an unchosen or bad model offers no outlets yet
        return None


@login_required
def letter_new(request: HttpRequest) -> HttpResponse:
    """Issue a letter without a request: the vehicle, the destination, then the outlet."""
    maker = _maker(request)
    if request.method != "POST":
        return _render_direct(request, _direct_form(request, maker))
    form = _direct_form(request, maker, request.POST)
    if "show_outlets" in request.POST:
        return _render_direct(request, form, hide_errors=True)
    status = 400
    if form.is_valid():
        values = {
            name: form.cleaned_data[name] for name in ("vin", "vehicle_model", "country", "outlet")
        }
        letter, status = run_service(request, form, letter_issue, **values)
        if letter is not None:
            messages.success(
                request, _("Letter %(number)s was issued.") % {"number": letter.number}
            )
            return redirect("portal:letter_list")
    return _render_direct(request, form, status=status)


def _render_direct(
    request: HttpRequest, form: DirectLetterForm, *, status: int = 200, hide_errors: bool = False
) -> HttpResponse:
    context = {"form": form, "asking": False, "hide_errors": hide_errors}
    return render(request, "portal/letters/form.html", context, status=status)


@login_required
def letter_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a letter the enterprise issued, with the reason."""
    letter = _issued(request, pk)
    if not member_may_apply(request.user):
        raise PermissionDenied
    form = ReasonForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            revoked, status = run_service(
                request, form, letter_revoke, letter=letter, reason=form.cleaned_data["reason"]
            )
            if revoked is not None:
                messages.success(
                    request, _("Letter %(number)s was revoked.") % {"number": letter.number}
                )
                return redirect("portal:letter_list")
    context = {"letter": letter, "form": form}
    return render(request, "portal/letters/revoke.html", context, status=status)


def _issued(request: HttpRequest, pk: int) -> ConfirmationLetter:
    enterprise_id = member_enterprise_id(request.user)
    letter = (
        letters_visible_to(request.user)
        .filter(manufacturer_id=enterprise_id, pk=parse_id(pk) or 0)
        .first()
    )
    if letter is None:
        raise Http404
    return letter
