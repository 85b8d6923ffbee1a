"""The outbox admin is a read-only list for staff."""

import pytest
from django.urls import reverse

from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_staff_see_the_outbox_list_and_a_row(client, caseworker, maker):
    notification = NotificationFactory(recipient=maker)
    client.force_login(caseworker)
    changelist = client.get(reverse("admin:notifications_notification_changelist"))
    assert changelist.status_code == 200
    assert notification.subject in changelist.content.decode()
    detail = client.get(reverse("admin:notifications_notification_change", args=[notification.pk]))
    assert detail.status_code == 200


def test_nobody_adds_or_deletes_notifications_in_the_admin(admin_client, maker):
    notification = NotificationFactory(recipient=maker)
    assert admin_client.get(reverse("admin:notifications_notification_add")).status_code == 403
    delete = reverse("admin:notifications_notification_delete", args=[notification.pk])
    assert admin_client.get(delete).status_code == 403


def test_portal_users_cannot_open_the_outbox_admin(client, maker):
    client.force_login(maker)
    response = client.get(reverse("admin:notifications_notification_changelist"))
    assert response.status_code == 403
