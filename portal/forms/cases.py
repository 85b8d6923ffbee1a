"""Forms of the case pages: answers, evidence, submission and withdrawal."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from licensing.models import Document, InformationRequest

MAX_ATTACHMENTS = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by the document service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Attach at most %(n)d files.") % {"n": MAX_ATTACHMENTS}, code="too_many"
            )
        return [super(MultipleFileField, self).clean(one, initial) for one in files]


class VersionedForm(forms.Form):
    """Every action carries the case version it was written on (stale -> a clear message)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RespondForm(VersionedForm):
    """An answer to the open information request, with optional attachments."""

    information_request = forms.ModelChoiceField(
        queryset=InformationRequest.objects.none(),
        widget=forms.HiddenInput,
        # Optional: without it the open request is answered; the service refuses when none is.
        required=False,
        error_messages={
            "invalid_choice": _("This is not the open information request of this case."),
        },
    )
    # Not required here: an empty answer is refused by case_respond with its own message.
    answer = forms.CharField(
        label=_("Your answer"), required=False, max_length=20000, widget=forms.Textarea
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, JPEG or PNG files, at most ten."),
    )

    def __init__(self, *args: Any, open_requests: QuerySet[InformationRequest], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["information_request"].queryset = open_requests


class EvidenceForm(forms.Form):
    """One piece of evidence for the case."""

    doc_type = forms.ChoiceField(
        label=_("document type"),
        choices=[("", "---------")]
        + [c for c in Document.DocType.choices if c[0] != Document.DocType.RESPONSE],
    )
    file = forms.FileField(
        label=_("file"),
        max_length=255,
        help_text=_("PDF, JPEG or PNG; drop the file here or choose it."),
    )


class WithdrawForm(VersionedForm):
    """Withdrawing an application, with the reason the ministry will read."""

    reason = forms.CharField(
        label=_("Reason for withdrawing"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
