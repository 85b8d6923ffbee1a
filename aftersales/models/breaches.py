"""Breaches of after-sales obligations: finding, investigation notes and evidence, outcome."""

import secrets

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from aftersales.models.fleet import Obligation
from aftersales.models.network import OwnedQuerySet
from aftersales.models.reports import ComplianceReport
from config.storage import DocumentStorage
from config.uploads import extension_for, safe_filename
from registry.models import Brand, Country, Enterprise


class Breach(models.Model):
    """A broken after-sales promise, investigated and closed with an outcome."""

    class Source(models.TextChoices):
        CASEWORKER = "caseworker", _("Opened by a caseworker")
        OBLIGATION = "obligation", _("Obligation breached")
        REPORT_OVERDUE = "report_overdue", _("Compliance report overdue")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    class Status(models.TextChoices):
        OPEN = "open", _("Under investigation")
        RECOMMENDED = "recommended", _("Outcome recommended")
        DECIDED = "decided", _("Decided")

    class Outcome(models.TextChoices):
        NO_ACTION = "no_action", _("No action")
        WARNING = "warning", _("Warning")
        LICENCE_SUSPENSION = (
            "licence_suspension",
            _("Suspend the licences for this brand and market"),
        )
        QUALIFICATION_SUSPENSION = "qualification_suspension", _("Suspend the qualification")
        QUALIFICATION_CANCELLATION = "qualification_cancellation", _("Cancel the qualification")
        NEGATIVE_LIST = "negative_list", _("Put on the negative list")

    # action -> (statuses it may start from, status it leads to); read by services and admin.
    TRANSITIONS = {
        "recommend": ({Status.OPEN}, Status.RECOMMENDED),
        "return": ({Status.RECOMMENDED}, Status.OPEN),
        "decide": ({Status.RECOMMENDED}, Status.DECIDED),
    }

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="breaches", verbose_name=_("enterprise")
    )
    brand = models.ForeignKey(
        Brand,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("brand"),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="breaches",
        verbose_name=_("obligation"),
    )
    report = models.ForeignKey(
        ComplianceReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="breaches",
        verbose_name=_("compliance report"),
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    finding = models.TextField(_("finding"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN, editable=False
    )
    recommended_outcome = models.CharField(
        _("recommended outcome"), max_length=28, choices=Outcome.choices, blank=True, editable=False
    )
    recommendation = models.TextField(_("recommendation reasons"), blank=True, editable=False)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("recommended by"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=28, choices=Outcome.choices, blank=True, editable=False
    )
    decision = models.TextField(_("decision reasons"), blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        permissions = [
            ("investigate_breach", _("Can open, annotate and recommend on breaches")),
            ("decide_breach", _("Can decide breach outcomes")),
        ]
        constraints = [
            # Four-eyes, as for case decisions: the decider never recommended.
            models.CheckConstraint(
                condition=~Q(decided_by=F("recommended_by")) | Q(decided_by__isnull=True),
                name="breach_decider_is_not_recommender",
            ),
            models.UniqueConstraint(
                fields=["obligation"],
                condition=Q(status__in=["open", "recommended"]),
                name="breach_one_open_per_obligation",
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(status__in=["open", "recommended"]),
                name="breach_one_open_per_report",
            ),
        ]

    def __str__(self) -> str:
        where = " ".join(str(x) for x in (self.brand, self.country_id) if x)
        return f"{self.enterprise} {where}: {self.get_status_display()}".strip()


class BreachNote(models.Model):
    """An investigation note, with a reference to the evidence it rests on."""

    breach = models.ForeignKey(
        Breach, on_delete=models.PROTECT, related_name="notes", verbose_name=_("breach")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("note"))
    evidence = models.CharField(_("evidence reference"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("breach note")
        verbose_name_plural = _("breach notes")

    def __str__(self) -> str:
        return self.text[:60]


def evidence_storage() -> Storage:
    """The evidence store case documents use: outside the web root, never served directly."""
    return DocumentStorage()


def evidence_path(instance: "BreachEvidence", filename: str) -> str:
    """Give every file a random name with its detected type's extension."""
    token = secrets.token_hex(16)
    return f"breaches/{instance.breach_id}/{token}{extension_for(instance.content_type)}"


class BreachEvidence(models.Model):
    """A file an investigation rests on, checked by its content like case evidence."""

    breach = models.ForeignKey(
        Breach, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("breach")
    )
    description = models.CharField(_("what the file shows"), max_length=300)
    file = models.FileField(
        _("file"), upload_to=evidence_path, storage=evidence_storage, max_length=200
    )
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("breach evidence file")
        verbose_name_plural = _("breach evidence files")

    def __str__(self) -> str:
        return self.download_name

    @property
    def download_name(self) -> str:
        """The name a download offers, cleaned by the shared rule."""
        return safe_filename(self.original_name, self.content_type)
