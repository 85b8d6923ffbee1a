"""In a real browser: the lists, statistics and index fit the screen in English and Chinese."""

import pytest

from tests.e2e.test_login import log_in
from tests.licensing.factories import case_in_status
from tests.licensing.licence_factories import issue_licence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = "var/screenshots"


def page_overflow(page) -> int:  # type: ignore[no-untyped-def]
    """How many pixels the page or the result table is wider than its box (0 when it fits)."""
    return page.evaluate(
        """Math.max(
            document.documentElement.scrollWidth - window.innerWidth,
            ...[...document.querySelectorAll('.results')].map(e => e.scrollWidth - e.clientWidth)
        )"""
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_case_queue_and_licence_list_fit_at_1400_pixels(  # type: ignore[no-untyped-def]
    page, maker, manufacturer, caseworker, officer, language
):
    for status in ("submitted", "under_review", "info_requested", "recommended"):
        case_in_status(status, applicant_user=maker, caseworker=caseworker, officer=officer)
    issue_licence(applicant=manufacturer)
    page.set_viewport_size({"width": 1400, "height": 900})
    log_in(page, "/admin/login/?next=/admin/", caseworker.username)
    if language != "en":
        page.select_option("#id_admin_language", language)
        page.locator("#admin-language button").click()
        page.wait_for_load_state()
    for name, path in (
        ("cases", "/admin/licensing/case/"),
        ("licences", "/admin/licensing/licence/"),
        ("insights", "/admin/licensing/case/insights/"),
        ("index", "/admin/"),
    ):
        page.goto(path)
        page.screenshot(path=f"{SCREENSHOTS}/{name}-{language}-1400.png", full_page=True)
        assert page_overflow(page) <= 0, name
