"""factory_boy factories for licensing cases, and helpers that put a case in any state."""

import hashlib
from datetime import date, timedelta
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from licensing.models import Case, CaseLine, Document, EligibilityCheck
from registry.models import Qualification
from tests.registry.factories import (
    BrandFactory,
    CountryFactory,
    EnterpriseFactory,
    QualificationFactory,
    VehicleModelFactory,
)


class CaseFactory(factory.django.DjangoModelFactory):
    """A draft licence case for the applicant's own brand, destination FR."""

    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"LC-2026-{900000 + n:06d}")
    kind = Case.Kind.LICENCE
    applicant = factory.SubFactory(EnterpriseFactory)
    brand = factory.SubFactory(BrandFactory, manufacturer=factory.SelfAttribute("..applicant"))
    destination = factory.SubFactory(CountryFactory)
    customs_port = "Shanghai Yangshan"
    trade_mode = Case.TradeMode.GENERAL
    contract_number = factory.Sequence(lambda n: f"CT-{n:06d}")
    payment_terms = "T/T 30 days"
    transport_mode = Case.TransportMode.SEA
    use_mode = Case.UseMode.SINGLE
    valid_from = date(2026, 3, 2)
    valid_until = date(2026, 8, 31)


class QualificationCaseFactory(CaseFactory):
    """A draft qualification case for 2026."""

    reference = factory.Sequence(lambda n: f"QC-2026-{900000 + n:06d}")
    kind = Case.Kind.QUALIFICATION
    brand = None
    destination = None
    customs_port = ""
    trade_mode = ""
    contract_number = ""
    payment_terms = ""
    transport_mode = ""
    valid_from = None
    valid_until = None
    year = 2026
    qualification_class = "2"


class CaseLineFactory(factory.django.DjangoModelFactory):
    """A goods line for a BEV model of the case's brand."""

    class Meta:
        model = CaseLine

    case = factory.SubFactory(CaseFactory)
    vehicle_model = factory.LazyAttribute(lambda line: VehicleModelFactory(brand=line.case.brand))
    quantity = 10
    unit_price_usd = Decimal("25000.00")


class EligibilityCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityCheck

    case = factory.SubFactory(CaseFactory)
    code = "qualification"
    passed = True
    detail = ""
    run_at = factory.LazyFunction(timezone.now)


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def add_document(case: Case, user, doc_type: str = "contract") -> Document:  # type: ignore[no-untyped-def]
    """Attach a small valid PDF to the case, as if uploaded by `user`."""
    document = Document(
        case=case,
        doc_type=doc_type,
        original_name=f"{doc_type}.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
        uploaded_by=user,
    )
    document.file.save("upload", ContentFile(PDF_BYTES), save=False)
    document.save()
    return document


def eligible_world(case: Case) -> None:
    """Give the applicant everything screening looks for: qualification and after-sales cover."""
    from tests.aftersales.factories import (
        ServiceOutletFactory,
        SparePartsCommitmentFactory,
        WarrantyCommitmentFactory,
    )

    year = case.valid_from.year if case.valid_from else 2026
    if not Qualification.objects.filter(enterprise=case.applicant, year=year).exists():
        QualificationFactory(enterprise=case.applicant, year=year)
    where = {"enterprise": case.applicant, "brand": case.brand, "country": case.destination}
    ServiceOutletFactory(enterprise=case.applicant, country=case.destination, brand=case.brand)
    WarrantyCommitmentFactory(**where)
    SparePartsCommitmentFactory(**where)


def draft_case(applicant_user, *, eligible: bool = True, **fields) -> Case:  # type: ignore[no-untyped-def]
    """A complete draft licence case of the user's enterprise: one line and a contract."""
    case = CaseFactory(applicant=applicant_user.membership.enterprise, **fields)
    CaseLineFactory(case=case)
    add_document(case, applicant_user)
    if eligible:
        eligible_world(case)
    return case


def case_in_status(  # type: ignore[no-untyped-def]
    status: str, *, applicant_user, caseworker, officer, case: Case | None = None
) -> Case:
    """Drive a case through the real services to `status` (assessed by `caseworker`)."""
    case = case or draft_case(applicant_user)
    path = STATUS_PATHS[status]
    for step in path:
        case = _STEPS[step](case, applicant_user, caseworker, officer)
    return case


def _override_failures(case: Case, caseworker) -> None:  # type: ignore[no-untyped-def]
    from licensing.services import workflow

    for check in case.eligibility_checks.filter(passed=False, overridden=False):
        workflow.eligibility_override(
            actor=caseworker, case=case, code=check.code, reason="Checked by hand"
        )


def _step(name: str):  # type: ignore[no-untyped-def]
    from licensing.services import workflow

    def run(case, applicant_user, caseworker, officer):  # type: ignore[no-untyped-def]
        if name == "submit":
            return workflow.case_submit(actor=applicant_user, case=case)
        if name == "assign":
            return workflow.case_assign(actor=caseworker, case=case)
        if name == "request_info":
            return workflow.case_request_info(
                actor=caseworker,
                case=case,
                question="Send the warranty terms",
                due_on=timezone.localdate() + timedelta(days=10),
            )
        if name == "recommend":
            _override_failures(case, caseworker)
            return workflow.case_recommend(
                actor=caseworker, case=case, outcome="approve", reasons="Complete and eligible"
            )
        if name == "approve":
            return workflow.case_decide(
                actor=officer, case=case, outcome="approve", reasons="Agreed"
            )
        if name == "refuse":
            return workflow.case_decide(
                actor=officer, case=case, outcome="refuse", reasons="Not convinced"
            )
        if name == "withdraw":
            return workflow.case_withdraw(actor=applicant_user, case=case)
        raise ValueError(name)

    return run


STATUS_PATHS: dict[str, tuple[str, ...]] = {
    "draft": (),
    "submitted": ("submit",),
    "under_review": ("submit", "assign"),
    "info_requested": ("submit", "assign", "request_info"),
    "recommended": ("submit", "assign", "recommend"),
    "approved": ("submit", "assign", "recommend", "approve"),
    "refused": ("submit", "assign", "recommend", "refuse"),
    "withdrawn": ("submit", "withdraw"),
}
_STEPS = {
    name: _step(name)
    for name in ("submit", "assign", "request_info", "recommend", "approve", "refuse", "withdraw")
}
