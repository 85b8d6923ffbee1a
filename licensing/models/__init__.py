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

__all__ = [
    "Case",
    "CaseLine",
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
]
