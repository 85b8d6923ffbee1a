"""One world for the permission matrix: two enterprises with one of everything, and every role.

"Own" objects belong to the first enterprise (whose admin, applicant and viewer are the portal
roles under test); "other" objects belong to the second, whose admin is `portal_other`.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.models import LetterRequest
from aftersales.services import letter_issue, letter_request_create
from aftersales.services.breach_evidence import breach_evidence_add
from licensing.models import Case
from licensing.services.reports import monthly_report_generate
from registry.member_services import api_token_create
from registry.roles import AUDITOR, CASEWORKER, LICENSING_OFFICER, REGISTRAR
from tests.aftersales.factories import (
    BreachFactory,
    ComplianceReportFactory,
    ExportedVehicleFactory,
    ObligationFactory,
    ServiceOutletFactory,
    SparePartsCommitmentFactory,
    WarrantyCommitmentFactory,
)
from tests.licensing.factories import PDF_BYTES, add_document, draft_case
from tests.licensing.licence_factories import issue_licence, vin_with_check_digit
from tests.notifications.factories import NotificationFactory
from tests.registry.factories import (
    AuthorisationFactory,
    BrandFactory,
    CountryFactory,
    EnterpriseFactory,
    MembershipFactory,
    QualificationFactory,
    UserFactory,
    VehicleModelFactory,
)

PORTAL_ROLES = ("portal_admin", "portal_applicant", "portal_viewer")
STAFF = ("caseworker", "officer", "registrar", "auditor")
ROLES = ("anonymous", *PORTAL_ROLES, "portal_other", *STAFF, "superuser")
MISSING_ID = 987654321


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    own: dict[str, Any] = field(default_factory=dict)
    other: dict[str, Any] = field(default_factory=dict)


def _staff(username: str, *roles: str):  # type: ignore[no-untyped-def]
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


def _objects_of(enterprise, admin_user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    case = draft_case(admin_user)
    brand = case.brand
    licence = issue_licence(applicant=enterprise, brand=brand)
    _token, _key = api_token_create(actor=admin_user, name="matrix")
    return {
        "enterprise": enterprise,
        "case": case,
        "document": case.documents.first(),
        "licence": licence,
        "notification": NotificationFactory(recipient=admin_user),
        "member": MembershipFactory(enterprise=enterprise, role="viewer"),
        "token": _token,
        "brand": brand,
        "vehicle_model": VehicleModelFactory(brand=brand),
        "authorisation": AuthorisationFactory(manufacturer=enterprise),
        "qualification": QualificationFactory(enterprise=enterprise, year=2019),
        "outlet": ServiceOutletFactory(enterprise=enterprise, brand=brand),
        "warranty": WarrantyCommitmentFactory(enterprise=enterprise),
        "spare_parts": SparePartsCommitmentFactory(enterprise=enterprise),
        "vehicle": ExportedVehicleFactory(enterprise=enterprise),
        "obligation": ObligationFactory(enterprise=enterprise),
        "report": ComplianceReportFactory(enterprise=enterprise),
    }


def _letters_of(enterprise, admin_user, wmi: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A letter the enterprise issued unasked, and a pending request a trader sent it."""
    from registry.models import WorldManufacturerIdentifier

    WorldManufacturerIdentifier.objects.create(code=wmi, manufacturer=enterprise)
    brand = BrandFactory(manufacturer=enterprise)
    model = VehicleModelFactory(brand=brand)
    france = CountryFactory(code="FR")
    outlet = ServiceOutletFactory(enterprise=enterprise, brand=brand, country=france)
    trader = MembershipFactory(enterprise=EnterpriseFactory(kind="other"), role="applicant").user
    vins = [vin_with_check_digit(f"{wmi}0A1B20T000000{n}") for n in (1, 2)]
    letter = letter_issue(
        actor=admin_user, vin=vins[0], vehicle_model=model, country=france, outlet=outlet
    )
    request = letter_request_create(actor=trader, vin=vins[1], vehicle_model=model, country=france)
    assert request.status == LetterRequest.Status.PENDING
    return {"letter": letter, "letter_request": request}


def _breach_evidence(enterprise, caseworker):  # type: ignore[no-untyped-def]
    """A breach of the enterprise with one evidence file (the first breach is the own one)."""
    return breach_evidence_add(
        actor=caseworker,
        breach=BreachFactory(enterprise=enterprise),
        upload=SimpleUploadedFile("evidence.pdf", PDF_BYTES),
        description="Workshop closed",
    )


def build_world() -> World:
    world = World()
    mine = EnterpriseFactory(kind="manufacturer")
    theirs = EnterpriseFactory(kind="manufacturer")
    for role, name in (("admin", "portal_admin"), ("applicant", "portal_applicant")):
        world.users[name] = MembershipFactory(enterprise=mine, role=role).user
    world.users["portal_viewer"] = MembershipFactory(enterprise=mine, role="viewer").user
    world.users["portal_other"] = MembershipFactory(enterprise=theirs, role="admin").user
    world.users["caseworker"] = _staff("m-cw", CASEWORKER)
    world.users["officer"] = _staff("m-off", LICENSING_OFFICER, CASEWORKER)
    world.users["registrar"] = _staff("m-reg", REGISTRAR)
    world.users["auditor"] = _staff("m-aud", AUDITOR)
    world.users["superuser"] = UserFactory(username="m-root", is_staff=True, is_superuser=True)
    world.own = _objects_of(mine, world.users["portal_admin"])
    world.other = _objects_of(theirs, world.users["portal_other"])
    world.own.update(_letters_of(mine, world.users["portal_admin"], "LM1"))
    world.other.update(_letters_of(theirs, world.users["portal_other"], "LM2"))
    for objects in (world.own, world.other):
        objects["breach_evidence"] = _breach_evidence(
            objects["enterprise"], world.users["caseworker"]
        )
    add_document(world.own["case"], world.users["portal_applicant"])
    assert world.own["case"].status == Case.Status.DRAFT
    monthly_report_generate(month=date(2026, 1, 1), actor=None)
    return world
