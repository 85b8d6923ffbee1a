"""A real `celery -A config worker` process delivers the outbox, on Redis and on the file broker.

The worker runs in another process, so the test database must be one it can open: a file
for SQLite (see config/settings/test.py) or the PostgreSQL test database. Tests run with
transaction=True so the rows they write are committed and visible to the worker.
"""

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from notifications.models import Notification
from notifications.services import notification_enqueue
from notifications.tasks import deliver_pending
from tests.conftest import IN_CI
from tests.registry.factories import UserFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(settings.BASE_DIR)
DEADLINE_SECONDS = 90


def database_url() -> str:
    """Describe the test database (not the configured one) for the worker process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or ""
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def celery_binary() -> str:
    found = shutil.which("celery", path=str(Path(sys.executable).parent))
    if found is None:
        if IN_CI:
            pytest.fail("the celery command is missing (CI=true: marked tests must run)")
        pytest.skip("the celery command is missing")
    return found


def start_worker(*, queue: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    if connection.vendor == "sqlite" and ":memory:" in connection.settings_dict["NAME"]:
        pytest.skip("an in-memory SQLite test database is invisible to a worker process")
    command = [
        celery_binary(),
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        f"--queues={queue}",
        f"--hostname=test-{queue}@%h",
    ]
    base = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    full_env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        **env,
    }
    with log.open("w") as out:
        return subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=out, stderr=out)


def stop_worker(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def wait_until_sent(notification: Notification, worker: subprocess.Popen, log: Path) -> None:
    started = time.monotonic()
    while time.monotonic() - started < DEADLINE_SECONDS:
        notification.refresh_from_db()
        if notification.status == Notification.Status.SENT:
            return
        if worker.poll() is not None:
            break
        time.sleep(0.5)
    pytest.fail(f"worker did not deliver (status {notification.status}):\n{log.read_text()}")


@pytest.fixture
def pending(db) -> Notification:
    recipient = UserFactory(username=f"worker-{uuid.uuid4().hex[:8]}")
    return notification_enqueue(
        recipient=recipient,
        kind="test.worker",
        target=("registry.enterprise", "1", "Jade River Motors"),
        subject="Delivered by a real worker",
        body="If you read this, the broker and the worker work.",
    )


@pytest.fixture
def queue() -> str:
    # A queue of its own, so no other worker on the same broker can take the message.
    return f"evl-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def file_broker(tmp_path: Path) -> Iterator[Celery]:
    """A file-broker sender sharing its folder with the worker under test."""
    folder = tmp_path / "broker"
    for name in ("out", "processed", "control"):
        (folder / name).mkdir(parents=True)
    # Not the current app: tasks sent later by other tests must still go to the project's app.
    sender = Celery(
        "file-sender",
        set_as_current=False,
        broker="filesystem://",
        broker_transport_options={
            "data_folder_in": str(folder / "out"),
            "data_folder_out": str(folder / "out"),
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),
        },
    )
    yield sender
    sender.close()


@pytest.mark.redis
def test_a_worker_on_redis_delivers_a_task_sent_with_delay(pending, queue, tmp_path):
    log = tmp_path / "worker.log"
    worker = start_worker(queue=queue, env={"REDIS_URL": os.environ["REDIS_URL"]}, log=log)
    try:
        deliver_pending.apply_async(queue=queue)
        wait_until_sent(pending, worker, log)
    finally:
        stop_worker(worker)
    assert pending.attempts == 1


def test_a_worker_on_the_file_broker_delivers_a_queued_task(pending, queue, file_broker, tmp_path):
    log = tmp_path / "worker.log"
    # The worker's VAR_DIR makes its file broker read the folder the sender writes to.
    worker = start_worker(queue=queue, env={"VAR_DIR": str(tmp_path)}, log=log)
    try:
        file_broker.send_task(deliver_pending.name, queue=queue)
        wait_until_sent(pending, worker, log)
    finally:
        stop_worker(worker)
    assert pending.attempts == 1
