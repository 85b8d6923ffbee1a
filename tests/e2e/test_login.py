"""In a real browser: portal and admin log-in, the portal in Chinese, the API docs."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, path: str, username: str) -> None:
    page.goto(path)
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()


def test_a_maker_logs_in_to_the_portal_and_sees_its_enterprise(page, maker, manufacturer):
    log_in(page, "/portal/login/", maker.username)
    assert page.locator("h1").inner_text().startswith(manufacturer.name_en)


def test_a_wrong_password_keeps_the_maker_on_the_login_page(page, maker):
    page.goto("/portal/login/")
    page.fill("#id_username", maker.username)
    page.fill("#id_password", "not-the-password")
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()
    assert "/portal/login/" in page.url
    assert page.locator(".error").is_visible()


def test_a_caseworker_logs_in_to_the_admin_and_sees_its_index(page, caseworker):
    log_in(page, "/admin/login/?next=/admin/", caseworker.username)
    assert page.url.endswith("/admin/")
    assert page.locator("#site-name").is_visible()
    assert page.locator("#content-main").is_visible()


def test_switching_the_portal_to_chinese_shows_chinese_text(page, maker):
    page.goto("/portal/login/")
    assert page.locator("h1").inner_text() == "Log in"
    page.select_option("#id_language_switch", "zh-hans")
    page.locator("form.language button").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "登录"
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_the_api_docs_render_from_bundled_assets_under_the_content_policy(page, live_server):
    external = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) else external.append(r))
    page.goto("/api/docs/")
    title = page.locator(".swagger-ui .info .title")
    title.wait_for()
    assert "EV Export Licensing API" in title.inner_text()
    assert external == []
