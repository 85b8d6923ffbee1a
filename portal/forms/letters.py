"""Forms of the confirmation letter pages: they parse input; the letter services decide."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aftersales.models import ConfirmationLetter, ServiceOutlet
from portal.forms.applications import ModelSelect, country_choices
from registry.models import Brand, Country, VehicleModel

NOTE_MAX = 2000
REASON_MAX = 2000
SEARCH_MAX = 17


class OutletSelect(forms.ModelChoiceField):
    """A verified outlet, named by its operator and city."""

    def label_from_instance(self, obj: ServiceOutlet) -> str:
        return f"{obj.operator_name}, {obj.city}"


class VehicleForm(forms.Form):
    """A VIN, its model (brand chosen first) and the destination the letter is for."""

    vin = forms.CharField(label=_("VIN"), max_length=17, strip=True)
    brand = forms.ModelChoiceField(label=_("brand"), queryset=Brand.objects.none(), required=False)
    vehicle_model = forms.ModelChoiceField(
        label=_("vehicle model"),
        queryset=VehicleModel.objects.none(),
        widget=ModelSelect,
        error_messages={"invalid_choice": _("Choose a model of the chosen brand.")},
    )
    country = forms.ChoiceField(label=_("destination country"))

    def __init__(
        self, *args: Any, brands: QuerySet[Brand], models: QuerySet[VehicleModel], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = brands
        self.fields["vehicle_model"].queryset = models
        self.fields["country"].choices = country_choices()
        self.fields["vin"].widget.attrs.update(autocapitalize="characters", spellcheck="false")

    def clean_country(self) -> Country:
        country = Country.objects.filter(code=self.cleaned_data["country"]).first()
        if country is None:
            raise forms.ValidationError(_("Choose a destination country."))
        return country

    def chosen_brand(self) -> Brand | None:
        """The brand picked (before full validation), to narrow the models offered."""
        try:
            return self.fields["brand"].clean(self["brand"].data)
        except forms.ValidationError:
            return None


class LetterRequestForm(VehicleForm):
    """What an exporter asks a manufacturer to confirm."""

    note = forms.CharField(
        label=_("note to the manufacturer"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DirectLetterForm(VehicleForm):
    """A letter a manufacturer issues unasked: the vehicle, then one of its outlets there."""

    outlet = OutletSelect(
        label=_("service outlet"),
        queryset=ServiceOutlet.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the outlets listed.")},
    )

    def __init__(self, *args: Any, outlets: QuerySet[ServiceOutlet], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = outlets

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors and not cleaned.get("outlet"):
            self.add_error("outlet", _("Choose the outlet that will serve the vehicle."))
        return cleaned


class IssueForm(forms.Form):
    """The outlet a manufacturer names when it answers a request with a letter."""

    outlet = OutletSelect(
        label=_("service outlet"),
        queryset=ServiceOutlet.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose the outlet that will serve the vehicle."),
            "invalid_choice": _("Choose one of the outlets listed."),
        },
    )

    def __init__(self, *args: Any, outlets: QuerySet[ServiceOutlet], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = outlets


class ReasonForm(forms.Form):
    """Why a request is refused or a letter revoked."""

    reason = forms.CharField(
        label=_("reason, sent to the exporter"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason.")},
    )


class LetterFilterForm(forms.Form):
    """Filters of the manufacturer's issued letters."""

    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("Any status")), *ConfirmationLetter.Status.choices],
    )
    country = forms.ChoiceField(label=_("destination country"), required=False)
    vin = forms.CharField(label=_("VIN contains"), required=False, max_length=SEARCH_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any destination")), *country_choices()[1:]]
