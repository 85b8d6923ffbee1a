from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "licensing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Name this app's notification kinds for staff pages."""
        from licensing.notification_kinds import KINDS
        from notifications.kinds import kinds_register

        kinds_register(KINDS)
