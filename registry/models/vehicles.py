"""What a manufacturer builds: brands, vehicle models and the VIN prefixes assigned to it."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.models.access import member_enterprise_id, staff_sees_all
from registry.models.enterprises import Enterprise
from registry.validators import validate_hs_code


class BrandQuerySet(models.QuerySet["Brand"]):
    def visible_to(self, user: Any) -> "BrandQuerySet":
        """Staff see all; a member sees brands it owns or is currently authorised to export."""
        if staff_sees_all(user):
            return self.all()
        from registry.models.rights import Authorisation

        enterprise_id = member_enterprise_id(user)
        return self.filter(
            Q(manufacturer_id=enterprise_id)
            | Q(
                pk__in=Authorisation.objects.current()
                .filter(exporter_id=enterprise_id)
                .values("brands")
            )
        ).distinct()


class Brand(models.Model):
    """A vehicle brand owned by one manufacturer."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    manufacturer = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="brands", verbose_name=_("manufacturer")
    )

    objects = BrandQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.manufacturer_id and self.manufacturer.kind != Enterprise.Kind.MANUFACTURER:
            raise ValidationError({"manufacturer": _("A brand belongs to a manufacturer.")})


class VehicleModelQuerySet(models.QuerySet["VehicleModel"]):
    def visible_to(self, user: Any) -> "VehicleModelQuerySet":
        """Models of the brands the user may see."""
        return self.filter(brand__in=Brand.objects.visible_to(user))


class VehicleModel(models.Model):
    """A vehicle model with its powertrain and customs code."""

    class Powertrain(models.TextChoices):
        BEV = "BEV", _("Battery electric")
        PHEV = "PHEV", _("Plug-in hybrid")
        EREV = "EREV", _("Range-extended electric")
        HEV = "HEV", _("Hybrid")
        FCEV = "FCEV", _("Fuel cell")
        ICE = "ICE", _("Internal combustion")

    brand = models.ForeignKey(
        Brand, on_delete=models.PROTECT, related_name="models", verbose_name=_("brand")
    )
    name = models.CharField(_("name"), max_length=100)
    powertrain = models.CharField(_("powertrain"), max_length=4, choices=Powertrain.choices)
    hs_code = models.CharField(_("HS code"), max_length=10, validators=[validate_hs_code])
    type_approval_number = models.CharField(_("type-approval number"), max_length=60, blank=True)
    is_active = models.BooleanField(_("in production"), default=True)

    objects = VehicleModelQuerySet.as_manager()

    class Meta:
        ordering = ["brand__name", "name"]
        verbose_name = _("vehicle model")
        verbose_name_plural = _("vehicle models")
        constraints = [
            models.UniqueConstraint(fields=["brand", "name"], name="uniq_model_per_brand")
        ]

    def __str__(self) -> str:
        return f"{self.brand} {self.name}"


class WorldManufacturerIdentifier(models.Model):
    """A VIN prefix (positions 1–3, ISO 3780) assigned to one manufacturer.

    It is how a confirmation letter's issuer is shown to have built the vehicle it names.
    """

    code = models.CharField(
        _("world manufacturer identifier"),
        max_length=3,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-HJ-NPR-Z0-9]{3}$", _("Three VIN characters: digits and letters but I, O, Q.")
            )
        ],
    )
    manufacturer = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="manufacturer_identifiers",
        verbose_name=_("manufacturer"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("world manufacturer identifier")
        verbose_name_plural = _("world manufacturer identifiers")

    def __str__(self) -> str:
        return self.code
