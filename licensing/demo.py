"""Demo cases in every workflow state, made by the workflow services so the audit trail is real.

Idempotent: each licence case is keyed by a fixed demo contract number, the qualification
case by (applicant, year); an existing case is left exactly as it is.
"""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from licensing.demo_used import seed_used_draft
from licensing.models import Case, Document
from licensing.services import documents, drafts, workflow
from licensing.validity import latest_valid_until
from registry.models import Country, VehicleModel

# A minimal but genuine PDF, enough for the content check on upload.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

# contract number: (applicant key, destination, the state to bring the case to)
DEMO_LICENCE_CASES = {
    "JRM-DEMO-001": ("jade", "FR", "draft"),
    "JRM-DEMO-002": ("jade", "DE", "submitted"),
    "JRM-DEMO-003": ("jade_trading", "FR", "under_review"),
    "JRM-DEMO-004": ("jade", "TH", "info_requested"),
    "JRM-DEMO-005": ("jade", "FR", "recommended"),
    "JRM-DEMO-006": ("jade_trading", "DE", "approved"),
    "JRM-DEMO-007": ("jade", "TH", "refused"),
    "JRM-DEMO-008": ("jade", "FR", "withdrawn"),
    "JRM-DEMO-009": ("jade", "BR", "screening_failed"),
}
APPLICANT_USERS = {"jade": "maker", "jade_trading": "exporter"}


def seed(world: dict) -> dict:
    """Create the demo cases that do not exist yet; return them by contract number."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=_USERNAMES)}
    cases = {}
    for contract, (applicant, destination, state) in DEMO_LICENCE_CASES.items():
        case = Case.objects.filter(contract_number=contract).first()
        if case is None:
            case = _licence_case(world, users, contract, applicant, destination)
            _STEPS[state](case, users)
        cases[contract] = case
    cases["qualification"] = _qualification_case(world, users)
    cases["used"] = seed_used_draft(world, DEMO_PDF)
    _seed_licences({**world, "cases": cases})
    return {"cases": cases}


_USERNAMES = ("maker", "exporter", "caseworker", "caseworker2", "officer", "officer2")


def _licence_case(world: dict, users: dict, contract: str, applicant: str, dest: str) -> Case:
    brand = world["brands"]["jade"]
    model = VehicleModel.objects.filter(brand=brand, powertrain="BEV").order_by("pk").first()
    today = timezone.localdate()
    actor = users[APPLICANT_USERS[applicant]]
    case = drafts.case_create(
        actor=actor,
        kind=Case.Kind.LICENCE,
        applicant=world["enterprises"][applicant],
        lines=[{"vehicle_model": model, "quantity": 40, "unit_price_usd": Decimal("23800.00")}],
        brand=brand,
        destination=Country.objects.get(code=dest),
        customs_port="Shanghai Yangshan",
        trade_mode=Case.TradeMode.GENERAL,
        contract_number=contract,
        payment_terms="T/T 30 days",
        transport_mode=Case.TransportMode.SEA,
        use_mode=Case.UseMode.MULTI,
        valid_from=today,
        valid_until=latest_valid_until(today),
    )
    _attach(actor, case, Document.DocType.CONTRACT, f"{contract}.pdf")
    return case


def _qualification_case(world: dict, users: dict) -> Case:
    applicant = world["enterprises"]["jade_trading"]
    year = timezone.localdate().year + 1
    case = Case.objects.filter(kind=Case.Kind.QUALIFICATION, applicant=applicant, year=year).first()
    if case is None:
        actor = users["exporter"]
        case = drafts.case_create(
            actor=actor,
            kind=Case.Kind.QUALIFICATION,
            applicant=applicant,
            year=year,
            qualification_class="exporter",
        )
        _attach(actor, case, Document.DocType.BUSINESS_LICENCE, "business-licence.pdf")
        _under_review(case, users, "caseworker2")
    return case


def _attach(actor: Any, case: Case, doc_type: str, name: str) -> None:
    upload = SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")
    documents.document_add(actor=actor, case=case, doc_type=doc_type, upload=upload)


def _applicant(case: Case, users: dict) -> Any:
    key = "jade_trading" if case.applicant.kind == "authorised_exporter" else "jade"
    return users[APPLICANT_USERS[key]]


def _submitted(case: Case, users: dict) -> Case:
    return workflow.case_submit(actor=_applicant(case, users), case=case)


def _under_review(case: Case, users: dict, caseworker: str = "caseworker") -> Case:
    case = _submitted(case, users)
    return workflow.case_assign(actor=users[caseworker], case=case)


def _info_requested(case: Case, users: dict) -> Case:
    case = _under_review(case, users)
    return workflow.case_request_info(
        actor=users["caseworker"],
        case=case,
        question="Please provide the signed service agreement with the Bangkok outlet.",
        due_on=timezone.localdate() + timedelta(days=10),
    )


def _recommended(
    case: Case, users: dict, caseworker: str = "caseworker", outcome: str = "approve"
) -> Case:
    case = _under_review(case, users, caseworker)
    if outcome == Case.Outcome.APPROVE:
        _override_failures(case, users[caseworker])
    return workflow.case_recommend(
        actor=users[caseworker],
        case=case,
        outcome=outcome,
        reasons="Eligibility confirmed against the registry and the after-sales evidence."
        if outcome == Case.Outcome.APPROVE
        else "The contract does not match the after-sales arrangements declared.",
    )


def _override_failures(case: Case, caseworker: Any) -> None:
    # The demo world may lack some after-sales evidence; the caseworker records why it is fine.
    for check in case.eligibility_checks.filter(passed=False, overridden=False):
        workflow.eligibility_override(
            actor=caseworker,
            case=case,
            code=check.code,
            reason="Demo: verified on paper during the review meeting.",
        )


def _approved(case: Case, users: dict) -> Case:
    case = _recommended(case, users, "caseworker2")
    return workflow.case_decide(
        actor=users["officer"], case=case, outcome="approve", reasons="Approved as recommended."
    )


def _refused(case: Case, users: dict) -> Case:
    case = _recommended(case, users, outcome="refuse")
    return workflow.case_decide(
        actor=users["officer2"],
        case=case,
        outcome="refuse",
        reasons="Refused: after-sales arrangements do not cover the contract.",
    )


def _withdrawn(case: Case, users: dict) -> Case:
    case = _submitted(case, users)
    return workflow.case_withdraw(
        actor=_applicant(case, users), case=case, reason="Contract cancelled by the buyer."
    )


def _screening_failed(case: Case, users: dict) -> Case:
    # Brazil has no outlets, warranty or spare-parts commitments: screening fails on submit.
    return _under_review(case, users, "caseworker2")


_STEPS: dict[str, Callable[[Case, dict], Any]] = {
    "draft": lambda case, users: case,
    "submitted": _submitted,
    "under_review": _under_review,
    "info_requested": _info_requested,
    "recommended": _recommended,
    "approved": _approved,
    "refused": _refused,
    "withdrawn": _withdrawn,
    "screening_failed": _screening_failed,
}


def _seed_licences(world: dict) -> None:
    """Let the licences part of the demo add issued licences, once it exists."""
    try:
        module = import_module("licensing.demo_licences")
    except ModuleNotFoundError:
        return
    module.seed(world)
