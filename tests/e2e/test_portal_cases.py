"""In a real browser: a maker follows the portal's links to its cases and licences."""

import pytest

from licensing.models import Case
from tests.e2e.test_login import log_in
from tests.licensing.factories import CaseFactory
from tests.licensing.licence_factories import issue_licence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_maker_opens_a_case_and_then_its_licences(page, maker, manufacturer):  # type: ignore[no-untyped-def]
    case = CaseFactory(applicant=manufacturer, status=Case.Status.UNDER_REVIEW)
    licence = issue_licence(applicant=manufacturer)
    log_in(page, "/portal/login/", maker.username)
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("link", name=case.reference).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith(case.reference)
    assert page.locator(".case-summary .status").inner_text() == "Under review"
    page.get_by_role("link", name="Licences", exact=True).click()
    page.wait_for_load_state()
    assert licence.number in page.locator("table.licences").inner_text()
