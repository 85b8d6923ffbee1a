"""After-sales per brand and market: coverage, outlets and commitments, created and edited."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aftersales import services
from aftersales.models import ServiceOutlet, SparePartsCommitment, WarrantyCommitment
from aftersales.selectors import coverage_table
from config.errors import DomainError
from portal.forms.aftersales import OutletForm, RecordForm, SparePartsForm, WarrantyForm
from portal.views.scoping import own_enterprise, own_record, own_records
from registry.models import member_may_apply


@dataclass(frozen=True)
class RecordKind:
    """How the portal handles one kind of after-sales record."""

    model: type[Model]
    form: type[RecordForm]
    create: Any
    update: Any
    record_argument: str
    new_title: Promise
    edit_title: Promise
    created: Promise
    saved: Promise


KINDS = {
    "outlet": RecordKind(
        ServiceOutlet,
        OutletForm,
        services.outlet_create,
        services.outlet_update,
        "outlet",
        _("New service outlet"),
        _("Edit service outlet"),
        _("The service outlet was recorded; it waits for verification by the ministry."),
        _("The service outlet was saved."),
    ),
    "warranty": RecordKind(
        WarrantyCommitment,
        WarrantyForm,
        services.warranty_commitment_create,
        services.warranty_commitment_update,
        "commitment",
        _("New warranty commitment"),
        _("Edit warranty commitment"),
        _("The warranty commitment was recorded."),
        _("The warranty commitment was saved."),
    ),
    "spare_parts": RecordKind(
        SparePartsCommitment,
        SparePartsForm,
        services.spare_parts_commitment_create,
        services.spare_parts_commitment_update,
        "commitment",
        _("New spare-parts commitment"),
        _("Edit spare-parts commitment"),
        _("The spare-parts commitment was recorded."),
        _("The spare-parts commitment was saved."),
    ),
}
FIX_PAGES = {"outlet": "outlet", "warranty": "warranty", "parts": "spare_parts"}
REVERIFY_NOTICE = _(
    "Changing the country, city, address or contract dates of a verified outlet, or adding "
    "a brand, sends it back for verification: until then it does not count in screening."
)
BACK_TO_PENDING = _(
    "The outlet is pending verification again and does not count in screening until the "
    "ministry verifies it."
)


@login_required
def aftersales(request: HttpRequest) -> HttpResponse:
    """Show the coverage table and the enterprise's outlets and commitments."""
    enterprise = own_enterprise(request.user)
    every_country = request.GET.get("all") == "1"
    rows = coverage_table(enterprise=enterprise, every_country=every_country) if enterprise else []
    context = {
        "rows": rows,
        "every_country": every_country,
        "fix_pages": FIX_PAGES,
        "outlets": own_records(ServiceOutlet, request.user).prefetch_related("brands"),
        "warranties": own_records(WarrantyCommitment, request.user).select_related("brand"),
        "spare_parts": own_records(SparePartsCommitment, request.user).select_related("brand"),
        "may_edit": member_may_apply(request.user),
    }
    return render(request, "portal/aftersales/overview.html", context)


@login_required
def record_create(request: HttpRequest, kind: str) -> HttpResponse:
    """Record a new outlet or commitment for the member's enterprise."""
    spec = KINDS[kind]
    enterprise = own_enterprise(request.user)
    if enterprise is None or not member_may_apply(request.user):
        raise PermissionDenied
    if request.method != "POST":
        initial = {"country": request.GET.get("country"), "brand": request.GET.get("brand")}
        initial["brands"] = [initial["brand"]] if initial["brand"] else []
        form = spec.form(initial=initial, user=request.user)
        return _render(request, spec, form, None)
    form = spec.form(request.POST, user=request.user)
    if form.is_valid() and call_service(
        form, spec.create, actor=request.user, enterprise=enterprise, **form.record_data()
    ):
        messages.success(request, str(spec.created))
        return redirect("portal:aftersales")
    return _render(request, spec, form, None, status=400)


@login_required
def record_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Change an outlet or commitment of the member's enterprise through its update service."""
    spec = KINDS[kind]
    record = own_record(spec.model, request.user, pk)
    if not member_may_apply(request.user):
        raise PermissionDenied
    if request.method != "POST":
        form = spec.form(initial=_initial(record, spec), user=request.user)
        return _render(request, spec, form, record)
    form = spec.form(request.POST, user=request.user)
    was_verified = getattr(record, "verification_status", "") == ServiceOutlet.Status.VERIFIED
    if form.is_valid() and call_service(
        form,
        spec.update,
        actor=request.user,
        data=form.record_data(),
        expected_version=form.cleaned_data["version"],
        **{spec.record_argument: record},
    ):
        messages.success(request, str(spec.saved))
        record.refresh_from_db()
        if was_verified and record.verification_status == ServiceOutlet.Status.PENDING:
            messages.warning(request, str(BACK_TO_PENDING))
        return redirect("portal:aftersales")
    return _render(request, spec, form, record, status=400)


def call_service(form: RecordForm, service: Any, **arguments: Any) -> bool:
    """Run the service; put its refusals on the fields they concern, or on the whole form."""
    try:
        service(**arguments)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
        return False
    except DomainError as exc:
        form.add_error(None, exc.message)
        return False
    return True


def _initial(record: Model, spec: RecordKind) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": record.version}
    for name in spec.form.field_names:
        value = getattr(record, name)
        initial[name] = list(value.all()) if name == "brands" else value
    return initial


def _render(
    request: HttpRequest, spec: RecordKind, form: RecordForm, record: Any, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "record": record,
        "title": spec.edit_title if record else spec.new_title,
        "reverify_notice": REVERIFY_NOTICE
        if getattr(record, "verification_status", "") == ServiceOutlet.Status.VERIFIED
        else "",
    }
    return render(request, "portal/aftersales/form.html", context, status=status)
