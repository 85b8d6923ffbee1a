"""Who may export what: enterprises, brands, models, authorisations, qualifications."""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from registry.validators import validate_country_code, validate_hs_code, validate_uscc


def staff_sees_all(user: Any) -> bool:
    """Active staff read the whole registry; their edit rights come from their role."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def member_enterprise_id(user: Any) -> int | None:
    """Return the enterprise id of an active portal member, or None."""
    if not (user.is_authenticated and user.is_active):
        return None
    membership = getattr(user, "membership", None)
    if membership is None or not membership.is_active:
        return None
    return membership.enterprise_id


def member_may_apply(user: Any) -> bool:
    """Whether an active member's role (admin or applicant) lets them apply and keep records."""
    return member_enterprise_id(user) is not None and bool(user.membership.may_apply)


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
        return str(countries.name(self.code)) or self.code


class EnterpriseQuerySet(models.QuerySet["Enterprise"]):
    def visible_to(self, user: Any) -> "EnterpriseQuerySet":
        """Staff see every enterprise; a portal member sees their own; anyone else none."""
        if staff_sees_all(user):
            return self.all()
        return self.filter(pk=member_enterprise_id(user))

    def manufacturers(self) -> "EnterpriseQuerySet":
        return self.filter(kind=Enterprise.Kind.MANUFACTURER)


class Enterprise(models.Model):
    """A company in the register: carmaker, authorised export company or other trader."""

    class Kind(models.TextChoices):
        MANUFACTURER = "manufacturer", _("Manufacturer")
        AUTHORISED_EXPORTER = "authorised_exporter", _("Authorised export company")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    name_zh = models.CharField(_("legal name (Chinese)"), max_length=200)
    name_en = models.CharField(_("legal name (English)"), max_length=200)
    uscc = models.CharField(
        _("Unified Social Credit Code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    miit_catalogue_number = models.CharField(
        _("MIIT catalogue number"),
        max_length=40,
        blank=True,
        help_text=_(
            "Required for manufacturers: their entry in MIIT's vehicle manufacturer catalogue."
        ),
    )
    customs_code = models.CharField(_("customs registration code"), max_length=10, blank=True)
    issuing_office = models.ForeignKey(
        IssuingOffice,
        verbose_name=_("issuing office"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    negative_listed = models.BooleanField(_("on the negative list"), default=False)
    negative_list_reason = models.TextField(_("negative list reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name_en

    def clean(self) -> None:
        if self.kind == self.Kind.MANUFACTURER and not self.miit_catalogue_number:
            raise ValidationError(
                {"miit_catalogue_number": _("A manufacturer must give its MIIT catalogue number.")}
            )
        if self.negative_listed and not self.negative_list_reason:
            raise ValidationError(
                {
                    "negative_list_reason": _(
                        "Give the reason for putting the enterprise on the negative list."
                    )
                }
            )


class Membership(models.Model):
    """A portal user's place in one enterprise."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Enterprise administrator")
        APPLICANT = "applicant", _("Applicant")
        VIEWER = "viewer", _("Viewer")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="membership",
        verbose_name=_("user"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("enterprise"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.APPLICANT)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.enterprise} ({self.role})"

    @property
    def may_apply(self) -> bool:
        return self.is_active and self.role in (self.Role.ADMIN, self.Role.APPLICANT)


class BrandQuerySet(models.QuerySet["Brand"]):
    def visible_to(self, user: Any) -> "BrandQuerySet":
        """Staff see all; a member sees brands it owns or is currently authorised to export."""
        if staff_sees_all(user):
            return self.all()
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


class UserProfile(models.Model):
    """Per-user preferences that follow the person to any browser (staff and portal alike)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return str(self.user)


# A model of this app kept in its own file; imported here so Django registers it.
from registry.api_tokens import ApiToken  # noqa: E402, F401
