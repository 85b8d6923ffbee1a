"""In a real browser: the after-sales statistics read well in both languages and widths."""

import pytest

from tests.aftersales.factories import ExportedVehicleFactory, ObligationFactory
from tests.e2e.test_admin_tables import SCREENSHOTS, page_overflow
from tests.e2e.test_login import log_in
from tests.licensing.test_insights_aftersales import report
from tests.registry.factories import CountryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = "/admin/licensing/case/insights/?start=2026-01-01&end=2026-06-30"


@pytest.mark.parametrize("width", [375, 1400])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_after_sales_charts_show_their_tables_and_the_worst_wait(  # type: ignore[no-untyped-def]
    page, manufacturer, caseworker, language, width
):
    for code, days in (("DE", "4.5"), ("FR", "12.0")):
        country = CountryFactory(code=code)
        ExportedVehicleFactory(enterprise=manufacturer, country=country)
        ObligationFactory(enterprise=manufacturer, country=country, status="at_risk")
        report(manufacturer, country, days)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "/admin/login/?next=/admin/", caseworker.username)
    if language != "en":
        page.select_option("#id_admin_language", language)
        page.locator("#admin-language button").click()
        page.wait_for_load_state()
    page.goto(PAGE)
    waits = page.locator("#insight-repair_wait")
    waits.locator("summary").focus()
    page.keyboard.press("Enter")
    worst = waits.locator("tr.insight-worst")
    market = "France" if language == "en" else "法国"
    assert worst.count() == 1 and market in worst.inner_text() and "12.0" in worst.inner_text()
    coverage = page.locator("#insight-coverage").inner_text()
    assert "at_risk" not in coverage and ("At risk" in coverage) == (language == "en")
    assert page.locator("#insight-exported svg title").count() == 1
    page.screenshot(
        path=f"{SCREENSHOTS}/insights-aftersales-{language}-{width}.png", full_page=True
    )
    assert page_overflow(page) <= 0
