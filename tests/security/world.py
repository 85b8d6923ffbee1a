"""One world for the permission matrix: two enterprises with one of everything, and every role.

"Own" objects belong to the first enterprise (whose admin, applicant and viewer are the portal
roles under test); "other" objects belong to the second, whose admin is `portal_other`.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import Group

from licensing.models import Case
from licensing.services.reports import monthly_report_generate
from registry.member_services import api_token_create
from registry.roles import AUDITOR, CASEWORKER, LICENSING_OFFICER, REGISTRAR
from tests.aftersales.factories import (
    ComplianceReportFactory,
    ExportedVehicleFactory,
    ObligationFactory,
    ServiceOutletFactory,
    SparePartsCommitmentFactory,
    WarrantyCommitmentFactory,
)
from tests.licensing.factories import add_document, draft_case
from tests.licensing.licence_factories import issue_licence
from tests.notifications.factories import NotificationFactory
from tests.registry.factories import (
    AuthorisationFactory,
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


def build_users(mine, theirs) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The user of every signed-in role: `mine`'s portal roles, `theirs`'s admin, the staff."""
    users = {}
    for role, name in (("admin", "portal_admin"), ("applicant", "portal_applicant")):
        users[name] = MembershipFactory(enterprise=mine, role=role).user
    users["portal_viewer"] = MembershipFactory(enterprise=mine, role="viewer").user
    users["portal_other"] = MembershipFactory(enterprise=theirs, role="admin").user
    users["caseworker"] = _staff("m-cw", CASEWORKER)
    users["officer"] = _staff("m-off", LICENSING_OFFICER, CASEWORKER)
    users["registrar"] = _staff("m-reg", REGISTRAR)
    users["auditor"] = _staff("m-aud", AUDITOR)
    users["superuser"] = UserFactory(username="m-root", is_staff=True, is_superuser=True)
    assert set(users) == set(ROLES) - {"anonymous"}
    return users


def build_world() -> World:
    world = World()
    mine = EnterpriseFactory(kind="manufacturer")
    theirs = EnterpriseFactory(kind="manufacturer")
    world.users = build_users(mine, theirs)
    world.own = _objects_of(mine, world.users["portal_admin"])
    world.other = _objects_of(theirs, world.users["portal_other"])
    add_document(world.own["case"], world.users["portal_applicant"])
    assert world.own["case"].status == Case.Status.DRAFT
    monthly_report_generate(month=date(2026, 1, 1), actor=None)
    return world
