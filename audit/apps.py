from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_triggers(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from audit.triggers import PROTECTED_TABLES, install_triggers

    connection = connections[using]
    if set(PROTECTED_TABLES) <= set(connection.introspection.table_names()):
        install_triggers(connection)


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit import signals  # noqa: F401  (connects the login receivers)

        post_migrate.connect(_ensure_triggers, sender=self, dispatch_uid="audit.ensure_triggers")
