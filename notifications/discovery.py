"""Find and run the reminder sweeps that each of our apps declares in its own sweeps.py.

An app's ``sweeps.py`` exposes ``SWEEPS: list[Callable[[date], int]]``; each sweep enqueues
notifications for the given day and returns how many it added. Apps are found by label at
run time, so this app imports none of the apps that use it.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction

from notifications.models import Notification

logger = logging.getLogger(__name__)
Sweep = Callable[[date], int]


def discover_sweeps() -> list[tuple[str, Sweep]]:
    """Return (name, sweep) for every SWEEPS entry of our project's apps, in app order."""
    found: list[tuple[str, Sweep]] = []
    for config in apps.get_app_configs():
        if not _is_ours(config.path):
            continue
        module_name = f"{config.name}.sweeps"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise  # a sweeps module that exists but fails to import is a bug
            continue
        for sweep in getattr(module, "SWEEPS", []):
            found.append((f"{config.label}.{sweep.__name__}", sweep))
    return found


@dataclass
class SweepRun:
    """What a run of every sweep did (or, in a preview, would have done)."""

    results: dict[str, int | None] = field(default_factory=dict)
    deliverable: int = 0

    @property
    def failed(self) -> bool:
        return any(count is None for count in self.results.values())


def sweeps_run(as_of: date) -> SweepRun:
    """Run every sweep for `as_of` for real."""
    return SweepRun(results=run_sweeps(as_of))


def sweeps_preview(as_of: date) -> SweepRun:
    """Run every sweep for `as_of` in a transaction that is always rolled back."""
    with transaction.atomic():
        run = SweepRun(results=run_sweeps(as_of))
        run.deliverable = Notification.objects.filter(status=Notification.Status.PENDING).count()
        # Nothing the sweeps did survives: no state change, outbox row or audit event.
        transaction.set_rollback(True)
    return run


def run_sweeps(as_of: date) -> dict[str, int | None]:
    """Run every sweep for `as_of`, each in its own transaction; None marks a failed sweep."""
    results: dict[str, int | None] = {}
    for name, sweep in discover_sweeps():
        try:
            with transaction.atomic():
                results[name] = int(sweep(as_of))
        except Exception:
            # One broken sweep must not stop the others' reminders.
            logger.exception("sweep %s failed for %s", name, as_of)
            results[name] = None
    return results


def _is_ours(path: str) -> bool:
    return Path(path).resolve().is_relative_to(Path(settings.BASE_DIR).resolve())
