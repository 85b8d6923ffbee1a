"""The monthly statistics report kept for staff: one PDF per calendar month."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _


def report_storage() -> FileSystemStorage:
    """Keep reports under MEDIA_ROOT, which is never served directly."""
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "reports", base_url=None)


class MonthlyReport(models.Model):
    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    file = models.FileField(_("file"), storage=report_storage, max_length=200)
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
