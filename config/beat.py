"""Exactly one Celery beat: the scheduler holds a Redis lock for as long as it runs.

`celery -A config beat` uses `LockedScheduler` (CELERY_BEAT_SCHEDULER). At start it takes
the lock `evl:beat` (SET NX with a time to live); a second beat on any host finds it held and
exits with an error instead of sending every periodic task twice. The running beat renews the
lock at every tick (at most every third of its life); if it dies, the lock expires after
BEAT_LOCK_SECONDS and a standby beat started then takes over. Without REDIS_URL (one machine,
file broker) there is nothing to share a lock through and the scheduler runs unlocked.
"""

import logging
import socket
from typing import Any

import redis
from celery.beat import PersistentScheduler
from django.conf import settings

LOCK_NAME = "evl:beat"
logger = logging.getLogger(__name__)


class BeatAlreadyRunning(SystemExit):
    """Another beat holds the lock."""


def beat_lock(client: redis.Redis | None = None) -> Any:
    """The lock object (redis-py's Lock) shared by every beat of this deployment."""
    client = client or redis.Redis.from_url(settings.REDIS_URL)
    return client.lock(LOCK_NAME, timeout=settings.BEAT_LOCK_SECONDS, thread_local=False)


class LockedScheduler(PersistentScheduler):
    """The default file-backed scheduler, run only while this process holds the beat lock."""

    lock: Any = None

    def setup_schedule(self) -> None:
        if settings.REDIS_URL:
            self.lock = beat_lock()
            if not self.lock.acquire(blocking=False):
                raise BeatAlreadyRunning(
                    f"another celery beat holds the lock {LOCK_NAME!r}; exactly one may run"
                )
            logger.info("beat lock %s taken by %s", LOCK_NAME, socket.gethostname())
        super().setup_schedule()

    def tick(self, *args: Any, **kwargs: Any) -> float:
        if self.lock is not None:
            try:
                self.lock.reacquire()
            except redis.exceptions.LockError as lost:
                self.lock = None
                raise BeatAlreadyRunning(
                    f"the beat lock {LOCK_NAME!r} was lost; stopping"
                ) from lost
        return min(super().tick(*args, **kwargs), settings.BEAT_LOCK_SECONDS / 3)

    def close(self) -> None:
        super().close()
        if self.lock is not None:
            try:
                self.lock.release()
            except redis.exceptions.LockError:
                logger.warning("beat lock %s had already expired", LOCK_NAME)
            self.lock = None
