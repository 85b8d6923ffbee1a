"""Every licensing model, re-exported."""

from licensing.models.cases import (
    Case,
    CaseLine,
    CaseQuerySet,
    Document,
    EligibilityCheck,
    InformationRequest,
)
from licensing.models.licences import (
    Declaration,
    DeclarationLine,
    DeclaredVehicle,
    Licence,
    LicenceLine,
    LicenceNumberSequence,
    LicenceQuerySet,
)
from licensing.models.notes import CaseNote, SavedCaseFilter
from licensing.models.reports import MonthlyReport
from licensing.models.used import ScheduledVehicle

__all__ = [
    "Case",
    "CaseLine",
    "CaseNote",
    "CaseQuerySet",
    "Document",
    "EligibilityCheck",
    "InformationRequest",
    "Declaration",
    "DeclarationLine",
    "DeclaredVehicle",
    "Licence",
    "LicenceLine",
    "LicenceNumberSequence",
    "LicenceQuerySet",
    "MonthlyReport",
    "SavedCaseFilter",
    "ScheduledVehicle",
]
