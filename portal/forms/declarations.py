"""The customs declaration form: a number, a date, and one row per licence line.

VINs come pasted (one per line or separated by commas) or as a CSV file with a `vin`
column; the form only turns them into lists, the declaration service judges them.
"""

import csv
import io
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from licensing.models import LicenceLine
from licensing.services.declarations import DeclaredLine

MAX_CSV_BYTES = 512 * 1024
MAX_PASTED_CHARACTERS = 200_000
VIN_SEPARATORS = re.compile(r"[\s,;，；]+")


def split_vins(text: str) -> list[str]:
    """The VINs in pasted text, upper-cased, in the order given."""
    return [vin.upper() for vin in VIN_SEPARATORS.split(text or "") if vin]


def vins_from_csv(upload: UploadedFile) -> list[str]:
    """The `vin` column of a UTF-8 CSV file (with or without a byte-order mark)."""
    if upload.size is not None and upload.size > MAX_CSV_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d KB; split the list over several declarations."),
            params={"size": MAX_CSV_BYTES // 1024},
        )
    raw = upload.read(MAX_CSV_BYTES + 1)
    if b"\x00" in raw:
        raise ValidationError(_("This is not a CSV text file. Save the list as CSV (UTF-8)."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _(
                "The file is not UTF-8 text (it may be saved as GBK). "
                "In your spreadsheet choose “CSV UTF-8” when saving."
            )
        ) from None
    return _vin_column(text)


def _vin_column(text: str) -> list[str]:
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        raise ValidationError(_("This file cannot be read as CSV.")) from None
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    if "vin" not in header:
        raise ValidationError(_("The first row of the file must name a column “vin”."))
    at = header.index("vin")
    return [row[at].strip().upper() for row in rows[1:] if len(row) > at and row[at].strip()]


class DeclarationForm(forms.Form):
    """The declaration's customs number and date."""

    number = forms.CharField(
        label=_("Customs declaration number"),
        max_length=18,
        help_text=_("18 digits, as printed on the customs declaration."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    declared_on = forms.DateField(
        label=_("Declaration date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class DeclarationLineForm(forms.Form):
    """One licence line: how many vehicles of its model this declaration ships, and their VINs."""

    line = forms.ModelChoiceField(
        queryset=LicenceLine.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This line is not on this licence.")},
    )
    quantity = forms.IntegerField(
        label=_("Quantity"), required=False, min_value=1, max_value=1_000_000
    )
    vins = forms.CharField(
        label=_("VINs, one per line or separated by commas"),
        required=False,
        max_length=MAX_PASTED_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )
    vins_file = forms.FileField(
        label=_("or a CSV file with a “vin” column"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: Any, licence_lines: list[LicenceLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = LicenceLine.objects.filter(
            pk__in=[line.pk for line in licence_lines]
        )
        shown = str(self["line"].value())
        self.licence_line = next((line for line in licence_lines if str(line.pk) == shown), None)
        self.file_vins: list[str] = []

    def clean_vins_file(self) -> list[str]:
        upload = self.cleaned_data.get("vins_file")
        self.file_vins = vins_from_csv(upload) if upload else []
        return self.file_vins

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["vin_list"] = split_vins(cleaned.get("vins", "")) + cleaned.get("vins_file", [])
        if cleaned["vin_list"] and not cleaned.get("quantity") and "quantity" not in self.errors:
            self.add_error("quantity", _("Give the number of vehicles for these VINs."))
        return cleaned

    def declared_line(self) -> DeclaredLine | None:
        """The row as the service takes it, or None when nothing is declared on it."""
        if not self.cleaned_data.get("quantity"):
            return None
        return DeclaredLine(
            vehicle_model_id=self.cleaned_data["line"].vehicle_model_id,
            quantity=self.cleaned_data["quantity"],
            vins=self.cleaned_data["vin_list"],
        )


DeclarationLineFormSet = forms.formset_factory(
    DeclarationLineForm, extra=0, max_num=100, validate_max=True, absolute_max=100
)
