"""Reads of cases for the API, the portal and the admin; always scoped to the reader."""

from typing import Any

from django.db.models import QuerySet

from config.errors import NotFound
from config.ids import parse_id
from licensing.models import Case, CaseQuerySet, Document, InformationRequest


def cases_visible_to(user: Any) -> CaseQuerySet:
    """Cases the user may see, with what a list shows loaded up front."""
    return (
        Case.objects.visible_to(user)
        .select_related("applicant", "brand", "destination", "assigned_to")
        .prefetch_related("lines")
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
