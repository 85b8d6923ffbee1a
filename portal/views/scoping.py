"""What the portal shows: only the caller's own enterprise, even to staff who see everything."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from config.errors import NotFound
from config.ids import parse_id
from licensing.models import Case, CaseQuerySet, Licence, LicenceQuerySet
from licensing.selectors import case_for, cases_visible_to, licence_for, licences_visible_to
from registry.models import Brand, Enterprise, VehicleModel, member_enterprise_id

PAGE_SIZE = 25


def own_cases(user: Any) -> CaseQuerySet:
    """The member's enterprise's cases; none for anyone who is not a member."""
    return cases_visible_to(user).filter(applicant_id=member_enterprise_id(user))


def own_case(user: Any, pk: int) -> Case:
    """One case of the member's enterprise; anything else is the same 404 as a missing one."""
    try:
        case = case_for(user, pk)
    except NotFound:
        raise Http404 from None
    if case.applicant_id != member_enterprise_id(user):
        raise Http404
    return case


def own_licences(user: Any) -> LicenceQuerySet:
    """The member's enterprise's licences, newest first; none for anyone who is not a member."""
    licences = licences_visible_to(user).filter(holder_id=member_enterprise_id(user))
    return licences.order_by("-issued_at", "-pk")


def own_licence(user: Any, pk: int) -> Licence:
    """One licence of the member's enterprise; anything else is the same 404 as a missing one."""
    try:
        licence = licence_for(user=user, pk=pk)
    except NotFound:
        raise Http404 from None
    if licence.holder_id != member_enterprise_id(user):
        raise Http404
    return licence


def may_apply(user: Any) -> bool:
    """Whether the user is an active member whose role lets them apply for their enterprise."""
    membership = getattr(user, "membership", None) if member_enterprise_id(user) else None
    return bool(membership is not None and membership.may_apply)


def own_brands(user: Any) -> Any:
    """Brands the member's enterprise may export: its own, or those it is authorised for."""
    if member_enterprise_id(user) is None:
        return Brand.objects.none()
    return Brand.objects.visible_to(user).order_by("name")


def offered_models(user: Any, brand: Brand | None) -> Any:
    """Models in production of the chosen brand, or of every brand the member may export."""
    models = VehicleModel.objects.filter(brand__in=own_brands(user), is_active=True)
    if brand is not None:
        models = models.filter(brand=brand)
    return models.select_related("brand").order_by("brand__name", "name")


def exchangeable_licences(user: Any) -> LicenceQuerySet:
    """The enterprise's active licences: the ones an exchange application may return."""
    return own_licences(user).filter(status=Licence.Status.ACTIVE)


def own_enterprise(user: Any) -> Enterprise | None:
    """The member's enterprise, or None for anyone who is not an active member."""
    enterprise_id = member_enterprise_id(user)
    return Enterprise.objects.filter(pk=enterprise_id).first() if enterprise_id else None


def own_records(model: type[Model], user: Any) -> QuerySet:
    """The member's enterprise's after-sales records of one kind that are not withdrawn."""
    records = model.objects.visible_to(user).active()  # type: ignore[attr-defined]
    return records.filter(enterprise_id=member_enterprise_id(user)).select_related("country")


def own_record(model: type[Model], user: Any, pk: Any) -> Any:
    """One after-sales record of the member's enterprise; anything else is the same 404."""
    record_id = parse_id(pk)
    record = own_records(model, user).filter(pk=record_id).first() if record_id else None
    if record is None:
        raise Http404
    return record


def page_of(request: HttpRequest, rows: Any) -> Page:
    """The requested page of rows; a bad or out-of-range number gives the nearest page."""
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def catalogue_brands() -> QuerySet[Brand]:
    """Every brand of a catalogue manufacturer: a used vehicle may be of any of them."""
    return Brand.objects.filter(manufacturer__kind=Enterprise.Kind.MANUFACTURER).order_by("name")


def catalogue_models(brand: Brand | None = None) -> QuerySet[VehicleModel]:
    """Models of the catalogue brands (of one brand when chosen), old ones included."""
    models = VehicleModel.objects.filter(brand__in=catalogue_brands())
    if brand is not None:
        models = models.filter(brand=brand)
    return models.select_related("brand").order_by("brand__name", "name")


def made_brands(user: Any) -> QuerySet[Brand]:
    """The brands the member's enterprise makes (the letters it may issue)."""
    enterprise_id = member_enterprise_id(user)
    if enterprise_id is None:
        return Brand.objects.none()
    return Brand.objects.filter(manufacturer_id=enterprise_id).order_by("name")
