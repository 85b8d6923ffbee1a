"""Issued licences, their goods lines and the customs declarations that draw them down."""

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from licensing.models.cases import Case
from registry.models import (
    Brand,
    Country,
    Enterprise,
    IssuingOffice,
    VehicleModel,
    member_enterprise_id,
    staff_sees_all,
)
from registry.validators import validate_vin

LICENCE_NUMBER_PATTERN = r"^\d{2}-\d{2}-\d{6}$"
MULTI_USE_DECLARATIONS = 12


class LicenceNumberSequence(models.Model):
    """The last number issued by one office in one year; locked while a licence is issued."""

    issuing_office = models.ForeignKey(
        IssuingOffice, on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("licence number sequence")
        verbose_name_plural = _("licence number sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_office", "year"], name="one_licence_sequence_per_office_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issuing_office_id}/{self.year}: {self.last_number}"


class LicenceQuerySet(models.QuerySet["Licence"]):
    def visible_to(self, user: Any) -> "LicenceQuerySet":
        """Staff see every licence; a portal member sees its own enterprise's; others none."""
        if staff_sees_all(user):
            return self.all()
        return self.filter(holder_id=member_enterprise_id(user))

    def usable(self) -> "LicenceQuerySet":
        return self.filter(status=Licence.Status.ACTIVE)

    def past_validity(self, on: Any) -> "LicenceQuerySet":
        """Licences still in force on paper whose last valid day is before `on`."""
        return self.filter(status__in=Licence.IN_FORCE_STATUSES, valid_until__lt=on)

    def expiring_between(self, start: Any, end: Any) -> "LicenceQuerySet":
        return self.filter(status=Licence.Status.ACTIVE, valid_until__range=(start, end))


class Licence(models.Model):
    """An export licence for one contract; never edited, only moved through its statuses."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")
        EXHAUSTED = "exhausted", _("Exhausted")
        EXCHANGED = "exchanged", _("Exchanged")

    # In force on paper: usable now, or again once reinstated.
    IN_FORCE_STATUSES = (Status.ACTIVE, Status.SUSPENDED)

    # A licence keeps the use mode its case asked for: one set of choices for both.
    UseMode = Case.UseMode

    number = models.CharField(
        _("licence number"),
        max_length=12,
        unique=True,
        editable=False,
        validators=[RegexValidator(LICENCE_NUMBER_PATTERN)],
    )
    case = models.OneToOneField(
        "licensing.Case",
        on_delete=models.PROTECT,
        related_name="issued_licence",
        editable=False,
        verbose_name=_("issued by case"),
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        editable=False,
        verbose_name=_("replaces licence"),
    )
    holder = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="licences", verbose_name=_("holder")
    )
    # The used-vehicle case whose schedule (附表) the licence carries: its own case, or for an
    # exchange the one the replaced licence carried. Stored so that "a VIN still to be
    # exported under a licence in force" is one join, however many exchanges came between.
    schedule_case = models.ForeignKey(
        "licensing.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schedule_licences",
        editable=False,
        verbose_name=_("used-vehicle schedule of case"),
    )
    issuing_office = models.ForeignKey(
        IssuingOffice,
        on_delete=models.PROTECT,
        related_name="licences",
        verbose_name=_("issuing office"),
    )
    brand = models.ForeignKey(
        Brand, on_delete=models.PROTECT, related_name="licences", verbose_name=_("brand")
    )
    destination = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="licences", verbose_name=_("destination")
    )
    customs_port = models.CharField(_("customs port of export"), max_length=100)
    trade_mode = models.CharField(_("trade mode"), max_length=12)
    contract_number = models.CharField(_("contract number"), max_length=17)
    payment_terms = models.CharField(_("payment terms"), max_length=100, blank=True)
    transport_mode = models.CharField(_("transport mode"), max_length=8, blank=True)
    use_mode = models.CharField(_("use mode"), max_length=8, choices=UseMode.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), db_index=True)
    uses_left = models.PositiveSmallIntegerField(
        _("declarations left"), validators=[MaxValueValidator(MULTI_USE_DECLARATIONS)]
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.ACTIVE,
        editable=False,
        db_index=True,
    )
    status_reason = models.TextField(_("reason for the last status change"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    issued_at = models.DateTimeField(_("issued at"), editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("issued by"),
    )

    objects = LicenceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        permissions = [("act_on_licence", _("Can suspend, reinstate and revoke licences"))]
        # The default ordering: the newest page is read from the index, not sorted.
        indexes = [models.Index(fields=["-issued_at", "-id"], name="licence_newest_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")), name="licence_validity_ordered"
            ),
            models.CheckConstraint(
                condition=Q(uses_left__lte=MULTI_USE_DECLARATIONS), name="licence_uses_at_most_12"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_multi_use(self) -> bool:
        return self.use_mode == self.UseMode.MULTI


class LicenceLine(models.Model):
    """One licensed model: how many were licensed and how many may still be declared."""

    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, related_name="lines", verbose_name=_("licence")
    )
    vehicle_model = models.ForeignKey(
        VehicleModel, on_delete=models.PROTECT, related_name="+", verbose_name=_("vehicle model")
    )
    licensed_quantity = models.PositiveIntegerField(
        _("licensed quantity"), validators=[MinValueValidator(1)]
    )
    remaining = models.PositiveIntegerField(_("remaining"))
    unit_price_usd = models.DecimalField(_("unit price FOB (USD)"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("licence line")
        verbose_name_plural = _("licence lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining__gte=0) & Q(remaining__lte=F("licensed_quantity")),
                name="licence_line_remaining_within_licensed",
            ),
            models.UniqueConstraint(
                fields=["licence", "vehicle_model"], name="one_licence_line_per_model"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle_model}: {self.remaining}/{self.licensed_quantity}"


class Declaration(models.Model):
    """One customs export declaration made under a licence."""

    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, related_name="declarations", verbose_name=_("licence")
    )
    number = models.CharField(
        _("customs declaration number"),
        max_length=18,
        unique=True,
        validators=[RegexValidator(r"^\d{18}$", _("A customs declaration number has 18 digits."))],
    )
    declared_on = models.DateField(_("declared on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["declared_on", "pk"]
        verbose_name = _("customs declaration")
        verbose_name_plural = _("customs declarations")

    def __str__(self) -> str:
        return self.number


class DeclarationLine(models.Model):
    """The quantity of one licensed model a declaration drew down."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.PROTECT, related_name="lines", verbose_name=_("declaration")
    )
    licence_line = models.ForeignKey(
        LicenceLine,
        on_delete=models.PROTECT,
        related_name="declaration_lines",
        verbose_name=_("licence line"),
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["pk"]
        verbose_name = _("declaration line")
        verbose_name_plural = _("declaration lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="declaration_line_quantity_positive"
            ),
            models.UniqueConstraint(
                fields=["declaration", "licence_line"], name="one_declaration_line_per_model"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.declaration}: {self.quantity}"


class DeclaredVehicle(models.Model):
    """A vehicle shipped under a declaration; a VIN is declared once, ever."""

    vin = models.CharField(_("VIN"), max_length=17, unique=True, validators=[validate_vin])
    declaration = models.ForeignKey(
        Declaration,
        on_delete=models.PROTECT,
        related_name="vehicles",
        verbose_name=_("declaration"),
    )
    declaration_line = models.ForeignKey(
        DeclarationLine, on_delete=models.PROTECT, related_name="vehicles", verbose_name=_("line")
    )
    vehicle_model = models.ForeignKey(
        VehicleModel, on_delete=models.PROTECT, related_name="+", verbose_name=_("vehicle model")
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("declared vehicle")
        verbose_name_plural = _("declared vehicles")

    def __str__(self) -> str:
        return self.vin
