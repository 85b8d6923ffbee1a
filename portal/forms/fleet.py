"""Forms for the exported-vehicle register: filters, one first registration, a CSV upload.

What may be recorded is the fleet service's decision; the forms only parse.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms.aftersales import DATE


class VehicleFilterForm(forms.Form):
    """The register's filters; the choices are the member's own brands and destinations."""

    vin = forms.CharField(label=_("VIN"), required=False, max_length=17)
    brand = forms.ChoiceField(label=_("Brand"), required=False)
    country = forms.ChoiceField(label=_("Destination"), required=False)

    def __init__(self, *args: Any, brands: Any, countries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [("", _("All brands"))] + [
            (str(brand.pk), brand.name) for brand in brands
        ]
        self.fields["country"].choices = [("", _("All destinations"))] + [
            (country.code, country.name) for country in countries
        ]


class FirstRegistrationForm(forms.Form):
    first_registered_on = forms.DateField(
        label=_("First registration abroad"),
        widget=DATE,
        error_messages={"invalid": _("Give the date as YYYY-MM-DD.")},
    )


class RegistrationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 text; one car per line, dates as YYYY-MM-DD."),
    )
    import_valid_rows = forms.BooleanField(
        label=_("Import the valid rows and skip the rows with errors"), required=False
    )
