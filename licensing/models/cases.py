"""Applications and their review: cases, goods lines, evidence, information requests, screening."""

import secrets
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from config.storage import DocumentStorage
from config.uploads import extension_for, safe_filename
from licensing.checks import check_label, check_remedy
from registry.models import (
    Brand,
    Country,
    Enterprise,
    Qualification,
    VehicleModel,
    member_enterprise_id,
    staff_sees_all,
)


def document_storage() -> Storage:
    """Evidence storage, outside the web root and never served directly (config/storage.py)."""
    return DocumentStorage()


def document_path(instance: "Document", filename: str) -> str:
    """Give every upload a random name with its detected type's extension."""
    return f"{instance.case_id}/{secrets.token_hex(16)}{extension_for(instance.content_type)}"


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: Any) -> "CaseQuerySet":
        """Staff see every case; a portal member sees its own enterprise's; anyone else none."""
        if staff_sees_all(user):
            return self.all()
        return self.filter(applicant_id=member_enterprise_id(user))

    def is_open(self) -> "CaseQuerySet":
        """Cases still awaiting an outcome."""
        return self.filter(status__in=Case.OPEN_STATUSES)

    def assigned_to(self, user: Any) -> "CaseQuerySet":
        return self.filter(assigned_to=user)

    def unassigned(self) -> "CaseQuerySet":
        return self.filter(status=Case.Status.SUBMITTED, assigned_to__isnull=True)

    def awaiting_decision(self) -> "CaseQuerySet":
        return self.filter(status=Case.Status.RECOMMENDED)

    def info_requested(self) -> "CaseQuerySet":
        return self.filter(status=Case.Status.INFO_REQUESTED)


