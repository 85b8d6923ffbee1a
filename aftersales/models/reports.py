"""Half-yearly compliance reports per enterprise × market with exports."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from aftersales.models.network import OwnedQuerySet
from registry.models import Country, Enterprise

MAX_CLAIMS = 10_000_000
MAX_WAIT_DAYS = 3650


class ComplianceReport(models.Model):
    """What an enterprise reports about one market for one period, and its review."""

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        SUBMITTED = "submitted", _("Submitted")
        QUERIED = "queried", _("Queried")
        ACCEPTED = "accepted", _("Accepted")

    # action -> (statuses it may start from, status it leads to); read by services and admin.
    TRANSITIONS = {
        "submit": ({Status.DUE, Status.QUERIED}, Status.SUBMITTED),
        "accept": ({Status.SUBMITTED}, Status.ACCEPTED),
        "query": ({Status.SUBMITTED}, Status.QUERIED),
    }
    FIGURES = [
        "warranty_claims_received",
        "warranty_claims_resolved",
        "repair_wait_avg_days",
        "repair_wait_p90_days",
        "parts_fill_rate_pct",
        "outlets_active",
    ]

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="compliance_reports",
        verbose_name=_("enterprise"),
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DUE, editable=False
    )
    warranty_claims_received = models.PositiveIntegerField(
        _("warranty claims received"), null=True, validators=[MaxValueValidator(MAX_CLAIMS)]
    )
    warranty_claims_resolved = models.PositiveIntegerField(
        _("warranty claims resolved"), null=True, validators=[MaxValueValidator(MAX_CLAIMS)]
    )
    repair_wait_avg_days = models.DecimalField(
        _("average days a car waits for repair"),
        max_digits=6,
        decimal_places=1,
        null=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_WAIT_DAYS)],
    )
    repair_wait_p90_days = models.DecimalField(
        _("90th-percentile days a car waits for repair"),
        max_digits=6,
        decimal_places=1,
        null=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_WAIT_DAYS)],
    )
    parts_fill_rate_pct = models.DecimalField(
        _("parts fill rate within the committed lead time (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    outlets_active = models.PositiveIntegerField(
        _("outlets active"), null=True, validators=[MaxValueValidator(100_000)]
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    late = models.BooleanField(_("submitted late"), default=False, editable=False)
    question = models.TextField(_("caseworker's question"), blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "country_id", "enterprise_id"]
        verbose_name = _("compliance report")
        verbose_name_plural = _("compliance reports")
        permissions = [("review_compliancereport", _("Can accept or query compliance reports"))]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "country", "period_start"], name="report_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(warranty_claims_resolved__lte=F("warranty_claims_received"))
                | Q(warranty_claims_resolved__isnull=True),
                name="report_resolved_within_received",
            ),
            models.CheckConstraint(
                condition=Q(parts_fill_rate_pct__gte=0, parts_fill_rate_pct__lte=100)
                | Q(parts_fill_rate_pct__isnull=True),
                name="report_fill_rate_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")), name="report_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.period_start:%Y-%m}–{self.period_end:%Y-%m}"
