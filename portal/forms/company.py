"""Forms of the company pages: invite a member, change a role, name a token."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from registry.models import Membership

LANGUAGE_CHOICES = settings.LANGUAGES


class InviteForm(forms.Form):
    """Who to invite, with which role, and the language of their e-mail and pages."""

    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=LANGUAGE_CHOICES,
        help_text=_("The invitation and the new member's pages are written in this language."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Say what uses it, for example “ERP export script”."),
    )
