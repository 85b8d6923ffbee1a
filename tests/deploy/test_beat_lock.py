"""Exactly one celery beat: a second one refuses to start while the first holds the lock."""

import os

import pytest
import redis
from django.test import override_settings

from config.beat import LOCK_NAME, BeatAlreadyRunning, LockedScheduler
from config.celery import app


def _scheduler(tmp_path, name: str) -> LockedScheduler:  # type: ignore[no-untyped-def]
    return LockedScheduler(app=app, schedule_filename=str(tmp_path / name))


@pytest.fixture
def shared_redis():  # type: ignore[no-untyped-def]
    url = os.environ["REDIS_URL"]
    client = redis.Redis.from_url(url)
    client.delete(LOCK_NAME)
    with override_settings(REDIS_URL=url):
        yield client
    client.delete(LOCK_NAME)


@pytest.mark.redis
def test_a_second_beat_refuses_to_start_while_the_first_runs(tmp_path, shared_redis):
    first = _scheduler(tmp_path, "a")
    with pytest.raises(BeatAlreadyRunning):
        _scheduler(tmp_path, "b")
    assert shared_redis.exists(LOCK_NAME)
    first.close()


@pytest.mark.redis
def test_a_standby_beat_starts_once_the_first_has_stopped(tmp_path, shared_redis):
    _scheduler(tmp_path, "a").close()
    assert not shared_redis.exists(LOCK_NAME)
    second = _scheduler(tmp_path, "b")
    assert second.lock is not None and shared_redis.exists(LOCK_NAME)
    second.close()


@pytest.mark.redis
def test_a_beat_that_lost_its_lock_stops_instead_of_running_beside_another(tmp_path, shared_redis):
    first = _scheduler(tmp_path, "a")
    shared_redis.delete(LOCK_NAME)
    other = _scheduler(tmp_path, "b")
    with pytest.raises(BeatAlreadyRunning):
        first.tick()
    other.close()


@pytest.mark.redis
def test_the_running_beat_renews_its_lock_at_each_tick(tmp_path, shared_redis):
    first = _scheduler(tmp_path, "a")
    shared_redis.pexpire(LOCK_NAME, 1000)
    wait = first.tick()
    assert shared_redis.pttl(LOCK_NAME) > 1000
    assert wait <= 30
    first.close()


def test_without_redis_one_machine_runs_beat_unlocked(tmp_path):
    with override_settings(REDIS_URL=""):
        scheduler = _scheduler(tmp_path, "a")
        assert scheduler.lock is None
        scheduler.close()
