"""Demo licences: issued through real approvals, then drawn down and acted on.

Called at the end of licensing.demo.seed. Idempotent: each demo licence is keyed by the
contract number of the case that issued it, and a step already taken is not repeated.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from licensing.models import Case, Licence
from licensing.services.declarations import DeclaredLine, declaration_record
from licensing.services.licences import licence_suspend

# contract number: (applicant key, destination, what happens after issue)
DEMO_LICENCES = {
    "JRM-DEMO-L01": ("jade", "FR", "declared"),
    "JRM-DEMO-L02": ("jade", "TH", "suspended"),
    "JRM-DEMO-L03": ("jade", "DE", "declared"),
}
# One declaration per declared demo licence, by destination: number and VINs (Chinese-WMI
# VINs with correct ISO 3779 check digits); each registers exported vehicles.
DEMO_DECLARATIONS = {
    "FR": ("220020260000000001", ["LJRD0A1B5T0000001", "LJRD0A1B7T0000002"]),
    "DE": ("220020260000000002", ["LJRD0A1B9T0000003", "LJRD0A1B0T0000004"]),
}


def seed(world: dict) -> dict:
    """Issue the demo licences that do not exist yet and bring each to its state."""
    from licensing import demo as case_demo

    users = {u.username: u for u in get_user_model().objects.all() if u.username in _USERS}
    licences = {}
    for contract, (applicant, destination, state) in DEMO_LICENCES.items():
        case = Case.objects.filter(contract_number=contract).first()
        if case is None:
            case = case_demo._licence_case(world, users, contract, applicant, destination)
            case = case_demo._approved(case, users)
        licence = Licence.objects.filter(case=case).first()
        if licence is not None:
            _STATES[state](licence, users)
            licences[contract] = licence
    return {"licences": licences}


_USERS = ("maker", "exporter", "caseworker", "caseworker2", "officer", "officer2")


def _declared(licence: Licence, users: dict) -> None:
    if licence.declarations.exists() or licence.status != Licence.Status.ACTIVE:
        return
    model_id = licence.lines.values_list("vehicle_model_id", flat=True).first()
    number, vins = DEMO_DECLARATIONS[licence.destination_id]
    declaration_record(
        licence=licence,
        actor=users["maker"],
        number=number,
        declared_on=max(licence.valid_from, timezone.localdate()),
        lines=[DeclaredLine(vehicle_model_id=model_id, quantity=len(vins), vins=vins)],
    )


def _suspended(licence: Licence, users: dict) -> None:
    if licence.status == Licence.Status.ACTIVE:
        licence_suspend(
            licence=licence,
            actor=users["officer2"],
            reason="Demo: the Bangkok outlet's service contract lapsed; reinstate once renewed.",
        )


_STATES: dict[str, Any] = {
    "declared": _declared,
    "suspended": _suspended,
    "issued": lambda licence, users: None,
}
