"""After-sales models: the service network and commitments, the exported fleet, obligations."""

from aftersales.models.breaches import Breach, BreachEvidence, BreachNote
from aftersales.models.fleet import ExportedVehicle, Obligation
from aftersales.models.letters import (
    ConfirmationLetter,
    LetterNumberSequence,
    LetterQuerySet,
    LetterRequest,
)
from aftersales.models.network import (
    MAX_BATTERY_KM,
    MAX_LEAD_TIME_DAYS,
    MAX_SUPPLY_YEARS,
    MAX_WARRANTY_MONTHS,
    Commitment,
    CommitmentQuerySet,
    OwnedQuerySet,
    ServiceOutlet,
    ServiceOutletQuerySet,
    SparePartsCommitment,
    WarrantyCommitment,
)
from aftersales.models.reports import ComplianceReport

__all__ = [
    "Breach",
    "BreachEvidence",
    "BreachNote",
    "MAX_BATTERY_KM",
    "MAX_LEAD_TIME_DAYS",
    "MAX_SUPPLY_YEARS",
    "MAX_WARRANTY_MONTHS",
    "Commitment",
    "CommitmentQuerySet",
    "ConfirmationLetter",
    "ComplianceReport",
    "ExportedVehicle",
    "LetterNumberSequence",
    "LetterQuerySet",
    "LetterRequest",
    "Obligation",
    "OwnedQuerySet",
    "ServiceOutlet",
    "ServiceOutletQuerySet",
    "SparePartsCommitment",
    "WarrantyCommitment",
]
