"""After-sales position per market: service outlets, warranty and spare-parts commitments."""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from registry.models import Brand, Country, Enterprise, member_enterprise_id, staff_sees_all

MAX_WARRANTY_MONTHS = 240
MAX_BATTERY_KM = 2_000_000
MAX_SUPPLY_YEARS = 30
MAX_LEAD_TIME_DAYS = 365
PHONE_VALIDATOR = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{4,28}$",
    _("Give a phone number: digits, spaces, brackets and dashes, optionally starting with +."),
)


class OwnedQuerySet(models.QuerySet):
    """Scoping shared by every after-sales record: staff see all, members their own."""

    def visible_to(self, user: Any) -> "OwnedQuerySet":
        """Staff see every record; a portal member sees its enterprise's; anyone else none."""
        if staff_sees_all(user):
            return self.all()
        return self.filter(enterprise_id=member_enterprise_id(user))

    def active(self) -> "OwnedQuerySet":
        """Records not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class ServiceOutletQuerySet(OwnedQuerySet):
    def valid_on(self, day: date) -> "ServiceOutletQuerySet":
        """Outlets not withdrawn whose contract runs on the day (verified or not)."""
        return self.active().filter(contract_valid_from__lte=day, contract_valid_until__gte=day)

    def verified(self) -> "ServiceOutletQuerySet":
        return self.filter(verification_status=ServiceOutlet.Status.VERIFIED)


class CommitmentQuerySet(OwnedQuerySet):
    def valid_on(self, day: date) -> "CommitmentQuerySet":
        """Commitments not withdrawn and in force on the day."""
        return self.active().filter(valid_from__lte=day, valid_until__gte=day)


class ServiceOutlet(models.Model):
    """A workshop abroad that services an enterprise's brands under a contract."""

    class OperatorKind(models.TextChoices):
        OWN = "own", _("Own outlet")
        PARTNER = "partner", _("Partner workshop")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    # action -> (statuses it may start from, status it leads to); read by services and admin.
    TRANSITIONS = {
        "verify": ({Status.PENDING}, Status.VERIFIED),
        "reject": ({Status.PENDING, Status.VERIFIED}, Status.REJECTED),
        "reopen": ({Status.VERIFIED, Status.REJECTED}, Status.PENDING),
    }

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="service_outlets",
        verbose_name=_("enterprise"),
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="service_outlets", verbose_name=_("country")
    )
    city = models.CharField(_("city"), max_length=100)
    address = models.CharField(_("address"), max_length=300)
    operator_name = models.CharField(_("operator name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[PHONE_VALIDATOR])
    operator_kind = models.CharField(
        _("operator kind"), max_length=10, choices=OperatorKind.choices
    )
    brands = models.ManyToManyField(
        Brand, related_name="service_outlets", verbose_name=_("brands served")
    )
    contract_valid_from = models.DateField(_("contract valid from"))
    contract_valid_until = models.DateField(_("contract valid until"), db_index=True)
    verification_status = models.CharField(
        _("verification status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        editable=False,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("verified or rejected by"),
    )
    verified_at = models.DateTimeField(
        _("verified or rejected at"), null=True, blank=True, editable=False
    )
    rejection_reason = models.TextField(_("rejection reason"), blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ServiceOutletQuerySet.as_manager()

    class Meta:
        ordering = ["country_id", "city", "pk"]
        verbose_name = _("service outlet")
        verbose_name_plural = _("service outlets")
        permissions = [("verify_serviceoutlet", _("Can verify or reject service outlets"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_valid_until__gt=F("contract_valid_from")),
                name="outlet_contract_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(verification_status="verified") | Q(verified_at__isnull=False),
                name="outlet_verified_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(verification_status="rejected") | ~Q(rejection_reason=""),
                name="outlet_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator_name}, {self.city} ({self.country_id})"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Commitment(models.Model):
    """What warranty and spare-parts commitments share: who, which brand, where, when."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        verbose_name=_("enterprise"),
    )
    brand = models.ForeignKey(
        Brand, on_delete=models.PROTECT, related_name="%(class)ss", verbose_name=_("brand")
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="%(class)ss", verbose_name=_("country")
    )
    valid_from = models.DateField(_("valid from"))
    # Indexed: the daily reminder sweep looks up commitments by the day they end.
    valid_until = models.DateField(_("valid until"), db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["country_id", "brand__name", "-valid_until"]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class WarrantyCommitment(Commitment):
    """A manufacturer's (or authorised exporter's) warranty terms for a brand in a market."""

    vehicle_warranty_months = models.PositiveSmallIntegerField(
        _("vehicle warranty (months)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WARRANTY_MONTHS)],
    )
    battery_warranty_months = models.PositiveSmallIntegerField(
        _("traction-battery warranty (months)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WARRANTY_MONTHS)],
    )
    battery_warranty_km = models.PositiveIntegerField(
        _("traction-battery warranty (km)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_BATTERY_KM)],
    )

    class Meta(Commitment.Meta):
        verbose_name = _("warranty commitment")
        verbose_name_plural = _("warranty commitments")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("valid_from")), name="warranty_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(vehicle_warranty_months__gte=1)
                & Q(vehicle_warranty_months__lte=MAX_WARRANTY_MONTHS)
                & Q(battery_warranty_months__gte=1)
                & Q(battery_warranty_months__lte=MAX_WARRANTY_MONTHS),
                name="warranty_months_sane",
            ),
            models.CheckConstraint(
                condition=Q(battery_warranty_km__gte=1)
                & Q(battery_warranty_km__lte=MAX_BATTERY_KM),
                name="warranty_km_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.brand} {self.country_id}: {self.vehicle_warranty_months} months"


class SparePartsCommitment(Commitment):
    """A commitment to supply a brand's spare parts in a market, with a lead-time ceiling."""

    supply_years = models.PositiveSmallIntegerField(
        _("supply years after end of production"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SUPPLY_YEARS)],
    )
    max_lead_time_days = models.PositiveSmallIntegerField(
        _("maximum lead time for critical parts (days)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LEAD_TIME_DAYS)],
    )
    depot = models.CharField(_("parts depot"), max_length=300)

    class Meta(Commitment.Meta):
        verbose_name = _("spare-parts commitment")
        verbose_name_plural = _("spare-parts commitments")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("valid_from")), name="spare_parts_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(supply_years__gte=1) & Q(supply_years__lte=MAX_SUPPLY_YEARS),
                name="spare_parts_years_sane",
            ),
            models.CheckConstraint(
                condition=Q(max_lead_time_days__gte=1)
                & Q(max_lead_time_days__lte=MAX_LEAD_TIME_DAYS),
                name="spare_parts_lead_time_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.brand} {self.country_id}: {self.supply_years} years, {self.depot}"
