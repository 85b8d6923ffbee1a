"""In a real browser, in English and Chinese, at phone and desktop width: a used EV leaves.

A used-car exporter asks Jade River for a confirmation letter for a car first registered 100
days ago; Jade River's user issues it naming its verified outlet in France; the exporter
applies for a used-vehicle licence listing that car and one registered 300 days ago, sees
screening pass and submits; a caseworker recommends and an officer approves in the admin.
Screenshots of every portal page go to var/screenshots/ at 375 and 1400 px.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.models import ConfirmationLetter, LetterRequest
from licensing.models import Case
from licensing.services.screening import USED_LICENCE_CHECKS
from registry.models import Enterprise, WorldManufacturerIdentifier
from tests.aftersales.factories import ServiceOutletFactory
from tests.e2e.test_login import log_in
from tests.e2e.test_portal_apply import TEXT, shoot, upload_contract, validity
from tests.licensing.licence_factories import vin_with_check_digit
from tests.registry.factories import (
    BrandFactory,
    CountryFactory,
    EnterpriseFactory,
    MembershipFactory,
    QualificationFactory,
    VehicleModelFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "letters": "Confirmation letters",
        "ask": "Request a letter",
        "send": "Send the request",
        "sent": "Your request was sent",
        "issue": "Issue the letter",
        "issued": "was issued",
        "used": "Used-vehicle licence",
        "add": "Add a vehicle",
    },
    "zh-hans": {
        "letters": "售后服务确认书",
        "ask": "申请确认书",
        "send": "发送申请",
        "sent": "您的申请已发送",
        "issue": "出具确认书",
        "issued": "已出具",
        "used": "二手车出口许可证",
        "add": "添加车辆",
    },
}


@pytest.fixture(params=["en", "zh-hans"])
def language(request):  # type: ignore[no-untyped-def]
    return request.param


def used_export_world():  # type: ignore[no-untyped-def]
    """Jade River (VINs under LJR, a verified outlet in Lyon) and a qualified used-car trader."""
    maker = EnterpriseFactory(name_en="Jade River Motors")
    WorldManufacturerIdentifier.objects.create(code="LJR", manufacturer=maker)
    brand = BrandFactory(manufacturer=maker, name="Jade River")
    model = VehicleModelFactory(brand=brand, name="Aurora")
    france = CountryFactory(code="FR")
    ServiceOutletFactory(
        enterprise=maker, country=france, brand=brand, operator_name="Garage Lumière", city="Lyon"
    )
    trader = EnterpriseFactory(kind=Enterprise.Kind.OTHER, name_en="East Harbour Used Cars")
    QualificationFactory(
        enterprise=trader, year=timezone.localdate().year, qualification_class="used"
    )
    return {
        "brand": brand,
        "model": model,
        "maker_user": MembershipFactory(enterprise=maker, role="applicant").user,
        "trader_user": MembershipFactory(enterprise=trader, role="applicant").user,
        "recent": vin_with_check_digit("LJR0A1B20T0000101"),
        "older": vin_with_check_digit("LJR0A1B20T0000102"),
    }


def request_letter(page, world, words, language):  # type: ignore[no-untyped-def]
    page.get_by_role("link", name=words["letters"], exact=True).first.click()
    page.get_by_role("link", name=words["ask"], exact=True).click()
    page.wait_for_url("**/portal/letters/requests/new/")
    page.fill("#id_vin", world["recent"])
    page.select_option("#id_brand", str(world["brand"].pk))
    page.select_option("#id_vehicle_model", str(world["model"].pk))
    page.select_option("#id_country", "FR")
    page.fill("#id_note", "Bought from a Shanghai dealer.")
    shoot(page, "used-letter-request", language)
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_url("**/portal/letters/")
    assert words["sent"] in page.locator(".messages").inner_text()
    shoot(page, "used-letters-exporter", language)


def issue_letter(desk, world, words, language):  # type: ignore[no-untyped-def]
    log_in(desk, "/portal/login/", world["maker_user"].username)
    asked = LetterRequest.objects.get(vin=world["recent"])
    desk.locator(f"#h-letter-inbox ~ ul a[href$='/letters/requests/{asked.pk}/']").click()
    desk.wait_for_url(f"**/portal/letters/requests/{asked.pk}/")
    shoot(desk, "used-letter-answer", language)
    desk.locator("input[name=outlet]").first.check()
    desk.get_by_role("button", name=words["issue"]).click()
    desk.wait_for_url("**/portal/letters/")
    assert words["issued"] in desk.locator(".messages").inner_text()
    shoot(desk, "used-letters-maker", language)


def fill_vehicle(page, index: int, world, vin: str, days: int) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    row = f"#id_vehicles-{index}"
    page.fill(f"{row}-vin", vin)
    page.select_option(f"{row}-brand", str(world["brand"].pk))
    page.select_option(f"{row}-vehicle_model", str(world["model"].pk))
    page.fill(f"{row}-first_registered_on", (today - timedelta(days=days)).isoformat())
    page.fill(f"{row}-transferred_on", (today - timedelta(days=5)).isoformat())
    page.fill(f"{row}-unit_price_usd", "18500")


def apply_for_used_licence(page, world, words, t, language, tmp_path) -> Case:  # type: ignore[no-untyped-def]
    start, end = validity()
    page.get_by_role("link", name=t["apply"], exact=True).click()
    page.get_by_role("link", name=words["used"], exact=True).click()
    page.wait_for_url("**/portal/apply/used_licence/")
    page.select_option("#id_destination", "FR")
    page.fill("#id_contract_number", "EHU-E2E-1")
    page.fill("#id_customs_port", "Shanghai Waigaoqiao")
    page.select_option("#id_trade_mode", "general")
    page.select_option("#id_transport_mode", "sea")
    page.fill("#id_valid_from", start.isoformat())
    page.fill("#id_valid_until", end.isoformat())
    fill_vehicle(page, 0, world, world["recent"], 100)
    page.get_by_role("button", name=words["add"]).click()
    assert page.locator("[data-line]").count() == 2
    fill_vehicle(page, 1, world, world["older"], 300)
    shoot(page, "used-apply-form", language)
    page.get_by_role("button", name=t["save"]).click()
    page.wait_for_url("**/portal/cases/*/")
    upload_contract(page, tmp_path, t)
    assert page.locator(".checks li.failed").count() == 0
    assert page.locator(".checks li.passed").count() == len(USED_LICENCE_CHECKS)
    assert page.locator("table.schedule tbody tr").count() == 2
    shoot(page, "used-case-draft", language)
    page.get_by_role("button", name=t["submit"]).click()
    page.wait_for_load_state()
    assert t["submitted"] in page.locator(".messages").inner_text()
    return Case.objects.get(contract_number="EHU-E2E-1")


def decide_in_the_admin(browser_context, case, caseworker, officer) -> None:  # type: ignore[no-untyped-def]
    admin = browser_context.new_page()
    log_in(admin, "/admin/login/?next=/admin/", caseworker.username)
    admin.goto(f"/admin/licensing/case/{case.pk}/change/")
    admin.locator("#case-action-assign [type=submit]").click()
    admin.wait_for_load_state()
    admin.fill("#id_recommend_reasons", "Schedule and letters checked.")
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


def test_a_used_ev_gets_its_letter_and_licence(
    browser, live_server, language, caseworker, officer, tmp_path
):  # type: ignore[no-untyped-def]
    t, words = TEXT[language], WORDS[language]
    world = used_export_world()
    contexts = [
        browser.new_context(
            base_url=live_server.url,
            locale=TEXT[language]["locale"],
            viewport={"width": 1400, "height": 900},
        )
        for _ in range(2)
    ]
    for context in contexts:
        context.set_default_timeout(15_000)
    page, desk = (context.new_page() for context in contexts)
    log_in(page, "/portal/login/", world["trader_user"].username)
    request_letter(page, world, words, language)
    issue_letter(desk, world, words, language)
    letter = ConfirmationLetter.objects.get(vin=world["recent"])
    assert letter.status == ConfirmationLetter.Status.IN_FORCE

    case = apply_for_used_licence(page, world, words, t, language, tmp_path)
    assert case.status == Case.Status.SUBMITTED
    staff = browser.new_context(base_url=live_server.url, locale="en-GB")
    decide_in_the_admin(staff, case, caseworker, officer)
    staff.close()

    page.reload()
    case.refresh_from_db()
    assert case.status == Case.Status.APPROVED
    licence = case.issued_licence
    assert licence.lines.get().licensed_quantity == 2
    assert licence.number in page.locator(".licence-link").inner_text()
    shoot(page, "used-case-approved", language)
    for context in contexts:
        context.close()
