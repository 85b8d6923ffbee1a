"""/metrics: Prometheus text for the token holder and staff, refused (and audited) otherwise."""

import os
from datetime import timedelta

import pytest
import redis
import time_machine
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from audit.models import AuditEvent
from notifications.models import Notification
from tests.notifications.factories import NotificationFactory

TOKEN = "m" * 40
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _token(settings):  # type: ignore[no-untyped-def]
    settings.METRICS_TOKEN = TOKEN


def _samples(response) -> dict:  # type: ignore[no-untyped-def]
    text = response.content.decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _scrape(client, token: str = TOKEN):  # type: ignore[no-untyped-def]
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_monitoring_token_reads_health_and_the_outbox_backlog(client, maker):
    with time_machine.travel(timezone.now() - timedelta(minutes=5), tick=False):
        NotificationFactory(recipient=maker)
    NotificationFactory(recipient=maker)
    NotificationFactory(recipient=maker, status=Notification.Status.FAILED)
    response = _scrape(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = _samples(response)
    assert samples[("evl_up", (("check", "database"),))] == 1
    assert ("evl_up", (("check", "broker"),)) in samples
    assert samples[("evl_outbox_pending", ())] == 2
    assert samples[("evl_outbox_failed", ())] == 1
    assert 295 <= samples[("evl_outbox_oldest_pending_seconds", ())] <= 400


@pytest.mark.parametrize("header", ["", "Bearer wrong", f"Token {TOKEN}", f"Bearer {TOKEN}x"])
def test_without_the_right_token_an_anonymous_caller_is_refused_and_audited(client, header):
    response = client.get("/metrics", HTTP_AUTHORIZATION=header)
    assert response.status_code == 403
    assert b"evl_" not in response.content
    assert AuditEvent.objects.count() == 1


def test_no_token_configured_means_no_token_opens_it(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403


def test_a_portal_member_is_refused(client, maker):
    client.force_login(maker)
    assert client.get("/metrics").status_code == 403


def test_signed_in_staff_read_it(client, caseworker):
    client.force_login(caseworker)
    assert client.get("/metrics").status_code == 200


def test_staff_who_have_not_passed_their_second_factor_are_refused(client, caseworker, settings):
    settings.STAFF_OTP_REQUIRED = True
    client.force_login(caseworker)
    assert client.get("/metrics").status_code in (302, 403)


def test_writes_are_not_allowed(client):
    response = client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 405


@pytest.mark.redis
def test_queue_depth_is_the_length_of_each_celery_queue_in_redis(client, settings):
    url = os.environ["REDIS_URL"]
    settings.REDIS_URL = url
    settings.CELERY_BROKER_URL = url
    server = redis.Redis.from_url(url)
    server.delete("celery", "reminders")
    server.rpush("reminders", "a", "b", "c")
    try:
        samples = _samples(_scrape(client))
    finally:
        server.delete("celery", "reminders")
    assert samples[("evl_celery_queue_depth", (("queue", "reminders"),))] == 3
    assert samples[("evl_celery_queue_depth", (("queue", "celery"),))] == 0


def test_without_redis_no_queue_depth_is_invented(client, settings):
    settings.REDIS_URL = ""
    assert not any(name == "evl_celery_queue_depth" for name, _ in _samples(_scrape(client)))
