"""In a real browser: someone abroad scans a letter's QR code and reads the answer."""

import pytest
from django.core.cache import cache

from aftersales.services import letter_revoke
from tests.aftersales.letter_factories import letter_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    cache.clear()
    return letter_world()


def page_overflow(page) -> int:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", [375, 1400])
@pytest.mark.parametrize(
    ("language", "valid", "revoked"),
    [
        ("en", "This letter is valid.", "This letter was revoked on"),
        ("zh-hans", "该确认书有效。", "该确认书已于"),
    ],
)
def test_the_check_reads_valid_then_revoked_and_fits_the_screen(  # type: ignore[no-untyped-def]
    page, world, width, language, valid, revoked
):
    letter = world.issue()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/verify/letter/{letter.number}/")
    if language != "en":
        page.select_option("#id_language_switch", language)
        page.locator("form.language button").click()
        page.wait_for_load_state()
    assert valid in page.locator("main").inner_text()
    assert letter.vin in page.locator("main").inner_text()
    assert page_overflow(page) <= 0
    letter_revoke(actor=world.maker_user, letter=letter, reason="Outlet closed")
    page.reload()
    text = page.locator("main").inner_text()
    assert revoked in text and valid not in text
