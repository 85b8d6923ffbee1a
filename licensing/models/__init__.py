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
    "SavedCaseFilter",
]
