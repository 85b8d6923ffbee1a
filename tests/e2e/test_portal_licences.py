"""In a real browser, in English and Chinese, at phone and desktop widths: a maker downloads a
licence's certificate, records declarations from pasted VINs and from a CSV file, and adds a
service outlet, watching the coverage table change."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from aftersales.models import ServiceOutlet
from aftersales.services import outlet_verify
from tests.aftersales.factories import SparePartsCommitmentFactory, WarrantyCommitmentFactory
from tests.e2e.test_login import log_in
from tests.licensing.licence_factories import fresh_declaration_number, fresh_vin, issue_licence
from tests.registry.factories import BrandFactory, CountryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = (375, 1400)
LOCALES = {"en": "en-GB", "zh": "zh-CN"}
WORDS = {
    "en": {
        "licences": "Licences",
        "certificate": "Download the certificate (PDF)",
        "declare": "Record a customs declaration",
        "submit": "Record the declaration",
        "recorded": "recorded",
        "aftersales": "After-sales",
        "add_outlet": "Add a service outlet",
        "save": "Save",
        "no_outlet": "No service outlet serves",
        "not_verified": "is not verified yet",
        "met": "Met",
    },
    "zh": {
        "licences": "许可证",
        "certificate": "下载许可证（PDF）",
        "declare": "登记报关",
        "submit": "登记报关",
        "recorded": "已登记",
        "aftersales": "售后服务",
        "add_outlet": "新增服务网点",
        "save": "保存",
        "no_outlet": "提供服务的网点",
        "not_verified": "尚未核实",
        "met": "满足",
    },
}


@pytest.fixture(params=sorted(LOCALES))
def language(request) -> str:  # type: ignore[no-untyped-def]
    return request.param


@pytest.fixture
def page(browser, live_server, language) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=live_server.url, locale=LOCALES[language], accept_downloads=True
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def shoot(page, name: str, language: str) -> None:  # type: ignore[no-untyped-def]
    """Save the page at phone and desktop widths; its content may not spill sideways."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{language}-{width}.png"), full_page=True)
        main = "document.querySelector('main')"
        overflow = page.evaluate(f"{main}.scrollWidth - {main}.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"


def test_a_maker_downloads_the_certificate_and_records_two_declarations(
    page, maker, manufacturer, language
):  # type: ignore[no-untyped-def]
    words = WORDS[language]
    licence = issue_licence(applicant=manufacturer, quantities=(5, 3))
    log_in(page, "/portal/login/", maker.username)
    page.get_by_role("link", name=words["licences"], exact=True).click()
    page.get_by_role("link", name=licence.number).click()
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.get_by_role("link", name=words["certificate"]).click()
    assert download.value.suggested_filename == f"licence-{licence.number}.pdf"

    page.get_by_role("link", name=words["declare"]).click()
    page.wait_for_load_state()
    shoot(page, "declaration-form", language)
    pasted = [fresh_vin(), fresh_vin()]
    first = fresh_declaration_number()
    page.fill("#id_number", first)
    page.fill("#id_declared_on", licence.valid_from.isoformat())
    page.fill("#id_lines-0-quantity", "2")
    page.fill("#id_lines-0-vins", f"{pasted[0]}\n{pasted[1]}")
    page.get_by_role("button", name=words["submit"]).click()
    page.wait_for_load_state()
    assert words["recorded"] in page.locator(".messages").inner_text()
    assert first in page.locator("table.declarations").inner_text()

    page.get_by_role("link", name=words["declare"]).click()
    page.wait_for_load_state()
    page.fill("#id_number", "12345")
    page.fill("#id_declared_on", licence.valid_from.isoformat())
    page.fill("#id_lines-1-quantity", "1")
    csv = f"vin\n{fresh_vin()}\n".encode()
    page.set_input_files(
        "#id_lines-1-vins_file", files=[{"name": "v.csv", "mimeType": "text/csv", "buffer": csv}]
    )
    page.get_by_role("button", name=words["submit"]).click()
    page.wait_for_load_state()
    assert page.locator("[role=alert]").is_visible()
    shoot(page, "declaration-errors", language)
    second = fresh_declaration_number()
    page.fill("#id_number", second)
    page.get_by_role("button", name=words["submit"]).click()
    page.wait_for_load_state()
    assert second in page.locator("table.declarations").inner_text()
    remaining = page.locator("table.lines td.remaining").all_inner_texts()
    assert remaining == ["3", "2"]
    shoot(page, "licence-detail", language)


def test_a_maker_adds_an_outlet_and_sees_the_coverage_table_change(
    page, maker, manufacturer, language
):  # type: ignore[no-untyped-def]
    words = WORDS[language]
    brand = BrandFactory(manufacturer=manufacturer)
    france = CountryFactory(code="FR")
    WarrantyCommitmentFactory(enterprise=manufacturer, brand=brand, country=france)
    SparePartsCommitmentFactory(enterprise=manufacturer, brand=brand, country=france)
    log_in(page, "/portal/login/", maker.username)
    page.get_by_role("link", name=words["aftersales"], exact=True).click()
    page.wait_for_load_state()
    outlet_cell = page.locator('tr[data-country="FR"] td[data-aspect="outlet"]')
    assert words["no_outlet"] in outlet_cell.inner_text()
    shoot(page, "aftersales", language)

    outlet_cell.get_by_role("link", name=words["add_outlet"]).click()
    page.wait_for_load_state()
    assert page.locator("#id_country").input_value() == "FR"
    page.fill("#id_city", "Lyon")
    page.fill("#id_address", "12 quai Perrache")
    page.fill("#id_operator_name", "Garage du Rhône")
    page.select_option("#id_operator_kind", "partner")
    page.fill("#id_contract_valid_from", "2026-01-01")
    page.fill("#id_contract_valid_until", "2029-12-31")
    page.get_by_role("button", name=words["save"]).click()
    page.wait_for_load_state()
    assert page.locator("#id_city").count() == 0, page.locator("main").inner_text()
    assert words["not_verified"] in outlet_cell.inner_text()

    outlet = ServiceOutlet.objects.get()
    outlet_verify(actor=None, outlet=outlet)
    page.reload()
    assert outlet_cell.inner_text().startswith("✔ " + words["met"])
    shoot(page, "aftersales-covered", language)
    page.goto(f"/portal/aftersales/outlets/{outlet.pk}/")
    for _ in range(40):  # the keyboard reaches the form's fields
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_city":
            break
    assert page.evaluate("document.activeElement.id") == "id_city"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", "the focused field shows no outline"
    shoot(page, "outlet-form", language)
