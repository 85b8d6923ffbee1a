"""Reads of cases for the API, the portal and the admin; always scoped to the reader."""

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from config.errors import NotFound
from config.ids import parse_id
from licensing.models import (
    Case,
    CaseQuerySet,
    DeclaredVehicle,
    Document,
    InformationRequest,
    Licence,
)
from registry.models import Enterprise, Qualification


def cases_visible_to(user: Any) -> CaseQuerySet:
    """Cases the user may see, with what a list shows loaded up front."""
    return (
        Case.objects.visible_to(user)
        .select_related("applicant", "brand", "destination", "assigned_to")
        .prefetch_related("lines", "vehicles")
    )


def case_for(user: Any, pk: Any) -> Case:
    """One case the user may see; another enterprise's case is simply not found."""
    case_id = parse_id(pk)
    case = Case.objects.visible_to(user).filter(pk=case_id).first() if case_id else None
    if case is None:
        raise NotFound("No such case.")
    return case


def document_for(user: Any, case: Case, pk: Any) -> Document:
    """One document of a case the user may already see."""
    document_id = parse_id(pk)
    document = case.documents.filter(pk=document_id).first() if document_id else None
    if document is None:
        raise NotFound("No such document.")
    return document


SEARCH_TERM_MAX = 100
SEARCH_APPLICANTS_MAX = 500


def case_search(queryset: QuerySet, term: str) -> QuerySet:
    """Cases matching a reference (prefix), contract, licence number, VIN, applicant or USCC.

    A licence number or a declared VIN finds the case that issued the licence and any
    exchange case that asks to replace it.

    Each alternative is an exact or prefix match on an indexed column; related tables are
    resolved to literal ids first so the OR needs no join. A term no case could match (too
    long, control characters) finds nothing.
    """
    term = (term or "").strip()
    if not term:
        return queryset
    if len(term) > SEARCH_TERM_MAX or not term.isprintable():
        return queryset.none()
    upper = term.upper()
    applicants = list(
        Enterprise.objects.filter(
            Q(uscc=upper) | Q(name_en__istartswith=term) | Q(name_zh__startswith=term)
        ).values_list("pk", flat=True)[:SEARCH_APPLICANTS_MAX]
    )
    licences = list(Licence.objects.filter(number=term).values_list("pk", "case_id"))
    licences += DeclaredVehicle.objects.filter(vin=upper).values_list(
        "declaration__licence_id", "declaration__licence__case_id"
    )
    return queryset.filter(
        Q(reference__startswith=upper)
        | Q(contract_number=term)
        | Q(applicant_id__in=applicants)
        | Q(pk__in=[case_id for _pk, case_id in licences])
        | Q(licence_to_exchange_id__in=[pk for pk, _case_id in licences])
    )


def enterprise_drafts(enterprise_id: int | None) -> CaseQuerySet:
    """The enterprise's draft applications, most recently touched first."""
    drafts = Case.objects.filter(applicant_id=enterprise_id, status=Case.Status.DRAFT)
    return drafts.select_related("brand", "destination").order_by("-updated_at", "-pk")


def open_information_requests(enterprise_id: int | None) -> QuerySet[InformationRequest]:
    """Unanswered questions on the enterprise's cases awaiting an answer, soonest due first."""
    return (
        InformationRequest.objects.filter(
            case__applicant_id=enterprise_id,
            case__status=Case.Status.INFO_REQUESTED,
            answered_at__isnull=True,
        )
        .select_related("case")
        .order_by("due_on", "pk")
    )


def may_apply_for_used_licence(enterprise_id: int | None, today: date) -> bool:
    """Whether an enterprise may start a used-vehicle licence: qualified this year or next.

    Any class will do: a used-car exporter need not be a manufacturer or authorised.
    """
    if enterprise_id is None:
        return False
    return Qualification.objects.filter(
        enterprise_id=enterprise_id,
        year__in=(today.year, today.year + 1),
        status=Qualification.Status.GRANTED,
    ).exists()
