"""The monthly reports, kept for the staff who may see the statistics: list, download, generate."""

from datetime import date

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.admin import ReadOnlyAdmin
from audit.services import refusal_record_if_forbidden
from audit.times import BEIJING
from config.errors import ActionForbidden, DomainError, NotFound
from licensing.models import MonthlyReport
from licensing.services.reports import (
    STATISTICS_PERMISSION,
    monthly_report_generate,
    monthly_report_open,
)
from licensing.tasks import previous_month


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    list_display = ["month_label", "created_at", "created_by", "download"]
    list_select_related = ["created_by"]
    list_filter = ["created_at"]
    search_fields: list[str] = []
    change_list_template = "admin/licensing/monthlyreport/change_list.html"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(STATISTICS_PERMISSION)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.has_perm(STATISTICS_PERMISSION)

    @admin.display(description=gettext_lazy("month"), ordering="month")
    def month_label(self, report: MonthlyReport) -> str:
        return str(report)

    @admin.display(description=gettext_lazy("Report file"))
    def download(self, report: MonthlyReport) -> str:
        url = reverse("admin:licensing_monthlyreport_download", args=[report.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/download/",
                wrap(self.download_view),
                name="licensing_monthlyreport_download",
            ),
            path(
                "generate/",
                wrap(require_POST(self.generate_view)),
                name="licensing_monthlyreport_generate",
            ),
            *super().get_urls(),
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        """List the reports with a button per month that may be generated now."""
        today = timezone.localdate(timezone=BEIJING)
        months = [today.replace(day=1), previous_month(today)]
        extra = {"generate_months": [m.strftime("%Y-%m") for m in months], **(extra_context or {})}
        return super().changelist_view(request, extra)

    def download_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Send a kept report as an attachment, and audit it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = get_object_or_404(MonthlyReport, pk=pk)
        try:
            handle = monthly_report_open(actor=request.user, report=report)
        except ActionForbidden as exc:
            refusal_record_if_forbidden(request=request, error=exc)
            raise PermissionDenied from exc
        except NotFound as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:licensing_monthlyreport_changelist"))
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=f"report-{report}.pdf",
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    def generate_view(self, request: HttpRequest) -> HttpResponseRedirect:
        """Generate the report of the current or the previous month."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate(timezone=BEIJING)
        allowed = {m.strftime("%Y-%m"): m for m in (today.replace(day=1), previous_month(today))}
        month = allowed.get(request.POST.get("month", ""))
        if month is None:
            self.message_user(
                request, _("Choose the current or the previous month."), messages.ERROR
            )
        else:
            self._generate(request, month)
        return HttpResponseRedirect(reverse("admin:licensing_monthlyreport_changelist"))

    def _generate(self, request: HttpRequest, month: date) -> None:
        try:
            report = monthly_report_generate(month=month, actor=request.user)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            self.message_user(request, _("The report for %(month)s is ready.") % {"month": report})
