"""Sweep discovery, the daily task and `manage.py send_reminders`."""

import sys
import types
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from notifications import discovery, tasks
from notifications.models import Notification
from notifications.services import notification_enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_sweeps(monkeypatch, maker):
    """Give the audit app a sweeps module: one sweep that reminds, one that breaks."""
    seen: list[date] = []

    def remind_maker(as_of: date) -> int:
        seen.append(as_of)
        created = notification_enqueue(
            recipient=maker,
            kind="test.reminder",
            target=("registry.enterprise", "1", "Jade"),
            subject="Reminder",
            body="Due soon.",
            due_on=as_of,
        )
        return int(created is not None)

    def broken(as_of: date) -> int:
        raise RuntimeError("sweep bug")

    module = types.ModuleType("audit.sweeps")
    module.SWEEPS = [remind_maker, broken]
    monkeypatch.setitem(sys.modules, "audit.sweeps", module)
    return seen


def test_discovery_finds_sweeps_by_app_label(fake_sweeps):
    names = [name for name, _sweep in discovery.discover_sweeps()]
    assert "audit.remind_maker" in names
    assert "audit.broken" in names


def test_a_sweeps_module_that_fails_to_import_is_reported_not_ignored(monkeypatch):
    def import_broken(name):
        if name == "audit.sweeps":
            raise ModuleNotFoundError("No module named 'missing_dependency'", name="missing")
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    monkeypatch.setattr(discovery, "import_module", import_broken)
    with pytest.raises(ModuleNotFoundError):
        discovery.discover_sweeps()


def test_a_broken_sweep_does_not_stop_the_others(fake_sweeps):
    results = discovery.run_sweeps(date(2026, 3, 2))
    assert results["audit.remind_maker"] == 1
    assert results["audit.broken"] is None
    assert Notification.objects.count() == 1


def test_send_reminders_runs_every_sweep_as_of_the_date_and_delivers(fake_sweeps, maker):
    out = StringIO()
    with pytest.raises(CommandError, match="sweep failed"):
        call_command("send_reminders", "--as-of", "2026-03-02", stdout=out)
    assert fake_sweeps == [date(2026, 3, 2)]
    assert "audit.remind_maker: 1" in out.getvalue()
    assert "audit.broken: FAILED" in out.getvalue()
    assert "Delivered: 1 sent" in out.getvalue()
    assert mail.outbox[0].to == [maker.email]


def test_send_reminders_twice_for_the_same_day_reminds_once(fake_sweeps, monkeypatch):
    fake_sweeps_module = sys.modules["audit.sweeps"]
    monkeypatch.setattr(fake_sweeps_module, "SWEEPS", fake_sweeps_module.SWEEPS[:1])
    call_command("send_reminders", "--as-of", "2026-03-02", stdout=StringIO())
    out = StringIO()
    call_command("send_reminders", "--as-of", "2026-03-02", stdout=out)
    assert "audit.remind_maker: 0" in out.getvalue()
    assert len(mail.outbox) == 1


def test_send_reminders_rejects_a_malformed_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--as-of", "02/03/2026")


def test_send_reminders_says_so_when_no_app_declares_sweeps():
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "Sweeps as of" in out.getvalue()


def test_the_daily_task_runs_sweeps_for_today_and_queues_delivery(fake_sweeps, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.deliver_pending, "delay", lambda: queued.append(True))
    results = tasks.run_all_sweeps()
    assert results["audit.remind_maker"] == 1
    assert queued == [True]


def test_the_delivery_task_sends_the_outbox(maker):
    notification_enqueue(recipient=maker, kind="k", target=("a.b", "1", "x"), subject="s", body="b")
    assert tasks.deliver_pending() == {"sent": 1, "failed": 0, "retry": 0}
