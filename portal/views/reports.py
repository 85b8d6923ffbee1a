"""Compliance reports and obligations per market: read them, submit figures, answer a query."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from aftersales import services
from aftersales.models import ComplianceReport, ExportedVehicle, Obligation
from portal.forms.reports import ComplianceReportForm
from portal.views.aftersales import call_service
from portal.views.scoping import own_enterprise, page_of
from registry.models import Country, member_enterprise_id, member_may_apply


def _own(model: type, user: object) -> object:
    return model.objects.visible_to(user).filter(enterprise_id=member_enterprise_id(user))


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The enterprise's compliance reports, newest period first, and its obligations."""
    reports = _own(ComplianceReport, request.user).select_related("country")
    obligations = _own(Obligation, request.user).select_related("brand", "country")
    context = {
        "page": page_of(request, reports.order_by("-period_start", "country_id")),
        "obligations": obligations,
        "may_edit": member_may_apply(request.user),
        "open_statuses": [ComplianceReport.Status.DUE, ComplianceReport.Status.QUERIED],
    }
    return render(request, "portal/reports/list.html", context)


@login_required
def report_submit(request: HttpRequest) -> HttpResponse:
    """Submit one market's figures for a period, or resubmit them to answer a query."""
    enterprise = own_enterprise(request.user)
    if enterprise is None or not member_may_apply(request.user):
        raise PermissionDenied
    countries = Country.objects.filter(
        pk__in=_own(ExportedVehicle, request.user).order_by().values("country_id").distinct()
    )
    if request.method != "POST":
        initial = {key: request.GET.get(key) for key in ("country", "period_start")}
        form = ComplianceReportForm(initial=initial, countries=countries)
        return _render(request, form)
    form = ComplianceReportForm(request.POST, countries=countries)
    if form.is_valid() and call_service(
        form,
        services.compliance_report_submit,
        actor=request.user,
        enterprise=enterprise,
        country_id=form.cleaned_data["country"],
        period_start=form.cleaned_data["period_start"],
        figures=form.figures(),
    ):
        messages.success(request, _("The compliance report was submitted."))
        return redirect("portal:report_list")
    return _render(request, form, status=400)


def _render(request: HttpRequest, form: ComplianceReportForm, status: int = 200) -> HttpResponse:
    values = form.data if form.is_bound else form.initial
    context = {"form": form, "question": _question(request.user, values)}
    return render(request, "portal/reports/form.html", context, status=status)


def _question(user: object, values: Any) -> str:
    """The caseworker's question on the queried report the form answers, if any."""
    try:
        start = parse_date(values.get("period_start") or "")
    except ValueError:
        start = None
    if start is None or not values.get("country"):
        return ""
    report = (
        _own(ComplianceReport, user)
        .filter(country_id=values["country"], period_start=start)
        .filter(status=ComplianceReport.Status.QUERIED)
        .first()
    )
    return report.question if report else ""
