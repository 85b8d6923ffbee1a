"""Internal case notes: staff write them, the applicant never sees them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NOTE_MAX_LENGTH = 5000


class CaseNote(models.Model):
    """A caseworker's or officer's note on a case, kept for staff only."""

    case = models.ForeignKey(
        "licensing.Case", on_delete=models.PROTECT, related_name="notes", verbose_name=_("case")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("Note"), max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.text[:40]}"


class SavedCaseFilter(models.Model):
    """A caseworker's named view of the case queue (its filters and search)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_case_filters",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("filters"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved queue filter")
        verbose_name_plural = _("saved queue filters")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_case_filter_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
