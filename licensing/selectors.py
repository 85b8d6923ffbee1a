"""Reads of cases for the API, the portal and the admin; always scoped to the reader."""

from typing import Any

from config.errors import NotFound
from licensing.models import Case, CaseQuerySet, Document


def cases_visible_to(user: Any) -> CaseQuerySet:
    """Cases the user may see, with what a list shows loaded up front."""
    return (
        Case.objects.visible_to(user)
        .select_related("applicant", "brand", "destination", "assigned_to")
        .prefetch_related("lines")
    )


def case_for(user: Any, pk: Any) -> Case:
    """One case the user may see; another enterprise's case is simply not found."""
    case = Case.objects.visible_to(user).filter(pk=pk).first()
    if case is None:
        raise NotFound("No such case.")
    return case


def document_for(user: Any, case: Case, pk: Any) -> Document:
    """One document of a case the user may already see."""
    document = case.documents.filter(pk=pk).first()
    if document is None:
        raise NotFound("No such document.")
    return document
