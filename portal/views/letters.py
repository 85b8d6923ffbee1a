"""Confirmation letters: the list both sides read, and what an exporter asks for.

The manufacturer's answers (issue, refuse, revoke, issue unasked) are in letters_maker.py.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case as SqlCase
from django.db.models import IntegerField, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.models import ConfirmationLetter, LetterRequest
from aftersales.selectors import letter_requests_visible_to, letters_visible_to
from aftersales.services import letter_request_create, letter_request_withdraw
from audit.services import refusal_record_if_forbidden
from config.errors import DomainError
from config.ids import parse_id
from licensing.services.confirmation_letter import confirmation_letter_pdf
from portal.forms.letters import LetterFilterForm, LetterRequestForm
from portal.views.scoping import PAGE_SIZE, catalogue_brands, catalogue_models, own_enterprise
from registry.models import Enterprise, member_enterprise_id, member_may_apply

REQUEST_FIELDS = ("vin", "vehicle_model", "country", "note")
# Requests shown per side: the pending ones come first, then the latest answered.
LATEST = 50


def run_service(
    http: HttpRequest, form: forms.Form, service: Callable[..., Any], /, **arguments: Any
) -> tuple[Any, int]:
    """Call the service; put its refusals on the form. Returns (result or None, status)."""
    try:
        return service(actor=http.user, **arguments), 200
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for name, problems in errors.items():
            form.add_error(name if name in form.fields else None, problems)
        return None, 400
    except DomainError as error:
        refusal_record_if_forbidden(request=http, error=error)
        form.add_error(None, error.message)
        return None, error.status


def requests_made(user: Any) -> QuerySet[LetterRequest]:
    """Requests the member's enterprise sent."""
    return letter_requests_visible_to(user).filter(requester_id=member_enterprise_id(user))


def requests_received(user: Any) -> QuerySet[LetterRequest]:
    """Requests addressed to the member's enterprise, pending ones first."""
    pending_first = SqlCase(
        When(status=LetterRequest.Status.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        letter_requests_visible_to(user)
        .filter(manufacturer_id=member_enterprise_id(user))
        .order_by(pending_first, "-created_at", "-pk")
    )


def letter_request_of(user: Any, pk: Any) -> LetterRequest:
    """A request the member's enterprise sent or received; anything else is a 404."""
    enterprise_id, request_id = member_enterprise_id(user), parse_id(pk)
    found = letter_requests_visible_to(user).filter(pk=request_id).first() if request_id else None
    if found is None or enterprise_id not in (found.requester_id, found.manufacturer_id):
        raise Http404
    return found


def letter_of(user: Any, pk: Any) -> ConfirmationLetter:
    """A letter issued by or for the member's enterprise; anything else is a 404."""
    enterprise_id, letter_id = member_enterprise_id(user), parse_id(pk)
    found = letters_visible_to(user).filter(pk=letter_id).first() if letter_id else None
    if found is None or enterprise_id not in (found.requester_id, found.manufacturer_id):
        raise Http404
    return found


def _issued_letters(request: HttpRequest, enterprise_id: int) -> tuple[Any, LetterFilterForm]:
    filters = LetterFilterForm(request.GET or None)
    letters = letters_visible_to(request.user).filter(manufacturer_id=enterprise_id)
    if filters.is_valid():
        if status := filters.cleaned_data["status"]:
            letters = letters.filter(status=status)
        if country := filters.cleaned_data["country"]:
            letters = letters.filter(country_id=country)
        if vin := filters.cleaned_data["vin"].strip().upper():
            letters = letters.filter(vin__contains=vin)
    return Paginator(letters, PAGE_SIZE).get_page(request.GET.get("page")), filters


@login_required
def letter_list(request: HttpRequest) -> HttpResponse:
    """Requests and letters: those the enterprise asked for and, for a maker, those it answers."""
    enterprise = own_enterprise(request.user)
    if enterprise is None:
        return render(request, "portal/letters/list.html", {"enterprise": None})
    user = request.user
    context: dict[str, Any] = {
        "enterprise": enterprise,
        "is_maker": enterprise.kind == Enterprise.Kind.MANUFACTURER,
        "may_act": member_may_apply(user),
        "made": requests_made(user)[:LATEST],
        "for_us": letters_visible_to(user).filter(requester_id=enterprise.pk)[:LATEST],
    }
    if context["is_maker"]:
        context["received"] = requests_received(user)[:LATEST]
        context["page"], context["filters"] = _issued_letters(request, enterprise.pk)
        query = request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
    return render(request, "portal/letters/list.html", context)


def _request_form(request: HttpRequest, data: Any = None) -> LetterRequestForm:
    source = data if data is not None else request.GET
    form_brand = LetterRequestForm(source, brands=catalogue_brands(), models=catalogue_models())
    brand = form_brand.chosen_brand()
    initial = {} if data is not None else _prefill(request)
    return LetterRequestForm(
        data,
        initial=initial,
        brands=catalogue_brands(),
        models=catalogue_models(brand or initial.get("brand")),
    )


def _prefill(request: HttpRequest) -> dict[str, Any]:
    """VIN, model and destination handed over by a link (the used-vehicle case page)."""
    model_id = parse_id(request.GET.get("model", ""))
    model = catalogue_models().filter(pk=model_id).first() if model_id else None
    return {
        "vin": request.GET.get("vin", "")[:17],
        "brand": model.brand if model else None,
        "vehicle_model": model,
        "country": request.GET.get("destination", "")[:2],
    }


@login_required
def letter_request_new(request: HttpRequest) -> HttpResponse:
    """Ask a vehicle's manufacturer for a confirmation letter."""
    if own_enterprise(request.user) is None or not member_may_apply(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return _render_request_form(request, _request_form(request))
    form = _request_form(request, request.POST)
    if "show_models" in request.POST:
        return _render_request_form(request, form, hide_errors=True)
    status = 400
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in REQUEST_FIELDS}
        created, status = run_service(request, form, letter_request_create, **values)
        if created is not None:
            messages.success(
                request,
                _("Your request was sent to %(maker)s.") % {"maker": created.manufacturer.name_en},
            )
            return redirect("portal:letter_list")
    return _render_request_form(request, form, status=status)


def _render_request_form(
    request: HttpRequest, form: LetterRequestForm, *, status: int = 200, hide_errors: bool = False
) -> HttpResponse:
    context = {"form": form, "asking": True, "hide_errors": hide_errors}
    return render(request, "portal/letters/form.html", context, status=status)


@login_required
@require_POST
def letter_request_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a pending request the enterprise sent."""
    letter_request = requests_made(request.user).filter(pk=parse_id(pk) or 0).first()
    if letter_request is None:
        raise Http404
    if not member_may_apply(request.user):
        raise PermissionDenied
    try:
        letter_request_withdraw(actor=request.user, request=letter_request)
    except DomainError as error:
        refusal_record_if_forbidden(request=request, error=error)
        messages.error(request, error.message)
        return redirect("portal:letter_request", pk=letter_request.pk)
    messages.success(request, _("Your request was withdrawn."))
    return redirect("portal:letter_list")


@login_required
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Download a letter issued by or for the enterprise."""
    letter = letter_of(request.user, pk)
    response = HttpResponse(confirmation_letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"letter-{letter.number}.pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
