"""In a real browser, in English and Chinese, at phone and desktop width: applying on the portal.

A maker applies with an uploaded contract, reads the screening result and submits; a
caseworker and an officer decide in the admin; an authorised exporter applies for its
principal's brand; an information request is answered with an attachment. Screenshots of
every page go to var/screenshots/ at 375 and 1400 px.
"""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from licensing.models import Case
from licensing.services import documents, drafts, workflow
from tests.e2e.test_login import log_in
from tests.licensing.factories import PDF_BYTES, CaseFactory, eligible_world
from tests.registry.factories import (
    AuthorisationFactory,
    BrandFactory,
    CountryFactory,
    EnterpriseFactory,
    MembershipFactory,
    VehicleModelFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = (1400, 375)
# How far the page's content reaches past the right edge of the window (the masthead is
# the layout's own concern).
MAIN_OVERFLOW = """Math.max(0, ...Array.from(document.querySelectorAll("main *"),
    (e) => e.getBoundingClientRect().right)) - window.innerWidth"""
TEXT = {
    "en": {
        "locale": "en-GB",
        "apply": "Apply",
        "save": "Save draft",
        "upload": "Upload",
        "submit": "Submit the application",
        "submitted": "Your application was submitted",
        "send": "Send answer",
        "answered": "Your answer was sent",
        "status_submitted": "Submitted",
        "approved": "Approved",
        "qualification_check": "Export qualification for the year",
    },
    "zh-hans": {
        "locale": "zh-CN",
        "apply": "提出申请",
        "save": "保存草稿",
        "upload": "上传",
        "submit": "提交申请",
        "submitted": "申请已提交",
        "send": "提交答复",
        "answered": "答复已提交",
        "status_submitted": "已提交",
        "approved": "已批准",
        "qualification_check": "年度出口资质",
    },
}


@pytest.fixture(params=["en", "zh-hans"])
def language(request):  # type: ignore[no-untyped-def]
    return request.param


@pytest.fixture
def page(browser, live_server, language):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=live_server.url,
        locale=TEXT[language]["locale"],
        viewport={"width": 1400, "height": 900},
    )
    context.set_default_timeout(15_000)
    opened = context.new_page()
    yield opened
    context.close()


