"""The minimal portal: log in, see your own enterprise, in English or Chinese."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from notifications.services import notification_enqueue
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_login_page_asks_for_username_and_password(client):
    response = client.get("/portal/login/")
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def test_the_portal_sends_anonymous_visitors_to_log_in(client):
    response = client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")


def test_a_member_logging_in_lands_on_their_enterprise(client, maker, manufacturer):
    response = client.post(
        "/portal/login/", {"username": maker.username, "password": "pw"}, follow=True
    )
    assert response.status_code == 200
    assert manufacturer.name_en in response.content.decode()


def test_a_member_never_sees_another_enterprise(client, maker, rival_enterprise):
    client.force_login(maker)
    assert rival_enterprise.name_en not in client.get("/portal/").content.decode()


def test_a_user_without_membership_sees_no_enterprise_on_the_portal(client, manufacturer):
    client.force_login(UserFactory())
    page = client.get("/portal/").content.decode()
    assert manufacturer.name_en not in page
    assert "not attached to an enterprise" in page


def test_the_home_page_lists_the_members_notifications(client, maker, manufacturer):
    notification_enqueue(
        recipient=maker,
        kind="test",
        target=manufacturer,
        subject="Compliance report due",
        body="Q1",
    )
    client.force_login(maker)
    assert "Compliance report due" in client.get("/portal/").content.decode()


def test_a_page_requested_in_chinese_is_shown_in_chinese(client):
    response = client.get("/portal/login/", headers={"accept-language": "zh-hans"})
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "用户名" in page
    assert "登录" in page


def test_switching_language_to_chinese_sticks_for_the_session(client, maker):
    client.force_login(maker)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/portal/"})
    assert "出口资质" in client.get("/portal/").content.decode()


def test_the_chinese_catalogue_has_consistent_placeholders():
    path = Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.po"
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale="zh_Hans")
    problems = [(message.id, [str(e) for e in errors]) for message, errors in catalog.check()]
    assert problems == []
