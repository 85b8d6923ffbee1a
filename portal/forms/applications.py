"""Forms of the application pages: they parse what the member typed; services decide the rest."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from licensing.models import Case, CaseLine, Licence
from registry.models import Brand, Country, VehicleModel

VALID_FROM_HELP = _("From 10 December you may ask for next year's licence, valid from 1 January.")
VALID_UNTIL_HELP = _(
    "At most six months after the first day, and never past 31 December of that year."
)
MAX_LINES = 200
# What a licence and an application for it share (an exchange starts from these).
CONTRACT_FIELDS = (
    "brand",
    "destination",
    "contract_number",
    "customs_port",
    "trade_mode",
    "transport_mode",
    "payment_terms",
    "use_mode",
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ParseOnlyModelForm(forms.ModelForm):
    """A model form used only for its fields: the service validates and saves the values."""

    def _post_clean(self) -> None:
        """Leave model validation to the service."""


class ModelSelect(forms.Select):
    """Each option names its brand, so the page's script can show the chosen brand's models."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        instance = getattr(option["value"], "instance", None)
        if instance is not None:
            option["attrs"]["data-brand"] = str(instance.brand_id)
        return option


def country_choices() -> list[tuple[str, str]]:
    """Registered destination countries by their name in the reader's language."""
    countries = sorted(Country.objects.all(), key=lambda country: country.name)
    return [("", "---------"), *[(c.code, c.name) for c in countries]]


class LicenceApplicationForm(ParseOnlyModelForm):
    """The details of a licence or exchange application; lines come in their own formset."""

    destination = forms.ChoiceField(label=_("destination country"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    class Meta:
        model = Case
        fields = [*CONTRACT_FIELDS, "valid_from", "valid_until"]
        widgets = {
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "use_mode": forms.RadioSelect,
        }
        help_texts = {"valid_from": VALID_FROM_HELP, "valid_until": VALID_UNTIL_HELP}
        error_messages = {
            "brand": {"invalid_choice": _("Choose one of the brands your enterprise may export.")}
        }

    def __init__(self, *args: Any, brands: QuerySet[Brand], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = brands
        self.fields["brand"].required = False
        self.fields["destination"].choices = country_choices()
        self.fields["destination"].required = False

    def clean_destination(self) -> Country | None:
        code = self.cleaned_data.get("destination")
        return Country.objects.filter(code=code).first() if code else None

    def chosen_brand(self) -> Brand | None:
        """The brand the member picked, if it is one they may export (before full validation)."""
        try:
            return self.fields["brand"].clean(self["brand"].data)
        except forms.ValidationError:
            return None


class ExchangeApplicationForm(LicenceApplicationForm):
    """A licence application that returns one of the enterprise's active licences."""

    licence_to_exchange = forms.ModelChoiceField(
        queryset=Licence.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the licence to exchange from its page."),
            "invalid_choice": _("Choose one of your enterprise's active licences."),
        },
    )

    def __init__(self, *args: Any, licences: QuerySet[Licence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["licence_to_exchange"].queryset = licences


class QualificationApplicationForm(ParseOnlyModelForm):
    """The year and class of an export qualification application."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    class Meta:
        model = Case
        fields = ["year", "qualification_class"]
        help_texts = {"year": _("A qualification is valid until 31 December of its year.")}


class GoodsLineForm(ParseOnlyModelForm):
    """One goods line: a model of the chosen brand, a quantity and an FOB unit price."""

    class Meta:
        model = CaseLine
        fields = ["vehicle_model", "quantity", "unit_price_usd"]
        widgets = {"vehicle_model": ModelSelect}
        error_messages = {
            "vehicle_model": {"invalid_choice": _("Choose a model of the chosen brand.")}
        }

    def __init__(self, *args: Any, models: QuerySet[VehicleModel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vehicle_model"].queryset = models
        self.fields["quantity"].widget.attrs.update(min=1, inputmode="numeric")
        self.fields["unit_price_usd"].widget.attrs.update(min="0.01", step="0.01")

    def as_line(self) -> dict[str, Any]:
        """The line as the case services take it."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


GoodsLineFormSet = forms.formset_factory(
    GoodsLineForm, extra=1, can_delete=True, max_num=MAX_LINES, validate_max=True
)


def filled_lines(formset: Any) -> list[dict[str, Any]]:
    """The lines the member filled in and did not mark for removal."""
    return [
        form.as_line()
        for form in formset.forms
        if form.cleaned_data.get("vehicle_model") and not form.cleaned_data.get("DELETE")
    ]
