"""Where licences come from and go to, and when offices work: offices, countries, calendar."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.countries import country_name
from registry.validators import validate_country_code


class IssuingOffice(models.Model):
    """A provincial commerce department that issues licences; its code is in the number."""

    code = models.CharField(
        _("code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^\d{2}$", _("Two digits."))],
    )
    name = models.CharField(_("name"), max_length=200)
    province = models.CharField(_("province"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("issuing office")
        verbose_name_plural = _("issuing offices")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Country(models.Model):
    """A destination market and its statutory minimum warranty."""

    code = models.CharField(
        _("ISO 3166-1 alpha-2 code"),
        max_length=2,
        primary_key=True,
        validators=[validate_country_code],
    )
    statutory_warranty_months = models.PositiveSmallIntegerField(
        _("statutory minimum warranty (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    minimum_outlets = models.PositiveSmallIntegerField(
        _("minimum verified outlets"), default=1, validators=[MaxValueValidator(1000)]
    )
    customs_code = models.CharField(_("PRC customs country code"), max_length=3, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        """The name in the reader's language (Chinese under zh-hans)."""
        return country_name(self.code)


class CalendarDay(models.Model):
    """A day on which the official PRC calendar departs from Monday–Friday working."""

    class Source(models.TextChoices):
        PACKAGE = "package", _("chinese-calendar package")
        STAFF = "staff", _("Entered by staff")

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"),
        help_text=_(
            "Checked for a make-up working day on a weekend; unchecked for a public holiday."
        ),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.STAFF
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        kind = _("working day") if self.is_working_day else _("holiday")
        return f"{self.date} {kind} {self.name}".strip()
