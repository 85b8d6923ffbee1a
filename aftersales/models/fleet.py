"""The exported fleet and what it obliges: vehicles abroad, obligations per market."""

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from aftersales.models.network import OwnedQuerySet
from registry.models import Brand, Country, Enterprise, VehicleModel
from registry.validators import validate_vin


class ExportedVehicleQuerySet(OwnedQuerySet):
    def under_warranty_on(self, day: date) -> "ExportedVehicleQuerySet":
        """Vehicles whose warranty still runs on the day."""
        return self.filter(warranty_ends_on__gte=day)

    def of_market(self, enterprise_id: int, brand_id: int, country_id: str) -> "OwnedQuerySet":
        """The vehicles one obligation covers."""
        return self.filter(enterprise_id=enterprise_id, brand_id=brand_id, country_id=country_id)


class ExportedVehicle(models.Model):
    """A car that left under a licence: where it went and until when it is under warranty.

    The licence and declaration are kept as their numbers: after-sales records what
    licensing tells it and never reaches back into licensing.
    """

    vin = models.CharField(_("VIN"), max_length=17, unique=True, validators=[validate_vin])
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="exported_vehicles",
        verbose_name=_("licence holder"),
    )
    brand = models.ForeignKey(
        Brand, on_delete=models.PROTECT, related_name="exported_vehicles", verbose_name=_("brand")
    )
    vehicle_model = models.ForeignKey(
        VehicleModel, on_delete=models.PROTECT, related_name="+", verbose_name=_("vehicle model")
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("destination")
    )
    licence_number = models.CharField(_("licence number"), max_length=12, db_index=True)
    declaration_number = models.CharField(_("customs declaration number"), max_length=18)
    exported_on = models.DateField(_("export date"))
    warranty_months = models.PositiveSmallIntegerField(_("warranty (months)"))
    first_registered_on = models.DateField(_("first registration abroad"), null=True, blank=True)
    # Set for used vehicles only: their warranty started at this first registration in China.
    registered_in_china_on = models.DateField(
        _("first registration in China"), null=True, blank=True
    )
    warranty_ends_on = models.DateField(_("warranty ends on"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ExportedVehicleQuerySet.as_manager()

    class Meta:
        ordering = ["-exported_on", "vin"]
        verbose_name = _("exported vehicle")
        verbose_name_plural = _("exported vehicles")
        indexes = [
            # One obligation's horizon is a max() over this prefix: an index-only lookup.
            models.Index(
                fields=["enterprise", "brand", "country", "warranty_ends_on"],
                name="exported_vehicle_market",
            ),
            # A manufacturer's market includes its authorised exporters' cars: the brand's
            # latest warranty in a country (the warranty-gap reminder).
            models.Index(
                fields=["brand", "country", "warranty_ends_on"],
                name="exported_vehicle_brand_market",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_registered_on__isnull=True)
                | Q(first_registered_on__gte=F("exported_on")),
                name="exported_vehicle_registered_after_export",
            ),
            # A used vehicle may leave after its warranty ended; a new one never does.
            models.CheckConstraint(
                condition=Q(warranty_ends_on__gt=F("exported_on"))
                | Q(registered_in_china_on__isnull=False),
                name="exported_vehicle_warranty_after_export",
            ),
        ]

    def __str__(self) -> str:
        return self.vin

    @property
    def warranty_starts_on(self) -> date:
        return self.registered_in_china_on or self.first_registered_on or self.exported_on

    @property
    def is_used(self) -> bool:
        return self.registered_in_china_on is not None


class Obligation(models.Model):
    """What an enterprise owes one market for one brand, until the last warranty there ends."""

    class Status(models.TextChoices):
        COVERED = "covered", _("Covered")
        AT_RISK = "at_risk", _("At risk")
        BREACHED = "breached", _("Breached")
        FULFILLED = "fulfilled", _("Fulfilled")

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="obligations",
        verbose_name=_("enterprise"),
    )
    brand = models.ForeignKey(
        Brand, on_delete=models.PROTECT, related_name="obligations", verbose_name=_("brand")
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="obligations", verbose_name=_("country")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, editable=False, db_index=True
    )
    horizon = models.DateField(_("in force until"), editable=False)
    vehicles = models.PositiveIntegerField(_("vehicles exported"), editable=False)
    # What is missing (breached) or ends too early (at risk): kinds from COVER_KINDS.
    gaps = models.CharField(_("gaps"), max_length=40, blank=True, editable=False)
    gap_ends_on = models.DateField(_("cover ends on"), null=True, blank=True, editable=False)
    assessed_on = models.DateField(_("assessed on"), editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["country_id", "brand_id", "enterprise_id"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "brand", "country"], name="obligation_one_per_market"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.brand} {self.country_id}: {self.get_status_display()}"

    @property
    def reason(self) -> str:
        """Why the market is breached or at risk, in the reader's language."""
        kinds = self.gaps.split()
        if self.status == self.Status.BREACHED:
            return " ".join(str(MISSING[kind]) for kind in kinds)
        if self.status == self.Status.AT_RISK and kinds:
            return _("%(what)s ends on %(end)s, before the last warranty (%(horizon)s).") % {
                "what": COVER_KINDS[kinds[0]],
                "end": self.gap_ends_on,
                "horizon": self.horizon,
            }
        return ""


COVER_KINDS = {
    "outlets": _("The last verified outlet contract"),
    "warranty": _("The warranty commitment"),
    "spare_parts": _("The spare-parts commitment"),
}
MISSING = {
    "outlets": _("No verified service outlet with a running contract."),
    "warranty": _("No warranty commitment in force."),
    "spare_parts": _("No spare-parts commitment in force."),
}
