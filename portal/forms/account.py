"""Forms of the account pages: language, and the password reset e-mail."""

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from portal.forms.company import LANGUAGE_CHOICES
from registry.account_mail import send_set_password_mail


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)


class MemberPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending the portal's link in the member's own language."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        send_set_password_mail(user_id=context["user"].pk, invited=False)
