"""Eligibility screening: each check passes and fails for the right reason; overrides."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from aftersales.models import ServiceOutlet, SparePartsCommitment, WarrantyCommitment
from config.errors import ActionForbidden
from licensing.models import Case, CaseLine
from licensing.services import drafts, screening, workflow
from licensing.services.workflow import EligibilityNotMet
from registry.models import Enterprise, Qualification
from tests.licensing.factories import QualificationCaseFactory, case_in_status, draft_case
from tests.registry.factories import (
    AuthorisationFactory,
    BrandFactory,
    EnterpriseFactory,
    QualificationFactory,
    VehicleModelFactory,
)

pytestmark = pytest.mark.usefixtures("frozen_today")


def results(case: Case, today: date | None = None) -> dict[str, tuple[bool, str]]:
    return {code: (ok, detail) for code, ok, detail in screening.run_checks(case, today)}


@pytest.fixture
def case(maker):  # type: ignore[no-untyped-def]
    return draft_case(maker)


def test_an_eligible_licence_case_passes_every_check(case):  # type: ignore[no-untyped-def]
    outcome = results(case)
    assert set(outcome) == {
        "qualification",
        "authorisation",
        "models_bev",
        "outlets",
        "warranty",
        "spare_parts",
        "negative_list",
        "validity",
        "destination",
    }
    assert all(ok for ok, _detail in outcome.values()), outcome


def test_no_qualification_for_the_year_fails(case):  # type: ignore[no-untyped-def]
    Qualification.objects.filter(enterprise=case.applicant).delete()
    ok, detail = results(case)["qualification"]
    assert not ok and "2026" in detail


def test_exporter_needs_a_current_unrevoked_authorisation_for_the_brand(case):  # type: ignore[no-untyped-def]
    exporter = EnterpriseFactory(kind=Enterprise.Kind.AUTHORISED_EXPORTER)
    case.applicant = exporter
    assert results(case)["authorisation"][0] is False
    auth = AuthorisationFactory(
        manufacturer=case.brand.manufacturer, exporter=exporter, brands=[case.brand]
    )
    assert results(case)["authorisation"][0] is True
    auth.revoked_at = timezone.now()
    auth.save()
    assert results(case)["authorisation"][0] is False
    other_brand = BrandFactory(manufacturer=case.brand.manufacturer)
    AuthorisationFactory(
        manufacturer=case.brand.manufacturer,
        exporter=exporter,
        brands=[other_brand],
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 1, 31),
    )
    assert results(case)["authorisation"][0] is False


def test_a_line_that_is_not_bev_or_of_another_brand_fails(case):  # type: ignore[no-untyped-def]
    CaseLine.objects.create(
        case=case,
        vehicle_model=VehicleModelFactory(brand=case.brand, powertrain="PHEV"),
        quantity=1,
        unit_price_usd=1,
    )
    ok, detail = results(case)["models_bev"]
    assert not ok and "battery-electric" in detail
    case.lines.all().delete()
    CaseLine.objects.create(
        case=case, vehicle_model=VehicleModelFactory(), quantity=1, unit_price_usd=1
    )
    ok, detail = results(case)["models_bev"]
    assert not ok and "brand" in detail


@pytest.mark.parametrize(
    ("code", "model"),
    [
        ("outlets", ServiceOutlet),
        ("warranty", WarrantyCommitment),
        ("spare_parts", SparePartsCommitment),
    ],
)
def test_missing_after_sales_cover_fails_its_check(case, code, model):  # type: ignore[no-untyped-def]
    model.objects.all().delete()
    ok, detail = results(case)[code]
    assert not ok and detail


def test_negative_listed_applicant_fails(case):  # type: ignore[no-untyped-def]
    Enterprise.objects.filter(pk=case.applicant_id).update(
        negative_listed=True, negative_list_reason="False declarations in 2025"
    )
    case.refresh_from_db()
    assert results(case)["negative_list"] == (False, "False declarations in 2025")


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "today", "ok"),
    [
        (date(2026, 3, 2), date(2026, 9, 1), date(2026, 2, 25), True),
        (date(2026, 3, 2), date(2026, 9, 2), date(2026, 2, 25), False),  # over six months
        (date(2026, 9, 1), date(2027, 1, 31), date(2026, 2, 25), False),  # past 31 December
        (date(2026, 1, 5), date(2026, 2, 20), date(2026, 2, 25), False),  # already ended
        (date(2027, 1, 1), date(2027, 6, 30), date(2026, 12, 9), False),  # next year too early
        (date(2027, 1, 1), date(2027, 6, 30), date(2026, 12, 10), True),  # from 10 December
        (date(2027, 1, 2), date(2027, 6, 30), date(2026, 12, 15), False),  # must start 1 Jan
    ],
)
def test_validity_follows_the_six_month_and_31_december_rules(
    case, valid_from, valid_until, today, ok
):  # type: ignore[no-untyped-def]
    case.valid_from, case.valid_until = valid_from, valid_until
    assert results(case, today)["validity"][0] is ok


def test_a_missing_destination_fails(case):  # type: ignore[no-untyped-def]
    case.destination = None
    assert results(case)["destination"][0] is False


def test_qualification_cases_use_the_smaller_checklist(maker, manufacturer):  # type: ignore[no-untyped-def]
    case = QualificationCaseFactory(applicant=manufacturer, year=2027)
    outcome = results(case)
    assert set(outcome) == {"catalogue", "negative_list", "no_existing_qualification"}
    assert all(ok for ok, _d in outcome.values())
    QualificationFactory(enterprise=manufacturer, year=2027)
    assert results(case)["no_existing_qualification"][0] is False
    trader = EnterpriseFactory(kind=Enterprise.Kind.AUTHORISED_EXPORTER)
    assert results(QualificationCaseFactory(applicant=trader))["catalogue"][0] is False


def test_override_needs_a_reason_and_the_assigned_caseworker(
    maker, caseworker, caseworker2, officer, case
):  # type: ignore[no-untyped-def]
    ServiceOutlet.objects.all().delete()
    case = case_in_status(
        "under_review", applicant_user=maker, caseworker=caseworker, officer=officer, case=case
    )
    with pytest.raises(ValidationError):
        workflow.eligibility_override(actor=caseworker, case=case, code="outlets", reason=" ")
    with pytest.raises(ActionForbidden):
        workflow.eligibility_override(actor=caseworker2, case=case, code="outlets", reason="Seen")
    with pytest.raises(EligibilityNotMet):
        workflow.case_recommend(actor=caseworker, case=case, outcome="approve", reasons="ok")
    check = workflow.eligibility_override(
        actor=caseworker, case=case, code="outlets", reason="Seen contracts"
    )
    assert check.overridden and check.overridden_by == caseworker
    screening.screen_case(case=case)
    assert case.eligibility_checks.get(code="outlets").overridden, "override survives a re-run"
    workflow.case_recommend(actor=caseworker, case=case, outcome="approve", reasons="ok")


def test_a_check_that_newly_fails_at_decision_blocks_approval(maker, caseworker, officer, case):  # type: ignore[no-untyped-def]
    case = case_in_status(
        "recommended", applicant_user=maker, caseworker=caseworker, officer=officer, case=case
    )
    WarrantyCommitment.objects.all().delete()
    with pytest.raises(EligibilityNotMet):
        workflow.case_decide(actor=officer, case=case, outcome="approve", reasons="ok")
    case.refresh_from_db()
    assert case.status == "recommended"
    assert case.eligibility_checks.get(code="warranty").passed is False
    workflow.case_decide(actor=officer, case=case, outcome="refuse", reasons="No warranty cover")
    assert case.status == "refused" and "reconsideration" in case.appeal_information


def test_approving_a_qualification_case_grants_the_qualification(
    manufacturer, maker, caseworker, officer
):  # type: ignore[no-untyped-def]
    from tests.licensing.factories import add_document

    case = QualificationCaseFactory(applicant=manufacturer, year=2027)
    add_document(case, maker, "business_licence")
    case = case_in_status(
        "approved", applicant_user=maker, caseworker=caseworker, officer=officer, case=case
    )
    granted = Qualification.objects.get(enterprise=manufacturer, year=2027)
    assert granted.source_case_reference == case.reference


def test_viewer_members_cannot_apply(viewer, manufacturer):  # type: ignore[no-untyped-def]
    with pytest.raises(ActionForbidden):
        drafts.case_create(actor=viewer, kind="qualification", year=2027, qualification_class="2")
