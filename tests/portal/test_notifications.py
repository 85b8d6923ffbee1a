"""The notifications page: own only, mark one or all read, unread count in the navigation."""

import pytest

from notifications.models import Notification
from tests.notifications.factories import NotificationFactory
from tests.pagecheck import assert_reads_in_chinese

pytestmark = pytest.mark.django_db


def test_the_list_shows_only_the_members_own_notifications(client, maker, rival):
    NotificationFactory(recipient=maker, subject="Mine")
    NotificationFactory(recipient=rival, subject="Theirs")
    client.force_login(maker)
    page = client.get("/portal/notifications/").content.decode()
    assert "Mine" in page
    assert "Theirs" not in page


def test_the_navigation_counts_unread_notifications(client, maker):
    NotificationFactory.create_batch(2, recipient=maker)
    client.force_login(maker)
    assert "2 unread" in client.get("/portal/notifications/").content.decode()


def test_marking_one_read_changes_only_that_one(client, maker):
    first, second = NotificationFactory.create_batch(2, recipient=maker)
    client.force_login(maker)
    response = client.post(f"/portal/notifications/{first.pk}/read/")
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


@pytest.mark.parametrize("pk", ["other", "999999", "abc", "0"])
def test_marking_another_users_or_a_missing_notification_is_404(client, maker, rival, pk):
    theirs = NotificationFactory(recipient=rival)
    client.force_login(maker)
    target = theirs.pk if pk == "other" else pk
    assert client.post(f"/portal/notifications/{target}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_marks_only_the_members_notifications(client, maker, rival):
    NotificationFactory.create_batch(3, recipient=maker)
    theirs = NotificationFactory(recipient=rival)
    client.force_login(maker)
    response = client.post("/portal/notifications/read-all/", follow=True)
    assert "3 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=maker, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_a_post(client, maker):
    notification = NotificationFactory(recipient=maker)
    client.force_login(maker)
    assert client.get("/portal/notifications/read-all/").status_code == 405
    assert client.get(f"/portal/notifications/{notification.pk}/read/").status_code == 405


def test_marking_read_is_refused_without_the_csrf_token(maker):
    from django.test import Client

    notification = NotificationFactory(recipient=maker)
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(maker)
    assert guarded.post("/portal/notifications/read-all/").status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get("/portal/notifications/")["Location"].startswith("/portal/login/")
    assert client.post("/portal/notifications/read-all/")["Location"].startswith("/portal/login/")


def test_the_api_marks_all_read_through_the_same_service(api_as, maker, rival):
    NotificationFactory.create_batch(2, recipient=maker)
    theirs = NotificationFactory(recipient=rival)
    response = api_as(maker).post("/api/v1/notifications/read-all/")
    assert response.status_code == 200
    assert response.json() == {"marked": 2}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_notifications_page_reads_in_chinese(client, maker):
    NotificationFactory(recipient=maker, subject="合规报告即将到期", body="请提交")
    client.force_login(maker)
    assert_reads_in_chinese(client, "/portal/notifications/")


def test_each_member_gets_a_notice_in_the_language_they_chose(maker, manufacturer):
    from registry.language import user_language_set
    from tests.licensing.licence_factories import issue_licence
    from tests.registry.factories import MembershipFactory

    reader = MembershipFactory(enterprise=manufacturer, role="viewer").user
    user_language_set(actor=reader, user=reader, language="zh-hans")
    licence = issue_licence(applicant=manufacturer)
    mine = Notification.objects.get(recipient=maker, kind="licence_issued")
    theirs = Notification.objects.get(recipient=reader, kind="licence_issued")
    assert mine.subject == f"Licence {licence.number} issued"
    assert theirs.language == "zh-hans"
    assert licence.number in theirs.subject
    assert "Licence" not in theirs.subject
