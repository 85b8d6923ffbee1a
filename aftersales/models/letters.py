"""Used-vehicle exports: manufacturers' after-sales service confirmation letters (确认书).

A used EV first registered 180 days or less before the export application leaves only with
its manufacturer's letter naming the VIN, the destination and the verified outlet there
that will serve it. Exporters ask for letters; the manufacturer issues or refuses them.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aftersales.models.network import ServiceOutlet
from registry.models import Country, Enterprise, VehicleModel, member_enterprise_id, staff_sees_all
from registry.validators import validate_vin


class LetterQuerySet(models.QuerySet):
    """Requests and letters are seen by staff, their manufacturer and the exporter named."""

    def visible_to(self, user: Any) -> "LetterQuerySet":
        if staff_sees_all(user):
            return self.all()
        enterprise_id = member_enterprise_id(user)
        if enterprise_id is None:
            return self.none()
        return self.filter(Q(manufacturer_id=enterprise_id) | Q(requester_id=enterprise_id))


class LetterRequest(models.Model):
    """An exporter's request to a manufacturer for a confirmation letter for one VIN."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the manufacturer")
        ISSUED = "issued", _("Letter issued")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # action -> (statuses it may start from, status it leads to); read by services and admin.
    TRANSITIONS = {
        "issue": ({Status.PENDING}, Status.ISSUED),
        "refuse": ({Status.PENDING}, Status.REFUSED),
        "withdraw": ({Status.PENDING}, Status.WITHDRAWN),
    }

    requester = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="letter_requests_made",
        verbose_name=_("requested by"),
    )
    manufacturer = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="letter_requests_received",
        verbose_name=_("manufacturer"),
    )
    vin = models.CharField(_("VIN"), max_length=17, validators=[validate_vin])
    vehicle_model = models.ForeignKey(
        VehicleModel, on_delete=models.PROTECT, related_name="+", verbose_name=_("vehicle model")
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("destination")
    )
    note = models.TextField(_("note to the manufacturer"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        editable=False,
        db_index=True,
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("letter request")
        verbose_name_plural = _("letter requests")
        indexes = [models.Index(fields=["manufacturer", "status"], name="letter_request_inbox")]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "vin", "country"],
                condition=Q(status="pending"),
                name="one_pending_letter_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.vin} → {self.country_id}"


class ConfirmationLetter(models.Model):
    """A manufacturer's after-sales service confirmation for one VIN in one destination."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        REVOKED = "revoked", _("Revoked")

    TRANSITIONS = {"revoke": ({Status.IN_FORCE}, Status.REVOKED)}

    number = models.CharField(_("letter number"), max_length=20, unique=True, editable=False)
    manufacturer = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="confirmation_letters",
        verbose_name=_("issued by"),
    )
    # The exporter the letter was issued for (from its request); None when issued unasked.
    requester = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="confirmation_letters_received",
        verbose_name=_("issued for"),
    )
    request = models.OneToOneField(
        LetterRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letter",
        editable=False,
        verbose_name=_("request"),
    )
    vin = models.CharField(_("VIN"), max_length=17, validators=[validate_vin])
    vehicle_model = models.ForeignKey(
        VehicleModel, on_delete=models.PROTECT, related_name="+", verbose_name=_("vehicle model")
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("destination")
    )
    outlet = models.ForeignKey(
        ServiceOutlet,
        on_delete=models.PROTECT,
        related_name="confirmation_letters",
        verbose_name=_("service outlet"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.IN_FORCE,
        editable=False,
        db_index=True,
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    issued_at = models.DateTimeField(_("issued at"), editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True, editable=False)

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("confirmation letter")
        verbose_name_plural = _("confirmation letters")
        permissions = [("revoke_confirmationletter", _("Can revoke confirmation letters"))]
        indexes = [models.Index(fields=["vin", "country"], name="letter_vin_destination")]
        constraints = [
            models.UniqueConstraint(
                fields=["vin", "country"],
                condition=Q(status="in_force"),
                name="one_letter_in_force_per_vin_destination",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def in_force(self) -> bool:
        return self.status == self.Status.IN_FORCE


class LetterNumberSequence(models.Model):
    """The last letter number issued in one year; locked while a letter is issued."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("letter number sequence")
        verbose_name_plural = _("letter number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"