class Case(models.Model):
    """One application: for the annual qualification, a contract's licence, or an exchange."""

    class Kind(models.TextChoices):
        QUALIFICATION = "qualification", _("Export qualification")
        LICENCE = "licence", _("Export licence")
        EXCHANGE = "exchange", _("Return and exchange of a licence")
        USED_LICENCE = "used_licence", _("Used-vehicle export licence")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        INFO_REQUESTED = "info_requested", _("Information requested")
        RECOMMENDED = "recommended", _("Recommended")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Priority(models.TextChoices):
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REFUSE = "refuse", _("Refuse")

    class TradeMode(models.TextChoices):
        GENERAL = "general", _("General trade")
        PROCESSING = "processing", _("Processing trade")
        BORDER = "border", _("Border trade")
        OTHER = "other", _("Other")

    class TransportMode(models.TextChoices):
        SEA = "sea", _("Sea")
        RAIL = "rail", _("Rail")
        ROAD = "road", _("Road")
        AIR = "air", _("Air")

    class UseMode(models.TextChoices):
        SINGLE = "single", _("Single use (one batch, one licence)")
        MULTI = "multi", _("Multiple use (up to 12 declarations)")

    OPEN_STATUSES = (
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.INFO_REQUESTED,
        Status.RECOMMENDED,
    )
    REFERENCE_PREFIX = {
        Kind.QUALIFICATION: "QC",
        Kind.LICENCE: "LC",
        Kind.EXCHANGE: "EX",
        Kind.USED_LICENCE: "UL",
    }

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    applicant = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="cases", verbose_name=_("applicant")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
        db_index=True,
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    # Derived from the case's events at every transition (licensing.services.sla); None while
    # the clock is paused or stopped. Kept only so queues can filter on it in the database.
    sla_due_on = models.DateField(
        _("SLA due on"), null=True, blank=True, editable=False, db_index=True
    )
    # Staff-only triage flag; set by licensing.services.notes.case_priority_set.
    priority = models.CharField(
        _("priority"),
        max_length=10,
        choices=Priority.choices,
        default=Priority.NORMAL,
        editable=False,
    )

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        editable=False,
        verbose_name=_("assigned caseworker"),
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=8, choices=Outcome.choices, blank=True, editable=False
    )
    recommendation_reasons = models.TextField(_("reasons for the recommendation"), blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommended_cases",
        editable=False,
        verbose_name=_("recommended by"),
    )
    recommended_at = models.DateTimeField(
        _("recommended at"), null=True, blank=True, editable=False
    )
    return_reason = models.TextField(_("reason for the last return"), blank=True, editable=False)
    decision = models.CharField(
        _("decision"), max_length=8, choices=Outcome.choices, blank=True, editable=False
    )
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True, editable=False)
    appeal_information = models.TextField(_("appeal information"), blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_cases",
        editable=False,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)

    # Licence and exchange cases.
    brand = models.ForeignKey(
        Brand,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("brand"),
    )
    destination = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("destination country"),
    )
    customs_port = models.CharField(_("customs port of export"), max_length=100, blank=True)
    trade_mode = models.CharField(
        _("trade mode"), max_length=12, choices=TradeMode.choices, blank=True
    )
    contract_number = models.CharField(
        _("contract number"),
        max_length=17,
        blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9/\-]+$", _("Letters, digits, '/' and '-'."))],
    )
    payment_terms = models.CharField(_("payment terms"), max_length=100, blank=True)
    transport_mode = models.CharField(
        _("transport mode"), max_length=8, choices=TransportMode.choices, blank=True
    )
    use_mode = models.CharField(
        _("use mode"), max_length=8, choices=UseMode.choices, default=UseMode.SINGLE
    )
    valid_from = models.DateField(_("requested valid from"), null=True, blank=True)
    valid_until = models.DateField(_("requested valid until"), null=True, blank=True)
    licence_to_exchange = models.ForeignKey(
        "licensing.Licence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchange_cases",
        verbose_name=_("licence to exchange"),
    )

    # Qualification cases.
    year = models.PositiveSmallIntegerField(
        _("qualification year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2026), MaxValueValidator(2100)],
    )
    qualification_class = models.CharField(
        _("requested class"),
        max_length=10,
        choices=Qualification.QualificationClass.choices,
        blank=True,
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [
            ("assess_case", _("Can assess cases (assign, request information, recommend)")),
            ("decide_case", _("Can decide cases")),
        ]
        indexes = [
            models.Index(fields=["status", "assigned_to"], name="case_queue_idx"),
            # Caseworkers search by contract number; without it every search scans all cases.
            models.Index(fields=["contract_number"], name="case_contract_idx"),
            # The default ordering: the newest page is read from the index, not sorted.
            models.Index(fields=["-created_at", "-id"], name="case_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("recommended_by")),
                name="case_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="case_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"case #{self.pk}"

    @property
    def is_licence_kind(self) -> bool:
        """Cases that end in a licence: for new vehicles, an exchange, or used vehicles."""
        return self.kind in (self.Kind.LICENCE, self.Kind.EXCHANGE, self.Kind.USED_LICENCE)

    @property
    def is_used(self) -> bool:
        return self.kind == self.Kind.USED_LICENCE


class CaseLine(models.Model):
    """One goods line of a licence application: a model, a quantity and an FOB unit price."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="lines", verbose_name=_("case")
    )
    vehicle_model = models.ForeignKey(
        VehicleModel, on_delete=models.PROTECT, related_name="+", verbose_name=_("vehicle model")
    )
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(1), MaxValueValidator(1_000_000)]
    )
    unit_price_usd = models.DecimalField(
        _("unit price FOB (USD)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0.01)],
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("goods line")
        verbose_name_plural = _("goods lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="case_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(unit_price_usd__gt=0), name="case_line_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle_model} × {self.quantity}"


class InformationRequest(models.Model):
    """A caseworker's question to the applicant; while open, the SLA clock is paused."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="information_requests", verbose_name=_("case")
    )
    question = models.TextField(_("question"), max_length=5000)
    due_on = models.DateField(_("answer due on"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    asked_at = models.DateTimeField(_("asked at"), editable=False)
    answer = models.TextField(_("answer"), max_length=20000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["asked_at", "pk"]
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")

    def __str__(self) -> str:
        return f"{self.case} — {self.question[:60]}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class Document(models.Model):
    """A piece of evidence, checked by its content and served only to those who see the case."""

    class DocType(models.TextChoices):
        BUSINESS_LICENCE = "business_licence", _("Business licence")
        AUTHORISATION_LETTER = "authorisation_letter", _("Authorisation letter")
        CONTRACT = "contract", _("Export contract")
        OUTLETS = "outlets", _("After-sales outlets evidence")
        WARRANTY = "warranty", _("Warranty terms")
        SPARE_PARTS = "spare_parts", _("Spare-parts arrangements")
        EXPORT_FIGURES = "export_figures", _("Export figures")
        RESPONSE = "response", _("Response to an information request")
        OTHER = "other", _("Other")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="documents", verbose_name=_("case")
    )
    information_request = models.ForeignKey(
        InformationRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("information request"),
    )
    doc_type = models.CharField(_("document type"), max_length=24, choices=DocType.choices)
    file = models.FileField(
        _("file"), upload_to=document_path, storage=document_storage, max_length=200
    )
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()}: {self.original_name}"

    @property
    def download_name(self) -> str:
        """Return the name a download offers (names stored before the rule are cleaned too)."""
        return safe_filename(self.original_name, self.content_type)


class EligibilityCheck(models.Model):
    """One line of the screening checklist; replaced each time screening runs."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="eligibility_checks", verbose_name=_("case")
    )
    code = models.CharField(_("check"), max_length=32)
    passed = models.BooleanField(_("passed"))
    detail = models.TextField(_("detail"), blank=True)
    overridden = models.BooleanField(_("overridden"), default=False)
    override_reason = models.TextField(_("override reason"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    overridden_at = models.DateTimeField(_("overridden at"), null=True, blank=True)
    run_at = models.DateTimeField(_("run at"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("eligibility check")
        verbose_name_plural = _("eligibility checks")
        constraints = [
            models.UniqueConstraint(fields=["case", "code"], name="one_check_per_code_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.code}: {'pass' if self.passed else 'fail'}"

    @property
    def satisfied(self) -> bool:
        """Passed, or failed and overridden with a reason."""
        return self.passed or self.overridden

    @property
    def label(self) -> str:
        """The check's plain name in the reader's language."""
        return check_label(self.code)

    @property
    def remedy(self) -> str:
        """What the applicant can do when the check fails."""
        return check_remedy(self.code)
