"""In a real browser, in English and Chinese, at phone and desktop widths: a maker uploads a
CSV of first registrations with a bad row, reads that row's error, then imports the valid rows."""

from collections.abc import Iterator
from datetime import date

import pytest

from tests.aftersales.factories import ExportedVehicleFactory
from tests.e2e.test_login import log_in
from tests.e2e.test_portal_licences import LOCALES, shoot
from tests.licensing.licence_factories import fresh_vin
from tests.registry.factories import CountryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "vehicles": "Exported vehicles",
        "upload": "Upload",
        "unknown": "No car with this VIN was exported under your licences.",
        "nothing": "nothing was saved",
        "import": "Import the valid rows and skip the rows with errors",
        "done": "1 first registration was recorded. 1 row with errors was skipped.",
    },
    "zh": {
        "vehicles": "出口车辆",
        "upload": "上传",
        "unknown": "贵企业的许可证下没有出口过该车辆识别代号的车辆。",
        "nothing": "未保存任何内容",
        "import": "导入有效行，跳过有错误的行",
        "done": "已记录 1 条境外首次登记。 已跳过 1 个有错误的行。",
    },
}


@pytest.fixture(params=sorted(LOCALES))
def language(request) -> str:  # type: ignore[no-untyped-def]
    return request.param


@pytest.fixture
def page(browser, live_server, language) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, locale=LOCALES[language])
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_a_maker_uploads_a_csv_with_a_bad_row_then_imports_the_valid_rows(
    page, maker, manufacturer, language, tmp_path
):  # type: ignore[no-untyped-def]
    words = WORDS[language]
    car = ExportedVehicleFactory(
        enterprise=manufacturer, country=CountryFactory(code="FR"), exported_on=date(2025, 1, 6)
    )
    csv = tmp_path / "registrations.csv"
    csv.write_text(f"vin,first_registered_on\n{car.vin},2025-02-01\n{fresh_vin()},2025-02-01\n")
    log_in(page, "/portal/login/", maker.username)
    page.get_by_role("link", name=words["vehicles"], exact=True).click()
    assert car.vin in page.locator("main").inner_text()

    page.set_input_files("#id_file", str(csv))
    page.get_by_role("button", name=words["upload"], exact=True).click()
    text = page.locator("main").inner_text()
    assert words["unknown"] in text
    assert words["nothing"] in text.lower()
    car.refresh_from_db()
    assert car.first_registered_on is None
    shoot(page, "portal-fleet-bad-row", language)

    page.set_input_files("#id_file", str(csv))
    page.get_by_label(words["import"]).check()
    page.get_by_role("button", name=words["upload"], exact=True).click()
    assert words["done"] in page.get_by_role("status").inner_text()
    car.refresh_from_db()
    assert car.first_registered_on == date(2025, 2, 1)
    shoot(page, "portal-fleet-imported", language)
