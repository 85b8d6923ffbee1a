"""The monthly statistics report kept for staff: one PDF per calendar month."""

import secrets

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.storage import DocumentStorage


def report_storage() -> Storage:
    """The storage evidence lives in (config/storage.py), so every host reads the same files."""
    return DocumentStorage()


def report_path(instance: "MonthlyReport", filename: str) -> str:
    """Name the file by its month, with a random part no other writer can share."""
    return f"reports/{instance.month:%Y-%m}-{secrets.token_hex(8)}.pdf"


class MonthlyReport(models.Model):
    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    file = models.FileField(
        _("file"), upload_to=report_path, storage=report_storage, max_length=200
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-month"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")

    def __str__(self) -> str:
        return self.month.strftime("%Y-%m")
