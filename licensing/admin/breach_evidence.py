"""The breach page's evidence files: attach (caseworkers), list and download (staff who see it).

A mixin of BreachAdmin; each view finds the breach through ``_breach_or_404`` (the same
access check as the page) and calls the after-sales evidence services.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.models import Breach, BreachEvidence
from aftersales.services.breach_evidence import breach_evidence_add, breach_evidence_open
from audit.services import refusal_record_if_forbidden
from config.errors import DomainError
from registry.admin_base import error_text


class EvidenceForm(forms.Form):
    description = forms.CharField(
        label=gettext_lazy("What the file shows"),
        max_length=BreachEvidence._meta.get_field("description").max_length,
    )
    file = forms.FileField(
        label=gettext_lazy("Evidence file (PDF, JPEG or PNG)"),
        allow_empty_file=True,  # the service says why an empty file is refused
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class BreachEvidenceInline(admin.TabularInline):
    model = BreachEvidence
    fields = ["uploaded_at", "uploaded_by", "description", "download", "file_size"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("file"))
    def download(self, evidence: BreachEvidence) -> str:
        url = reverse("admin:aftersales_breach_evidence", args=[evidence.breach_id, evidence.pk])
        return format_html('<a href="{}">{}</a>', url, evidence.download_name)

    @admin.display(description=gettext_lazy("file size"))
    def file_size(self, evidence: BreachEvidence) -> str:
        return filesizeformat(evidence.size)


class BreachEvidenceViews:
    """Views BreachAdmin routes under <breach id>/evidence/."""

    def _breach_or_404(self, request: HttpRequest, object_id: str) -> Breach:
        breach = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if breach is None or not self.has_view_permission(request, breach):  # type: ignore[attr-defined]
            raise Http404
        return breach

    def evidence_add_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Ask for a file and what it shows; store it once its bytes pass the checks."""
        if not self.has_investigate_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        breach = self._breach_or_404(request, object_id)
        page = reverse("admin:aftersales_breach_change", args=[breach.pk])
        form = EvidenceForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                breach_evidence_add(
                    actor=request.user,
                    breach=breach,
                    upload=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            except DomainError as exc:
                refusal_record_if_forbidden(request=request, error=exc)
                self.message_user(request, error_text(exc), messages.ERROR)  # type: ignore[attr-defined]
                return HttpResponseRedirect(page)
            else:
                self.message_user(request, _("The evidence file was attached."), messages.SUCCESS)  # type: ignore[attr-defined]
                return HttpResponseRedirect(page)
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "title": _("Attach an evidence file"),
            "opts": Breach._meta,
            "breach": breach,
            "form": form,
            "evidence": breach.evidence.select_related("uploaded_by"),
        }
        return TemplateResponse(request, "admin/aftersales/breach/evidence_form.html", context)

    def evidence_view(self, request: HttpRequest, object_id: str, evidence_id: int) -> Any:
        """Serve one of the breach's evidence files as a download, and audit it."""
        breach = self._breach_or_404(request, object_id)
        evidence = get_object_or_404(BreachEvidence, pk=evidence_id, breach=breach)
        evidence.breach = breach
        try:
            handle = breach_evidence_open(actor=request.user, evidence=evidence)
        except DomainError as exc:
            refusal_record_if_forbidden(request=request, error=exc)
            raise PermissionDenied from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=evidence.download_name,
            content_type=evidence.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put each field's refusal under that field (any other above the form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
