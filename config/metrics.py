"""`/metrics`: health, queue depth and outbox backlog in Prometheus text format.

Readable with `Authorization: Bearer $METRICS_TOKEN` (the Prometheus server) or by a signed-in
staff user (verified by TOTP when STAFF_OTP_REQUIRED); anyone else is refused (403, audited).
"""

import hmac

import redis
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CollectorRegistry, Gauge, generate_latest

from config.views import broker_ok, database_ok
from notifications.selectors import outbox_health

# The classic text format generate_latest writes, which every Prometheus version scrapes.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Celery queues: `celery` (default) and `reminders` (CELERY_QUEUES_BY_KIND).
QUEUES = ("celery", "reminders")


def metrics_allowed(request: HttpRequest) -> bool:
    """Answer whether the request carries the metrics token or comes from verified staff."""
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header.removeprefix("Bearer ").encode(), token.encode())
    user = request.user
    if not (user.is_authenticated and user.is_staff and user.is_active):
        return False
    return not settings.STAFF_OTP_REQUIRED or user.is_verified()


def queue_depths() -> dict[str, int] | None:
    """Messages waiting per Celery queue (Redis list lengths); None without Redis."""
    if not settings.REDIS_URL:
        return None
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2)
    try:
        return {queue: int(client.llen(queue)) for queue in QUEUES}
    except redis.RedisError:
        return None


def metrics_text() -> bytes:
    """Build the exposition: one scrape, one fresh registry."""
    registry = CollectorRegistry()
    up = Gauge("evl_up", "1 when the dependency answers", ["check"], registry=registry)
    database = database_ok()
    up.labels("database").set(database)
    up.labels("broker").set(broker_ok())
    depths = queue_depths()
    if depths is not None:
        depth = Gauge(
            "evl_celery_queue_depth",
            "Tasks waiting in a Celery queue",
            ["queue"],
            registry=registry,
        )
        for queue, length in depths.items():
            depth.labels(queue).set(length)
    if database:
        outbox = outbox_health()
        for name, key, text in (
            ("evl_outbox_pending", "pending", "Notifications waiting to be delivered"),
            ("evl_outbox_failed", "failed", "Notifications given up on"),
            (
                "evl_outbox_oldest_pending_seconds",
                "oldest_pending_seconds",
                "Age of the oldest pending notification",
            ),
        ):
            Gauge(name, text, registry=registry).set(outbox[key])
    return generate_latest(registry)


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Serve the metrics to the token holder or staff; refuse everyone else."""
    if not metrics_allowed(request):
        raise PermissionDenied("metrics are for monitoring and staff only")
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE)
