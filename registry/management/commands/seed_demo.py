"""Create the demo world of DESIGN.md §6 (idempotent)."""

from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from registry.roles import OUR_APPS


class Command(BaseCommand):
    help = "Create or complete the demo world; running it twice changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        world: dict[str, Any] = {}
        with transaction.atomic():
            for label in ("registry", *[a for a in OUR_APPS if a != "registry"]):
                module = _demo_module(label)
                if module is not None:
                    world.update(module.seed(world) or {})
        self.stdout.write(self.style.SUCCESS("Demo world ready; every demo password is 'demo'."))


def _demo_module(label: str) -> Any:
    if not apps.is_installed(label):
        return None
    try:
        return import_module(f"{label}.demo")
    except ModuleNotFoundError:
        return None
