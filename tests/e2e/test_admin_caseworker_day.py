"""In a real browser: a caseworker's day and an officer's decision, in English and Chinese.

The caseworker finds an exchange case by a VIN shipped under the licence it replaces, opens
it, previews the contract, writes a note and recommends; an officer decides and downloads
the decision letter. Screenshots go to var/screenshots for a person to look at.
"""

from datetime import date

import pytest
import time_machine

from licensing.models import Case
from licensing.services import workflow
from tests.e2e.test_login import log_in
from tests.licensing.factories import CaseFactory, add_document
from tests.licensing.licence_factories import issue_licence
from tests.licensing.test_declarations import declare
from tests.registry.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "var/screenshots"
WIDE = {"width": 1400, "height": 1000}
NARROW = {"width": 375, "height": 800}


def exchange_case_with_a_vin(caseworker) -> tuple[Case, str]:  # type: ignore[no-untyped-def]
    """An exchange case under review, for a licence one vehicle was shipped under."""
    today = date.today()
    with time_machine.travel(today, tick=False):
        licence = issue_licence(quantities=(3,), valid_from=today)
        member = MembershipFactory(enterprise=licence.holder, role="applicant").user
        vin = declare(licence, member, quantity=1, declared_on=today).vehicles.get().vin
    case = CaseFactory(
        kind=Case.Kind.EXCHANGE,
        reference="XC-2026-000777",
        applicant=licence.holder,
        licence_to_exchange=licence,
        status=Case.Status.SUBMITTED,
    )
    add_document(case, member)
    return workflow.case_assign(actor=caseworker, case=case), vin


def use_language(page, language: str) -> None:  # type: ignore[no-untyped-def]
    if language != "en":
        page.select_option("#id_admin_language", language)
        page.locator("#admin-language button").click()
        page.wait_for_load_state()


def overflow(page) -> int:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_caseworker_finds_reviews_and_recommends_and_an_officer_decides(  # type: ignore[no-untyped-def]
    browser, live_server, page, caseworker, officer, language
):
    case, vin = exchange_case_with_a_vin(caseworker)
    page.set_viewport_size(WIDE)
    log_in(page, "/admin/login/?next=/admin/", caseworker.username)
    use_language(page, language)
    page.goto("/admin/licensing/case/")
    page.fill("#searchbar", vin)
    page.locator("#changelist-search [type=submit]").click()
    page.wait_for_load_state()
    page.screenshot(path=f"{SHOTS}/day-{language}-1-search.png", full_page=True)
    page.get_by_role("link", name=case.reference).click()
    page.wait_for_load_state()

    preview = page.locator("details.case-preview").first
    preview.locator("summary").click()
    frame = preview.locator("iframe")
    assert frame.is_visible()
    assert page.request.get(frame.get_attribute("src")).status == 200

    page.fill("#case-note-form textarea", "Depot contract checked with the applicant by phone.")
    page.locator("#case-note-form [type=submit]").click()
    page.wait_for_load_state()
    assert "Depot contract checked" in page.locator("#case-notes").inner_text()

    page.select_option("#id_recommend_outcome", "refuse")
    page.fill("#id_recommend_reasons", "The spare-parts depot contract has expired.")
    page.locator("#case-action-recommend [type=submit]").click()
    page.wait_for_load_state()
    page.screenshot(path=f"{SHOTS}/day-{language}-2-recommended-1400.png", full_page=True)
    assert overflow(page) <= 0
    page.set_viewport_size(NARROW)
    page.reload()
    page.screenshot(path=f"{SHOTS}/day-{language}-3-case-375.png", full_page=True)
    assert overflow(page) <= 0
    for panel in ("case-documents", "case-notes"):
        page.locator(f"#{panel}").screenshot(path=f"{SHOTS}/day-{language}-3-{panel}-375.png")
    case.refresh_from_db()
    assert case.status == Case.Status.RECOMMENDED
    assert 'id="case-action-decide"' not in page.content()

    officer_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    desk = officer_context.new_page()
    desk.set_viewport_size(WIDE)
    log_in(desk, "/admin/login/?next=/admin/", officer.username)
    use_language(desk, language)
    desk.goto(f"/admin/licensing/case/{case.pk}/change/")
    desk.select_option("#id_decide_outcome", "refuse")
    desk.fill("#id_decide_reasons", "Agreed: no current spare-parts supply.")
    desk.locator("#case-action-decide [type=submit]").click()
    desk.wait_for_load_state()
    desk.screenshot(path=f"{SHOTS}/day-{language}-4-decided-1400.png", full_page=True)
    with desk.expect_download() as download:
        desk.locator("#case-letter-link").click()
    assert download.value.suggested_filename == f"decision-{case.reference}.pdf"
    officer_context.close()
    case.refresh_from_db()
    assert case.status == Case.Status.REFUSED
