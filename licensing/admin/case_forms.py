"""The small forms behind the case page's workflow buttons; they parse input, nothing more."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from licensing.models import Case
from licensing.services.transitions import ASSESS_PERMISSION


def assessors() -> QuerySet:
    """Active staff who hold the assess permission through a group or directly."""
    app_label, codename = ASSESS_PERMISSION.split(".")
    perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__permissions__in=perm) | Q(user_permissions__in=perm))
        .distinct()
        .order_by("username")
    )


class VersionedForm(forms.Form):
    """Every action names the version the user saw, so a stale page gets a conflict."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AssignForm(VersionedForm):
    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label=_("To"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assessors()


class RequestInfoForm(VersionedForm):
    question = forms.CharField(label=_("Question"), max_length=5000, widget=forms.Textarea)
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class OutcomeForm(VersionedForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Case.Outcome.choices)
    reasons = forms.CharField(label=_("Reasons"), max_length=5000, widget=forms.Textarea)


class ReturnForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), max_length=5000, widget=forms.Textarea)


class OverrideForm(VersionedForm):
    code = forms.CharField(max_length=32, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("Why this failure is acceptable")}
        ),
    )


ACTION_FORMS: dict[str, type[VersionedForm]] = {
    "assign": AssignForm,
    "request_info": RequestInfoForm,
    "recommend": OutcomeForm,
    "decide": OutcomeForm,
    "return": ReturnForm,
}


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note (staff only)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Case.Priority.choices)


class AssignToForm(forms.Form):
    """The intermediate page of the bulk "assign to…" action."""

    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label=_("To"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assessors()
