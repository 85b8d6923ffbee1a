"""Who may export: manufacturers' authorisations and the yearly qualification list."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.models.access import member_enterprise_id, staff_sees_all
from registry.models.enterprises import Enterprise
from registry.models.vehicles import Brand


class AuthorisationQuerySet(models.QuerySet["Authorisation"]):
    def current(self, on: date | None = None) -> "AuthorisationQuerySet":
        """Authorisations in force on a date (today by default)."""
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(valid_from__lte=day, valid_until__gte=day, revoked_at__isnull=True)

    def visible_to(self, user: Any) -> "AuthorisationQuerySet":
        """Staff see all; a member sees those it granted or received."""
        if staff_sees_all(user):
            return self.all()
        enterprise_id = member_enterprise_id(user)
        return self.filter(Q(manufacturer_id=enterprise_id) | Q(exporter_id=enterprise_id))


class Authorisation(models.Model):
    """A manufacturer's authorisation of an export company for some of its brands."""

    manufacturer = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="authorisations_granted",
        verbose_name=_("manufacturer"),
    )
    exporter = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="authorisations_received",
        verbose_name=_("export company"),
    )
    brands = models.ManyToManyField(Brand, related_name="authorisations", verbose_name=_("brands"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    evidence_reference = models.CharField(_("authorisation letter reference"), max_length=100)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revocation_reason = models.TextField(_("revocation reason"), blank=True, editable=False)

    objects = AuthorisationQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("authorisation")
        verbose_name_plural = _("authorisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="authorisation_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(manufacturer=models.F("exporter")), name="authorisation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manufacturer} → {self.exporter} ({self.valid_from}–{self.valid_until})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def clean(self) -> None:
        # Field errors here spare users the database constraints' generic messages.
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("The authorisation cannot end before it starts.")}
            )
        if self.manufacturer_id and self.manufacturer_id == self.exporter_id:
            raise ValidationError({"exporter": _("A manufacturer cannot authorise itself.")})


class QualificationQuerySet(models.QuerySet["Qualification"]):
    def visible_to(self, user: Any) -> "QualificationQuerySet":
        """Staff see all; a member sees its own enterprise's qualifications."""
        if staff_sees_all(user):
            return self.all()
        return self.filter(enterprise_id=member_enterprise_id(user))

    def granted_for(self, enterprise_id: int, year: int) -> "QualificationQuerySet":
        return self.filter(
            enterprise_id=enterprise_id, year=year, status=Qualification.Status.GRANTED
        )


class Qualification(models.Model):
    """An enterprise's place on the year's list of those qualified to export BEVs."""

    class Status(models.TextChoices):
        GRANTED = "granted", _("Granted")
        SUSPENDED = "suspended", _("Suspended")
        CANCELLED = "cancelled", _("Cancelled")

    class QualificationClass(models.TextChoices):
        CLASS_1 = "1", _("Class 1 (≥50 outlets, ≥10,000 exports a year)")
        CLASS_2 = "2", _("Class 2 (≥10 outlets, ≥2,000 exports a year)")
        CLASS_3 = "3", _("Class 3")
        EXPORTER = "exporter", _("Authorised export company")
        USED = "used", _("Used-vehicle export company")

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="qualifications",
        verbose_name=_("enterprise"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2026), MaxValueValidator(2100)]
    )
    qualification_class = models.CharField(
        _("class"), max_length=10, choices=QualificationClass.choices
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.GRANTED, editable=False
    )
    granted_on = models.DateField(_("granted on"))
    source_case_reference = models.CharField(
        _("granted by case"), max_length=40, blank=True, editable=False
    )
    status_reason = models.TextField(
        _("reason for the last status change"), blank=True, editable=False
    )

    objects = QualificationQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "enterprise__name_en"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"], name="one_qualification_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} ({self.get_status_display()})"

    @property
    def valid_until(self) -> date:
        return date(self.year, 12, 31)
