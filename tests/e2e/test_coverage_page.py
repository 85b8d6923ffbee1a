"""In a real browser: an owner abroad checks a VIN by keyboard, in English and Chinese."""

from datetime import date

import pytest
from django.core.cache import cache

from tests.aftersales.factories import export_vehicles, serve_market
from tests.registry.factories import BrandFactory, EnterpriseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# WCAG relative-luminance contrast of an element's text against its nearest opaque background.
CONTRAST_JS = """
(el) => {
  const parse = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let bg = el, colour = null;
  while (bg) {
    const c = parse(getComputedStyle(bg).backgroundColor);
    if (c.length < 4 || c[3] > 0) { colour = c; break; }
    bg = bg.parentElement;
  }
  colour = colour || [255, 255, 255];
  const [a, b] = [lum(parse(getComputedStyle(el).color)), lum(colour)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
"""


@pytest.fixture
def car():  # type: ignore[no-untyped-def]
    cache.clear()
    maker = EnterpriseFactory(kind="manufacturer")
    brand = BrandFactory(manufacturer=maker, name="Jade River")
    serve_market(enterprise=maker, brand=brand)
    return export_vehicles(enterprise=maker, brand=brand, exported_on=date.today())[0]


@pytest.mark.parametrize("width", [375, 1400])
@pytest.mark.parametrize(
    ("language", "label", "answer"),
    [
        ("en", "VIN", "was exported under an export licence"),
        ("zh-hans", "车辆识别代号", "已凭出口许可证出口"),
    ],
)
def test_a_vin_is_checked_by_keyboard_and_the_answer_reads_well(
    page, car, width, language, label, answer
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/coverage/")
    if language != "en":
        page.select_option("#id_language_switch", language)
        page.locator("form.language button").click()
        page.wait_for_load_state()
    field = page.get_by_label(label, exact=True)
    field.focus()
    outline = field.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.type(car.vin)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    heading = page.locator("#answer")
    assert answer in heading.inner_text()
    assert "Jade River" in page.locator("dl").inner_text()
    assert page.locator("table tbody tr").count() == 1
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    for selector in ["h1", "#answer", "dt", "td", "label[for=id_vin]"]:
        ratio = page.locator(selector).first.evaluate(CONTRAST_JS)
        assert ratio >= 4.5, (selector, ratio)
