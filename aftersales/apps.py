from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftersalesConfig(AppConfig):
    name = "aftersales"
    verbose_name = _("After-sales")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Name this app's notification kinds for staff pages."""
        from django.utils.translation import gettext_lazy as _

        from notifications.kinds import kinds_register

        kinds_register(
            {
                "aftersales.warranty_commitment.ending": _("Warranty commitment ending"),
                "aftersales.spare_parts_commitment.ending": _("Spare-parts commitment ending"),
                "aftersales.service_outlet.contract_ending": _("Outlet contract ending"),
                "aftersales.breach.decided": _("Breach decided"),
                "aftersales.letter_request.received": _("Confirmation letter requested"),
                "aftersales.letter_request.refused": _("Confirmation letter refused"),
                "aftersales.confirmation_letter.issued": _("Confirmation letter issued"),
                "aftersales.confirmation_letter.revoked": _("Confirmation letter revoked"),
                "aftersales.warranty_gap.warranty": _(
                    "Cars under warranty after the warranty commitment ends"
                ),
                "aftersales.warranty_gap.spare_parts": _(
                    "Cars under warranty after the spare-parts commitment ends"
                ),
            }
        )
