"""Forms of the case pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RespondForm(forms.Form):
    """An answer to the open information request, tied to the case version it was written on."""

    # Not required here: an empty answer is refused by case_respond with its own message.
    answer = forms.CharField(
        label=_("Your answer"), required=False, max_length=20000, widget=forms.Textarea
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
