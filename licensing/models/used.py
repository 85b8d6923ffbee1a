"""The attached schedule (附表) of a used-vehicle licence case: one row per vehicle."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from licensing.models.cases import Case
from registry.models import VehicleModel
from registry.validators import validate_vin


class ScheduledVehicle(models.Model):
    """A used vehicle to export: what its Chinese registration certificate says.

    The registration date decides whether its manufacturer's confirmation letter is needed
    (the 180-day rule); the transfer for export comes after registration and before the
    application.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="vehicles", verbose_name=_("case")
    )
    vin = models.CharField(_("VIN"), max_length=17, validators=[validate_vin])
    vehicle_model = models.ForeignKey(
        VehicleModel, on_delete=models.PROTECT, related_name="+", verbose_name=_("vehicle model")
    )
    first_registered_on = models.DateField(_("first registration in China"))
    transferred_on = models.DateField(_("transfer for export"))
    unit_price_usd = models.DecimalField(
        _("price FOB (USD)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0.01)],
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("scheduled vehicle")
        verbose_name_plural = _("scheduled vehicles")
        indexes = [models.Index(fields=["vin"], name="scheduled_vehicle_vin")]
        constraints = [
            models.UniqueConstraint(fields=["case", "vin"], name="scheduled_vehicle_once_per_case"),
            models.CheckConstraint(
                condition=Q(transferred_on__gte=F("first_registered_on")),
                name="scheduled_vehicle_transfer_after_registration",
            ),
            models.CheckConstraint(
                condition=Q(unit_price_usd__gt=0), name="scheduled_vehicle_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.vin
