"""In a real browser: a caseworker reads their own notifications in the admin."""

import pytest

from notifications.models import Notification
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_login import log_in
from tests.notifications.factories import NotificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEXT = {
    "en-GB": (
        "Your notifications: 1 unread",
        "Your notifications",
        "Case assigned",
        "Mark “{}” read",
    ),
    "zh-CN": ("我的通知：1 条未读", "我的通知", "案件已分派", "将“{}”标为已读"),
}


@pytest.mark.parametrize("width", [375, 1400])
@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_a_caseworker_follows_the_index_link_reads_a_notice_and_marks_it_read_by_keyboard(
    browser, live_server, caseworker, locale, width
):
    notice = NotificationFactory(
        recipient=caseworker, kind="case_assigned", subject="Case LC-2026-000042 assigned to you"
    )
    context = browser.new_context(
        base_url=live_server.url, locale=locale, viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        link_text, title, kind, button = TEXT[locale]
        log_in(page, "/admin/login/?next=/admin/", caseworker.username)
        page.get_by_role("link", name=link_text).click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == title
        row = page.locator("#result_list tbody tr").first
        assert kind in row.inner_text()
        assert notice.subject in row.inner_text()
        mark = row.get_by_role("button", name=button.format(notice.subject))
        for _ in range(60):
            if mark.evaluate("el => el === document.activeElement"):
                break
            page.keyboard.press("Tab")
        assert mark.evaluate("el => el === document.activeElement")
        focus_ring = mark.evaluate(
            "el => { const s = getComputedStyle(el);"
            " return s.outlineStyle !== 'none' || s.boxShadow !== 'none'; }"
        )
        assert focus_ring
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("#result_list tbody tr").first.get_by_role("button").count() == 0
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
    finally:
        context.close()
    assert Notification.objects.get(pk=notice.pk).read_at is not None
