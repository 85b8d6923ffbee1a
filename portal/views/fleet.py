"""The exported-vehicle register: the enterprise's cars, and their first registration abroad."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from aftersales import services
from aftersales.api.fleet import ExportedVehicleFilter
from aftersales.api.registration_csv import (
    check_upload_size,
    registration_rows,
    request_content_length,
)
from aftersales.models import ExportedVehicle
from aftersales.services.fleet import RegistrationImportRefused
from config.ids import parse_id
from portal.forms.fleet import FirstRegistrationForm, RegistrationUploadForm, VehicleFilterForm
from portal.views.scoping import own_brands, page_of
from registry.models import Country, member_enterprise_id, member_may_apply


def own_vehicles(user: object) -> object:
    """The member's enterprise's exported cars; none for anyone who is not a member."""
    vehicles = ExportedVehicle.objects.visible_to(user)
    return vehicles.filter(enterprise_id=member_enterprise_id(user))


def _own_vehicle(user: object, pk: str) -> ExportedVehicle:
    vehicle_id = parse_id(pk)
    vehicle = own_vehicles(user).filter(pk=vehicle_id).first() if vehicle_id else None
    if vehicle is None:
        raise Http404
    return vehicle


@login_required
def vehicle_list(request: HttpRequest) -> HttpResponse:
    """The register, filtered by VIN, brand and destination, a page at a time."""
    return _list(request, RegistrationUploadForm())


def _list(
    request: HttpRequest,
    upload: RegistrationUploadForm,
    row_errors: list | None = None,
    status: int = 200,
) -> HttpResponse:
    vehicles = own_vehicles(request.user)
    countries = Country.objects.filter(
        pk__in=vehicles.order_by().values("country_id").distinct()
    ).order_by("code")
    filters = VehicleFilterForm(request.GET, brands=own_brands(request.user), countries=countries)
    filtered = ExportedVehicleFilter(
        {key: request.GET.get(key, "") for key in ("vin", "brand", "country")},
        queryset=vehicles.select_related("brand", "vehicle_model", "country"),
    ).qs
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page_of(request, filtered),
        "query": query.urlencode(),
        "upload": upload,
        "row_errors": row_errors or [],
        "may_edit": member_may_apply(request.user),
    }
    return render(request, "portal/fleet/list.html", context, status=status)


@login_required
def vehicle_register(request: HttpRequest, pk: str) -> HttpResponse:
    """Report one car's first registration abroad, which moves its warranty start."""
    vehicle = _own_vehicle(request.user, pk)
    if not member_may_apply(request.user):
        raise PermissionDenied
    if request.method != "POST":
        form = FirstRegistrationForm(initial={"first_registered_on": vehicle.first_registered_on})
        return _render_register(request, vehicle, form)
    form = FirstRegistrationForm(request.POST)
    if form.is_valid():
        try:
            services.exported_vehicle_register_abroad(
                actor=request.user, vehicle=vehicle, **form.cleaned_data
            )
        except ValidationError as exc:
            for message in exc.message_dict.get("first_registered_on", exc.messages):
                form.add_error("first_registered_on", message)
        else:
            messages.success(
                request,
                _("The first registration of %(vin)s was recorded; its warranty ends on %(day)s.")
                % {"vin": vehicle.vin, "day": vehicle.warranty_ends_on.isoformat()},
            )
            return redirect("portal:vehicle_list")
    vehicle.refresh_from_db()
    return _render_register(request, vehicle, form, status=400)


def _render_register(
    request: HttpRequest, vehicle: ExportedVehicle, form: FirstRegistrationForm, status: int = 200
) -> HttpResponse:
    context = {"vehicle": vehicle, "form": form}
    return render(request, "portal/fleet/register.html", context, status=status)


@login_required
@require_POST
def registrations_upload(request: HttpRequest) -> HttpResponse:
    """Apply a CSV of first registrations: all or nothing, or only the valid rows when asked."""
    if member_enterprise_id(request.user) is None or not member_may_apply(request.user):
        raise PermissionDenied
    form = RegistrationUploadForm(request.POST, request.FILES)
    row_errors: list = []
    try:
        check_upload_size(request_content_length(request.META))
        if form.is_valid():
            result = services.first_registrations_import(
                actor=request.user,
                enterprise_id=member_enterprise_id(request.user),
                rows=registration_rows(form.cleaned_data["file"]),
                import_valid_rows=form.cleaned_data["import_valid_rows"],
            )
            messages.success(request, _imported(result.updated, len(result.errors)))
            return redirect("portal:vehicle_list")
    except RegistrationImportRefused as refused:
        row_errors = [
            {"row": row["row"], "vin": row["vin"], "messages": _messages(row["errors"])}
            for row in refused.result.errors
        ]
        form.add_error(None, refused.message)
    except ValidationError as exc:
        for message in exc.message_dict.get("file", exc.messages):
            form.add_error("file", message)
    return _list(request, form, row_errors, status=400)


def _messages(errors: dict[str, list[str]]) -> list[str]:
    return [message for field_errors in errors.values() for message in field_errors]


def _imported(updated: int, skipped: int) -> str:
    text = ngettext(
        "%(n)d first registration was recorded.",
        "%(n)d first registrations were recorded.",
        updated,
    ) % {"n": updated}
    if skipped:
        text += " " + ngettext(
            "%(n)d row with errors was skipped.", "%(n)d rows with errors were skipped.", skipped
        ) % {"n": skipped}
    return text
