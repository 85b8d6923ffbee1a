"""`send_reminders --as-of`: a day still to come never changes today's data."""

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from licensing.models import Licence
from notifications.management.commands.send_reminders import Command
from notifications.models import Notification
from tests.licensing.licence_factories import issue_licence
from tests.registry.factories import MembershipFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 28)
S = Licence.Status


@pytest.fixture
def licences():
    """Two licences valid to 31 December, one expiring within a week."""
    with time_machine.travel(TODAY, tick=False):
        until_year_end = [issue_licence(valid_until=date(2026, 12, 31)) for _ in range(2)]
        soon = issue_licence(valid_until=TODAY + timedelta(days=5))
    for licence in [*until_year_end, soon]:
        MembershipFactory(enterprise=licence.holder)
    return until_year_end + [soon]


def run(*args: str) -> str:
    out = StringIO()
    with time_machine.travel(TODAY, tick=False):
        call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def database_fingerprint() -> dict[str, object]:
    """Row counts of every table, and the audit chain's head."""
    counts = {m._meta.label: m.objects.count() for m in apps.get_models()}
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return {"counts": counts, "audit_head": head}


def test_a_future_preview_then_todays_run_leaves_every_valid_licence_active(licences):
    run("--as-of", "2027-01-15")
    run()
    statuses = set(Licence.objects.values_list("status", flat=True))
    assert statuses == {S.ACTIVE}


def test_a_future_as_of_is_a_dry_run_that_writes_nothing_and_says_so(licences):
    before = database_fingerprint()
    mail.outbox.clear()
    out = run("--as-of", "2027-01-15")
    assert database_fingerprint() == before
    assert mail.outbox == []
    assert "DRY RUN as of 2027-01-15" in out
    assert "licensing.expire_licences: 3" in out
    assert "Nothing was written" in out


def test_dry_run_for_today_previews_reminders_without_queueing_them(licences):
    before = database_fingerprint()
    out = run("--dry-run")
    assert database_fingerprint() == before
    assert "DRY RUN as of 2026-11-28:" in out
    assert "licensing.remind_licences_expiring: 1" in out
    assert "Would deliver: 1 notifications" in out
    assert not Notification.objects.filter(kind__startswith="licence.expiring").exists()


def test_apply_lets_a_test_database_live_a_future_day(licences):
    out = run("--as-of", "2027-01-15", "--apply")
    assert "DRY RUN" not in out
    assert set(Licence.objects.values_list("status", flat=True)) == {S.EXPIRED}


def test_production_settings_refuse_apply(licences, settings):
    settings.REMINDERS_ALLOW_FUTURE_APPLY = False
    with pytest.raises(CommandError, match="refused") as raised:
        run("--as-of", "2027-01-15", "--apply")
    assert raised.value.returncode == 2
    assert set(Licence.objects.values_list("status", flat=True)) == {S.ACTIVE}


def test_todays_run_acts_for_real(licences):
    with time_machine.travel(TODAY + timedelta(days=6), tick=False):
        call_command("send_reminders", stdout=StringIO())
    assert Licence.objects.filter(status=S.EXPIRED).count() == 1


@pytest.mark.parametrize(
    "value", ["garbage", "2026-13-01", "28/11/2026", "1999-12-31", "0001-01-01"]
)
def test_a_bad_as_of_is_a_clear_error_with_exit_code_2(value, capsys):
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "send_reminders", "--as-of", value])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "--as-of" in error
    assert "Traceback" not in error
    assert Notification.objects.count() == 0
