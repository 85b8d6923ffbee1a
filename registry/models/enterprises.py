"""Enterprises in the register and the portal users who act for them."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models.access import member_enterprise_id, staff_sees_all
from registry.models.places import IssuingOffice
from registry.validators import validate_uscc


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
