"""In a real browser, in English and Chinese, at phone and desktop width: the portal's own pages.

Screenshots land in var/screenshots/ for a person to look at.
"""

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from tests.aftersales.factories import ServiceOutletFactory
from tests.e2e.conftest import TIMEOUT_MS
from tests.licensing.factories import CaseFactory
from tests.licensing.licence_factories import issue_licence
from tests.notifications.factories import NotificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
LOCALES = {"en": "en-GB", "zh-hans": "zh-CN"}
WIDTHS = [375, 1400]
NEW_PASSWORD = "a long new passphrase 42"
CONTRAST = """el => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  let node = el, bg = 'rgba(0, 0, 0, 0)';
  while (node && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) {
    bg = getComputedStyle(node).backgroundColor; node = node.parentElement; }
  const a = lum(rgb(getComputedStyle(el).color)), b = lum(rgb(bg));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.fixture(params=[(lang, width) for lang in LOCALES for width in WIDTHS], ids=str)
def view(request, browser, live_server) -> Iterator[tuple[object, str, int]]:  # type: ignore[no-untyped-def]
    """A page in one language at one width."""
    lang, width = request.param
    context = browser.new_context(
        base_url=live_server.url, locale=LOCALES[lang], viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page(), lang, width
    context.close()


def shot(page, name: str, lang: str, width: int) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{lang}-{width}.png"), full_page=True)


def log_in(page, username: str, password: str = "pw") -> None:  # type: ignore[no-untyped-def]
    page.goto("/portal/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def open_nav(page, width: int) -> None:  # type: ignore[no-untyped-def]
    """On a phone the navigation sits behind the Menu button."""
    if width < 768:
        toggle = page.locator(".nav-toggle")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not page.locator("#site-nav").is_visible()
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"


def test_the_home_dashboard_shows_what_needs_action(view, maker, manufacturer):  # type: ignore[no-untyped-def]
    page, lang, width = view
    today = timezone.localdate()
    CaseFactory(applicant=manufacturer)
    issue_licence(applicant=manufacturer, valid_until=today + timedelta(days=20))
    ServiceOutletFactory(enterprise=manufacturer, contract_valid_until=today + timedelta(days=40))
    NotificationFactory(recipient=maker, subject="提醒" if lang == "zh-hans" else "Reminder")
    log_in(page, maker.username)
    assert page.locator("html").get_attribute("lang") == lang
    # A manufacturer's home also has the letter requests addressed to it.
    assert page.locator(".dashboard .card").count() == 6
    assert page.locator("#h-letter-inbox").is_visible()
    heading = "待答复的问题" if lang == "zh-hans" else "Questions to answer"
    assert page.get_by_role("heading", name=re.compile(heading)).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, "home", lang, width)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    open_nav(page, width)
    for button in page.locator(".masthead button:visible").all():
        assert button.evaluate(CONTRAST) >= 4.5
    shot(page, "home-nav", lang, width)


def test_a_member_marks_every_notification_read(view, maker):  # type: ignore[no-untyped-def]
    page, lang, width = view
    NotificationFactory.create_batch(3, recipient=maker)
    log_in(page, maker.username)
    open_nav(page, width)
    page.locator("#site-nav a[href='/portal/notifications/']").click()
    page.wait_for_load_state()
    assert page.locator(".notifications .unread").count() == 3
    shot(page, "notifications", lang, width)
    page.locator("form[action$='read-all/'] button").click()
    page.wait_for_load_state()
    assert page.locator(".notifications .unread").count() == 0
    assert page.get_by_role("status").first.is_visible()
    assert page.locator(".badge").count() == 0


def test_an_invited_member_sets_a_password_from_the_mail_and_logs_in(view, maker):  # type: ignore[no-untyped-def]
    page, lang, width = view
    log_in(page, maker.username)
    page.goto("/portal/company/invite/")
    page.get_by_label("Username" if lang == "en" else "用户名").fill("newcomer")
    page.locator("#id_email").fill("newcomer@example.test")
    page.locator("#id_role").select_option("viewer")
    shot(page, "invite", lang, width)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    assert "/portal/company/" in page.url
    shot(page, "company", lang, width)
    link = re.search(r"/portal/password-reset/\S+/", mail.outbox[-1].body).group(0)
    open_nav(page, width)
    page.locator("form[action='/portal/logout/'] button").click()
    page.wait_for_load_state()
    page.goto(link)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    shot(page, "set-password", lang, width)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    log_in(page, "newcomer", NEW_PASSWORD)
    assert page.url.endswith("/portal/")
    assert page.locator(".who").inner_text() == "newcomer"


def test_a_token_is_shown_once_and_works_against_the_api(view, maker):  # type: ignore[no-untyped-def]
    page, lang, width = view
    log_in(page, maker.username)
    page.goto("/portal/company/")
    page.locator("#id_name").fill("ERP export")
    page.locator("form[action='/portal/company/tokens/'] button").click()
    page.wait_for_load_state()
    key = page.locator("#new-token-key").inner_text().strip()
    assert len(key) == 40
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, "token-created", lang, width)
    answer = page.request.get("/api/v1/cases/", headers={"Authorization": f"Token {key}"})
    assert answer.status == 200
    page.goto("/portal/company/")
    assert key not in page.content()


def test_the_language_choice_is_remembered_across_logins(view, maker):  # type: ignore[no-untyped-def]
    page, lang, width = view
    other = "en" if lang == "zh-hans" else "zh-hans"
    log_in(page, maker.username)
    page.goto("/portal/account/")
    page.locator("main #id_language").select_option(other)
    page.locator("main form[action='/i18n/setlang/'] button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == other
    shot(page, "account", other, width)
    page.context.clear_cookies()  # a new browser session, still in the browser's language
    log_in(page, maker.username)
    assert page.locator("html").get_attribute("lang") == other


def test_the_verify_page_search_finds_a_licence(view, db):  # type: ignore[no-untyped-def]
    page, lang, width = view
    licence = issue_licence()
    page.goto("/verify/")
    page.locator("#id_number").fill("not a number")
    page.locator("#id_number").press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible()
    page.locator("#id_number").fill(licence.number)
    page.locator("#id_number").press("Enter")
    page.wait_for_load_state()
    assert page.url.endswith(f"/verify/{licence.number}/")
    assert licence.number in page.locator("dl.facts").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, "verify", lang, width)
