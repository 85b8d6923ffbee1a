"""Forms of the used-vehicle licence application: the contract and the schedule of vehicles.

A schedule may also be pasted or uploaded as CSV; `schedule_from_csv` turns it into the
formset's own fields so the member sees every row before saving. The services decide the rest.
"""

import csv
import io
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from licensing.models import Case, ScheduledVehicle
from licensing.services.schedule import max_vehicles
from portal.forms.applications import (
    CONTRACT_FIELDS,
    VALID_FROM_HELP,
    VALID_UNTIL_HELP,
    DateInput,
    ModelSelect,
    ParseOnlyModelForm,
    country_choices,
)
from registry.models import Brand, Country, VehicleModel

USED_FIELDS = [name for name in CONTRACT_FIELDS if name != "brand"]
ROW_FIELDS = ("vin", "vehicle_model", "first_registered_on", "transferred_on", "unit_price_usd")
CSV_COLUMNS = ("vin", "brand", "model", "first_registered_on", "transferred_on", "price_fob_usd")
CSV_MAX_BYTES = 512 * 1024


class UsedApplicationForm(ParseOnlyModelForm):
    """The contract, shipment and validity of a used-vehicle licence application."""

    destination = forms.ChoiceField(label=gettext_lazy("destination country"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    class Meta:
        model = Case
        fields = [*USED_FIELDS, "valid_from", "valid_until"]
        widgets = {
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "use_mode": forms.RadioSelect,
        }
        help_texts = {"valid_from": VALID_FROM_HELP, "valid_until": VALID_UNTIL_HELP}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = country_choices()

    def clean_destination(self) -> Country | None:
        code = self.cleaned_data.get("destination")
        return Country.objects.filter(code=code).first() if code else None


class VehicleRowForm(forms.Form):
    """One vehicle of the schedule, as its Chinese registration certificate gives it."""

    vin = forms.CharField(label=gettext_lazy("VIN"), max_length=17, required=False)
    brand = forms.ModelChoiceField(
        label=gettext_lazy("brand"), queryset=Brand.objects.none(), required=False
    )
    vehicle_model = forms.ModelChoiceField(
        label=gettext_lazy("vehicle model"),
        queryset=VehicleModel.objects.none(),
        widget=ModelSelect,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a model of the chosen brand.")},
    )
    first_registered_on = forms.DateField(
        label=gettext_lazy("first registration in China"), widget=DateInput(), required=False
    )
    transferred_on = forms.DateField(
        label=gettext_lazy("transfer for export"), widget=DateInput(), required=False
    )
    unit_price_usd = forms.DecimalField(
        label=gettext_lazy("price FOB (USD)"),
        max_digits=12,
        decimal_places=2,
        min_value=0.01,
        required=False,
    )

    def __init__(
        self, *args: Any, brands: QuerySet[Brand], models: QuerySet[VehicleModel], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = brands
        self.fields["vehicle_model"].queryset = models
        self.fields["vin"].widget.attrs.update(autocapitalize="characters", spellcheck="false")
        self.fields["unit_price_usd"].widget.attrs.update(min="0.01", step="0.01")

    def is_filled(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ROW_FIELDS) and not data.get("DELETE")

    def as_vehicle(self) -> dict[str, Any]:
        """The row as the case services take it."""
        return {name: self.cleaned_data.get(name) for name in ROW_FIELDS}


VehicleFormSet = forms.formset_factory(
    VehicleRowForm, extra=1, can_delete=True, max_num=max_vehicles(), validate_max=True
)


def filled_rows(formset: Any) -> list[tuple[int, dict[str, Any]]]:
    """(form index, vehicle) for each row the member filled and did not mark for removal."""
    return [(i, form.as_vehicle()) for i, form in enumerate(formset.forms) if form.is_filled()]


def vehicle_initial(row: ScheduledVehicle) -> dict[str, Any]:
    """A stored vehicle as the row form shows it."""
    return {
        "vin": row.vin,
        "brand": row.vehicle_model.brand_id,
        "vehicle_model": row.vehicle_model_id,
        "first_registered_on": row.first_registered_on,
        "transferred_on": row.transferred_on,
        "unit_price_usd": row.unit_price_usd,
    }


class ScheduleCsvForm(forms.Form):
    """A schedule pasted or uploaded as CSV with a header line."""

    schedule_text = forms.CharField(
        label=gettext_lazy("paste the schedule"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )
    schedule_file = forms.FileField(label=gettext_lazy("or upload a CSV file"), required=False)

    def clean_schedule_file(self) -> Any:
        upload = self.cleaned_data.get("schedule_file")
        if upload is not None and upload.size > CSV_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 512 KB."))
        return upload

    def text(self) -> str:
        """The CSV text from the upload, or else from the box."""
        upload = self.cleaned_data.get("schedule_file")
        if upload is None:
            return self.cleaned_data.get("schedule_text", "")
        raw = upload.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return raw.decode("gb18030", errors="replace")


def _model_lookup(models: QuerySet[VehicleModel]) -> dict[tuple[str, str], VehicleModel]:
    return {(m.brand.name.casefold(), m.name.casefold()): m for m in models}


def schedule_from_csv(
    text: str, models: QuerySet[VehicleModel], prefix: str
) -> tuple[dict[str, str], list[str]]:
    """The formset's POST fields for the CSV's rows, and one problem per line that needs one."""
    reader = csv.DictReader(io.StringIO(text.strip()))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if header[: len(CSV_COLUMNS)] != list(CSV_COLUMNS):
        return {}, [_("The first line must name the columns: %(columns)s.") % _columns()]
    reader.fieldnames = header
    known, data, problems = _model_lookup(models), {}, []
    rows = list(reader)[: max_vehicles()]
    for index, row in enumerate(rows):
        values = {key: (row.get(key) or "").strip() for key in CSV_COLUMNS}
        model = known.get((values["brand"].casefold(), values["model"].casefold()))
        if model is None:
            problems.append(
                _("Line %(line)d: no model %(model)s of brand %(brand)s in the catalogue.")
                % {"line": index + 2, "model": values["model"], "brand": values["brand"]}
            )
        fields = {
            "vin": values["vin"].upper(),
            "brand": str(model.brand_id) if model else "",
            "vehicle_model": str(model.pk) if model else "",
            "first_registered_on": values["first_registered_on"],
            "transferred_on": values["transferred_on"],
            "unit_price_usd": values["price_fob_usd"],
        }
        data.update({f"{prefix}-{index}-{name}": value for name, value in fields.items()})
    data.update({f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"})
    return data, problems


def _columns() -> dict[str, str]:
    return {"columns": ",".join(CSV_COLUMNS)}
