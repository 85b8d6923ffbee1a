"""The compliance-report form: the market, the period and the figures the service checks."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.models import ComplianceReport
from portal.forms.aftersales import DATE


class ComplianceReportForm(forms.Form):
    """One market's figures for one period; submitting again answers the caseworker's query."""

    country = forms.ChoiceField(label=_("Destination"))
    period_start = forms.DateField(label=_("Period start"), widget=DATE)

    def __init__(self, *args: Any, countries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [(c.code, c.name) for c in countries]
        self.fields.update(
            forms.fields_for_model(ComplianceReport, fields=ComplianceReport.FIGURES)
        )
        for name in ComplianceReport.FIGURES:
            self.fields[name].required = True

    def figures(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ComplianceReport.FIGURES}
