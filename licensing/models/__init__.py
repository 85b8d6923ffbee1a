"""Every licensing model, re-exported."""

from licensing.models.cases import (
    Case,
    CaseLine,
    CaseQuerySet,
    Document,
    EligibilityCheck,
    InformationRequest,
)

__all__ = [
    "Case",
    "CaseLine",
    "CaseQuerySet",
    "Document",
    "EligibilityCheck",
    "InformationRequest",
]
