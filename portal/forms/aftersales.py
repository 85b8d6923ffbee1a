"""Forms for service outlets and warranty and spare-parts commitments.

Fields come from the models (labels, limits, choices); what may be recorded is the
after-sales services' decision, so the forms never save anything themselves.
"""

from typing import Any

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from aftersales.models import ServiceOutlet, SparePartsCommitment, WarrantyCommitment
from aftersales.services.rules import OUTLET_EDITABLE, SPARE_PARTS_EDITABLE, WARRANTY_EDITABLE
from registry.models import Brand

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordForm(forms.Form):
    """The editable fields of one after-sales record, plus the version it was read at."""

    model: type[Model]
    field_names: list[str]

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widgets = {
            name: DATE for name in self.field_names if name.startswith(("valid_", "contract_"))
        }
        if "brands" in self.field_names:
            widgets["brands"] = forms.CheckboxSelectMultiple
        self.fields.update(
            forms.fields_for_model(self.model, fields=self.field_names, widgets=widgets)
        )
        brand_field = "brands" if "brands" in self.fields else "brand"
        self.fields[brand_field].queryset = Brand.objects.visible_to(user).order_by("name")
        self.fields[brand_field].error_messages["invalid_choice"] = _(
            "Choose one of your enterprise's brands."
        )
        self.order_fields(self.field_names)

    def record_data(self) -> dict[str, Any]:
        """The cleaned values the service takes, keyed by model field name."""
        data = {name: self.cleaned_data[name] for name in self.field_names}
        if "brands" in data:
            data["brands"] = list(data["brands"])
        return data


def editable_fields(model: type[Model], editable: set[str]) -> list[str]:
    """The fields the service lets a member change, in the model's order."""
    return [field.name for field in model._meta.get_fields() if field.name in editable]


class OutletForm(RecordForm):
    model = ServiceOutlet
    field_names = editable_fields(ServiceOutlet, OUTLET_EDITABLE)


class WarrantyForm(RecordForm):
    model = WarrantyCommitment
    field_names = editable_fields(WarrantyCommitment, WARRANTY_EDITABLE)


class SparePartsForm(RecordForm):
    model = SparePartsCommitment
    field_names = editable_fields(SparePartsCommitment, SPARE_PARTS_EDITABLE)
