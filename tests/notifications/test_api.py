"""/api/v1/notifications/: a user's own notifications, nobody else's."""

import pytest

from notifications.models import Notification
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications/"


def test_a_user_lists_only_their_own_notifications(api_as, maker, rival):
    own = NotificationFactory(recipient=maker)
    NotificationFactory(recipient=rival)
    response = api_as(maker).get(URL)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [own.pk]


def test_another_users_notification_is_a_404_like_a_missing_one(api_as, maker, rival):
    theirs = NotificationFactory(recipient=rival)
    client = api_as(maker)
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client.get(f"{URL}999999/").status_code == 404


def test_posting_read_marks_the_notification_read(api_as, maker):
    notification = NotificationFactory(recipient=maker)
    response = api_as(maker).post(f"{URL}{notification.pk}/read/")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_reading_another_users_notification_is_a_404_and_changes_nothing(api_as, maker, rival):
    theirs = NotificationFactory(recipient=rival)
    assert api_as(maker).post(f"{URL}{theirs.pk}/read/").status_code == 404
    assert Notification.objects.get().read_at is None


def test_the_unread_filter_hides_read_notifications(api_as, maker):
    unread = NotificationFactory(recipient=maker)
    api_as(maker).post(f"{URL}{NotificationFactory(recipient=maker).pk}/read/")
    response = api_as(maker).get(URL, {"unread": "true"})
    assert [row["id"] for row in response.json()["results"]] == [unread.pk]


def test_notifications_are_read_only_through_the_api(api_as, maker):
    notification = NotificationFactory(recipient=maker)
    client = api_as(maker)
    assert client.post(URL, {"subject": "x"}).status_code == 405
    assert client.patch(f"{URL}{notification.pk}/", {"subject": "x"}).status_code == 405
    assert client.delete(f"{URL}{notification.pk}/").status_code == 405


def test_anonymous_callers_are_refused(api):
    assert api.get(URL).status_code in (401, 403)


def test_staff_see_only_their_own_notifications_too(api_as, caseworker, maker):
    NotificationFactory(recipient=maker)
    assert api_as(caseworker).get(URL).json()["count"] == 0
