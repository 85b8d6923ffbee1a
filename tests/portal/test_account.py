"""The account pages: language remembered per member, password change and reset by e-mail."""

import re

import pytest
from django.core import mail
from django.test import Client

from registry.language import user_language, user_language_set
from tests.pagecheck import assert_reads_in_chinese

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a long new passphrase 42"


def test_a_language_chosen_once_is_used_at_the_next_log_in(client, maker):
    client.force_login(maker)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/portal/"})
    assert user_language(maker) == "zh-hans"
    fresh = Client()  # another browser: no language cookie, an English-speaking browser
    fresh.post("/portal/login/", {"username": maker.username, "password": "pw"})
    page = fresh.get("/portal/", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="zh-hans">' in page


def test_a_chosen_language_wins_over_the_browsers(client, maker):
    user_language_set(actor=maker, user=maker, language="en")
    client.post(
        "/portal/login/",
        {"username": maker.username, "password": "pw"},
        headers={"accept-language": "zh-CN"},
    )
    page = client.get("/portal/", headers={"accept-language": "zh-CN"}).content.decode()
    assert '<html lang="en">' in page


def test_an_unknown_language_is_ignored_and_nothing_is_stored(client, maker):
    client.force_login(maker)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/portal/account/"})
    assert user_language(maker) == ""


def test_the_language_switch_never_redirects_off_site(client, maker):
    client.force_login(maker)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert "evil.example" not in response["Location"]


def test_a_member_changes_their_password(client, maker):
    client.force_login(maker)
    response = client.post(
        "/portal/account/password/",
        {"old_password": "pw", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your password was changed." in response.content.decode()
    maker.refresh_from_db()
    assert maker.check_password(NEW_PASSWORD)


def test_a_wrong_old_password_keeps_the_password(client, maker):
    client.force_login(maker)
    response = client.post(
        "/portal/account/password/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    maker.refresh_from_db()
    assert maker.check_password("pw")


def test_a_reset_mail_is_written_in_the_members_language_and_its_link_works(client, maker):
    user_language_set(actor=maker, user=maker, language="zh-hans")
    client.post("/portal/password-reset/", {"email": maker.email})
    assert len(mail.outbox) == 1
    assert "设置新密码" in mail.outbox[0].subject
    path = re.search(r"/portal/password-reset/[\w-]+/[\w-]+/", mail.outbox[0].body).group(0)
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == "/portal/password-reset/done/"
    maker.refresh_from_db()
    assert maker.check_password(NEW_PASSWORD)


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post("/portal/password-reset/", {"email": "nobody@example.test"})
    assert response["Location"] == "/portal/password-reset/sent/"
    assert mail.outbox == []


def test_a_forged_reset_link_is_refused(client, maker):
    response = client.get("/portal/password-reset/MQ/forged-token/", follow=True)
    assert not response.context["validlink"]
    assert "already been used or has expired" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/portal/account/",
        "/portal/account/password/",
    ],
)
def test_account_pages_read_in_chinese(client, maker, url):
    client.force_login(maker)
    assert_reads_in_chinese(client, url, data=[maker.username, maker.email])


@pytest.mark.parametrize(
    "url",
    [
        "/portal/login/",
        "/portal/password-reset/",
        "/portal/password-reset/sent/",
        "/portal/password-reset/done/",
        "/portal/password-reset/MQ/forged-token/",
    ],
)
def test_public_account_pages_read_in_chinese(client, url):
    assert_reads_in_chinese(client, url)