def shoot(page, name: str, language: str) -> None:  # type: ignore[no-untyped-def]
    """Save the page at both widths, then return to desktop width."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{language}-{width}.png"), full_page=True)
        assert page.evaluate(MAIN_OVERFLOW) <= 0, f"{name} is wider than {width} px"
    page.set_viewport_size({"width": 1400, "height": 900})


def validity() -> tuple[date, date]:
    today = timezone.localdate()
    return today, min(today + timedelta(days=60), date(today.year, 12, 31))


def world(enterprise):  # type: ignore[no-untyped-def]
    """A brand with a BEV model and everything screening looks for, for `enterprise`."""
    brand = BrandFactory(manufacturer=enterprise, name="Jade River")
    model = VehicleModelFactory(brand=brand, name="Aurora")
    france = CountryFactory(code="FR")
    start, _end = validity()
    eligible_world(
        CaseFactory.build(applicant=enterprise, brand=brand, destination=france, valid_from=start)
    )
    return brand, model


def fill_application(page, brand, model, contract: str) -> None:  # type: ignore[no-untyped-def]
    start, end = validity()
    page.select_option("#id_brand", str(brand.pk))
    page.select_option("#id_destination", "FR")
    page.fill("#id_contract_number", contract)
    page.fill("#id_customs_port", "Shanghai Yangshan")
    page.select_option("#id_trade_mode", "general")
    page.select_option("#id_transport_mode", "sea")
    page.fill("#id_valid_from", start.isoformat())
    page.fill("#id_valid_until", end.isoformat())
    page.select_option("#id_lines-0-vehicle_model", str(model.pk))
    page.fill("#id_lines-0-quantity", "20")
    page.fill("#id_lines-0-unit_price_usd", "24500")


def upload_contract(page, tmp_path, t) -> None:  # type: ignore[no-untyped-def]
    contract = tmp_path / "sales-contract.pdf"
    contract.write_bytes(PDF_BYTES)
    page.select_option("#id_doc_type", "contract")
    page.set_input_files("#id_file", str(contract))
    page.get_by_role("button", name=t["upload"], exact=True).click()
    page.wait_for_url("**/portal/cases/*/")
    page.locator("ul.documents", has_text="sales-contract.pdf").wait_for()


def test_a_maker_applies_with_a_contract_sees_screening_and_submits_then_staff_decide(
    page, language, maker, manufacturer, caseworker, officer, tmp_path
):  # type: ignore[no-untyped-def]
    t = TEXT[language]
    brand, model = world(manufacturer)
    log_in(page, "/portal/login/", maker.username)
    page.get_by_role("link", name=t["apply"], exact=True).click()
    page.wait_for_load_state()
    # Without a brand every model is offered; choosing one leaves only that brand's models.
    page.get_by_role("button", name=t["save"]).wait_for()
    page.get_by_role("button", name="Add a line" if language == "en" else "添加一行").click()
    assert page.locator("[data-line]").count() == 2
    page.locator("#id_lines-1-DELETE").check()
    shoot(page, "apply-form", language)
    other = VehicleModelFactory(brand=BrandFactory(manufacturer=manufacturer), name="Other")
    page.reload()
    fill_application(page, brand, model, "JR-E2E-1")
    assert page.locator(f"#id_lines-0-vehicle_model option[value='{other.pk}']").is_hidden()
    page.get_by_role("button", name=t["save"]).click()
    page.wait_for_url("**/portal/cases/*/")
    case = Case.objects.get(contract_number="JR-E2E-1")
    assert case.lines.count() == 1
    upload_contract(page, tmp_path, t)
    assert page.locator(".checks li.passed").count() >= 5
    shoot(page, "case-draft", language)
    page.get_by_role("button", name=t["submit"]).click()
    page.wait_for_load_state()
    assert t["submitted"] in page.locator(".messages").inner_text()
    assert page.locator(".case-summary .status").inner_text() == t["status_submitted"]
    shoot(page, "case-submitted", language)

    staff = page.context.browser.new_context(base_url=page.url.split("/portal")[0], locale="en-GB")
    admin = staff.new_page()
    log_in(admin, "/admin/login/?next=/admin/", caseworker.username)
    admin.goto(f"/admin/licensing/case/{case.pk}/change/")
    admin.locator("#case-action-assign [type=submit]").click()
    admin.wait_for_load_state()
    admin.fill("#id_recommend_reasons", "Complete; every check passes.")
    admin.select_option("#id_recommend_outcome", "approve")
    admin.locator("#case-action-recommend [type=submit]").click()
    admin.wait_for_load_state()
    admin.context.clear_cookies()
    log_in(admin, "/admin/login/?next=/admin/", officer.username)
    admin.goto(f"/admin/licensing/case/{case.pk}/change/")
    admin.select_option("#id_decide_outcome", "approve")
    admin.fill("#id_decide_reasons", "Agreed.")
    admin.locator("#case-action-decide [type=submit]").click()
    admin.wait_for_load_state()
    staff.close()

    page.reload()
    case.refresh_from_db()
    assert page.locator(".decision h2").inner_text() == t["approved"]
    assert case.issued_licence.number in page.locator(".licence-link").inner_text()
    shoot(page, "case-approved", language)


def test_a_failed_check_is_named_with_its_remedy_and_a_link_that_fixes_it(
    page, language, maker, manufacturer
):  # type: ignore[no-untyped-def]
    t = TEXT[language]
    brand = BrandFactory(manufacturer=manufacturer)
    case = CaseFactory(applicant=manufacturer, brand=brand, destination=CountryFactory(code="BR"))
    VehicleModelFactory(brand=brand)
    log_in(page, "/portal/login/", maker.username)
    page.goto(f"/portal/cases/{case.pk}/")
    failed = page.locator(".checks li.failed", has_text=t["qualification_check"])
    assert failed.locator(".remedy").is_visible()
    shoot(page, "case-screening-failed", language)
    failed.get_by_role("link").click()
    page.wait_for_url("**/portal/apply/qualification/")


def test_an_authorised_exporter_applies_for_its_principals_brand(page, language, tmp_path):  # type: ignore[no-untyped-def]
    t = TEXT[language]
    principal = EnterpriseFactory()
    brand, model = world(principal)
    exporter = EnterpriseFactory(kind="authorised_exporter")
    AuthorisationFactory(manufacturer=principal, exporter=exporter, brands=[brand])
    eligible_world(
        CaseFactory.build(
            applicant=exporter,
            brand=brand,
            destination=CountryFactory(code="FR"),
            valid_from=validity()[0],
        )
    )
    user = MembershipFactory(enterprise=exporter, role="applicant").user
    log_in(page, "/portal/login/", user.username)
    page.goto("/portal/apply/licence/")
    assert page.locator("#id_brand option", has_text="Jade River").count() == 1
    fill_application(page, brand, model, "JRT-E2E-1")
    page.get_by_role("button", name=t["save"]).click()
    page.wait_for_url("**/portal/cases/*/")
    upload_contract(page, tmp_path, t)
    page.get_by_role("button", name=t["submit"]).click()
    page.wait_for_load_state()
    case = Case.objects.get(contract_number="JRT-E2E-1")
    assert (case.applicant, case.status) == (exporter, "submitted")
    assert not case.eligibility_checks.filter(passed=False).exists()


def test_an_information_request_is_answered_with_an_attachment(
    page, language, maker, manufacturer, caseworker, tmp_path
):  # type: ignore[no-untyped-def]
    t = TEXT[language]
    brand, model = world(manufacturer)
    start, end = validity()
    case = drafts.case_create(
        actor=maker,
        kind="licence",
        brand=brand,
        destination=CountryFactory(code="FR"),
        customs_port="Shanghai",
        trade_mode="general",
        contract_number="JR-E2E-9",
        transport_mode="sea",
        valid_from=start,
        valid_until=end,
        lines=[{"vehicle_model": model, "quantity": 5, "unit_price_usd": 20000}],
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    documents.document_add(
        actor=maker, case=case, doc_type="contract", upload=SimpleUploadedFile("c.pdf", PDF_BYTES)
    )
    case = workflow.case_submit(actor=maker, case=case)
    case = workflow.case_assign(actor=caseworker, case=case)
    workflow.case_request_info(
        actor=caseworker,
        case=case,
        question="Send the signed warranty terms.",
        due_on=start + timedelta(days=10),
    )
    log_in(page, "/portal/login/", maker.username)
    page.goto(f"/portal/cases/{case.pk}/")
    assert "Send the signed warranty terms." in page.locator(".question.open").inner_text()
    shoot(page, "case-question", language)
    terms = tmp_path / "warranty-terms.pdf"
    terms.write_bytes(PDF_BYTES)
    page.fill("#id_answer", "The signed terms are attached.")
    page.set_input_files("#id_attachments", str(terms))
    page.get_by_role("button", name=t["send"]).click()
    page.wait_for_load_state()
    page.locator(".messages", has_text=t["answered"]).wait_for()
    answered = page.locator(".information-requests")
    assert "warranty-terms.pdf" in answered.inner_text()
    shoot(page, "case-answered", language)
    question = case.information_requests.get()
    assert question.attachments.get().original_name == "warranty-terms.pdf"


DROP_PDF = """(pdf) => {
    const data = new DataTransfer();
    data.items.add(new File([pdf], "dropped-contract.pdf", {type: "application/pdf"}));
    return data;
}"""


def test_evidence_dropped_on_the_page_is_uploaded(page, language, maker, manufacturer):  # type: ignore[no-untyped-def]
    t = TEXT[language]
    case = CaseFactory(applicant=manufacturer)
    log_in(page, "/portal/login/", maker.username)
    page.goto(f"/portal/cases/{case.pk}/")
    page.select_option("#id_doc_type", "contract")
    transfer = page.evaluate_handle(DROP_PDF, PDF_BYTES.decode("latin-1"))
    page.dispatch_event("form.evidence [data-dropzone]", "drop", {"dataTransfer": transfer})
    assert page.locator("form.evidence [data-chosen]").inner_text() == "dropped-contract.pdf"
    page.get_by_role("button", name=t["upload"], exact=True).click()
    page.locator("ul.documents", has_text="dropped-contract.pdf").wait_for()
    assert case.documents.get().original_name == "dropped-contract.pdf"
