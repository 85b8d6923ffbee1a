from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensingConfig(AppConfig):
    name = "licensing"
    verbose_name = _("Licensing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Name this app's notification kinds for staff pages; register the font check."""
        from licensing import certificate_font  # noqa: F401  (registers its system check)
        from licensing.notification_kinds import KINDS
        from notifications.kinds import kinds_register

        kinds_register(KINDS)
