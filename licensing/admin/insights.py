"""The statistics page for staff: charts drawn on the server, each with its table and CSV."""

from dataclasses import replace
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import admin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.export import table_csv_stream
from licensing.admin.charts import bar_chart_svg
from licensing.insights import Chart, Period, all_charts
from registry.models import IssuingOffice

CACHE_SECONDS = 120
DEFAULT_WEEKS = 12
MAX_DAYS = 3 * 366


DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    office = forms.ModelChoiceField(
        label=gettext_lazy("Issuing office"),
        queryset=IssuingOffice.objects.order_by("code"),
        required=False,
        empty_label=gettext_lazy("All offices"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and (end < start or (end - start).days > MAX_DAYS):
            raise forms.ValidationError(
                _("Choose a range of at most three years, ending after it starts.")
            )
        return data


def period_from(form: PeriodForm) -> Period:
    """The form's period, or the last twelve weeks where it is empty or invalid."""
    today = timezone.localdate()
    data = form.cleaned_data if form.is_valid() else {}
    end = data.get("end") or today
    start = data.get("start") or end - timedelta(weeks=DEFAULT_WEEKS)
    office = data.get("office")
    return Period(start=start, end=end, office_id=office.pk if office else None)


def cached_charts(period: Period) -> list[Chart]:
    """The charts for a period, computed at most every two minutes per period and language."""
    key = f"insights:{period.start}:{period.end}:{period.office_id}:{translation.get_language()}"
    charts = cache.get(key)
    if charts is None:
        charts = [_plain(chart) for chart in all_charts(period, timezone.localdate())]
        cache.set(key, charts, CACHE_SECONDS)
    return charts


def _plain(chart: Chart) -> Chart:
    return replace(chart, title=str(chart.title), columns=[str(c) for c in chart.columns])


def insights_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    """Show every chart for the chosen period and office, or one chart's numbers as CSV."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    form = PeriodForm(request.GET or None)
    charts = cached_charts(period_from(form))
    wanted = request.GET.get("csv")
    if wanted is not None:
        return _csv(charts, wanted)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Statistics"),
        "opts": model_admin.model._meta,
        "form": form,
        "charts": [{"chart": c, "svg": mark_safe(bar_chart_svg(c))} for c in charts],  # noqa: S308
        "query": request.GET.urlencode(),
    }
    return TemplateResponse(request, "admin/licensing/insights.html", context)


def _csv(charts: list[Chart], key: str) -> StreamingHttpResponse:
    chart = next((c for c in charts if c.key == key), None)
    if chart is None:
        raise Http404
    response = StreamingHttpResponse(
        table_csv_stream(chart.columns, chart.rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{chart.key}.csv"'
    return response
