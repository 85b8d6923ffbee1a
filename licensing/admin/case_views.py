"""The case page's side views: notes, priority, documents, the letter and the summary.

A mixin of CaseAdmin; each view finds the case through ``_case_or_404`` (the same access
check as the page) and calls a service or renders.
"""

from typing import Any

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from config.errors import DomainError
from licensing.admin.case_documents import decision_letter_response, document_file
from licensing.admin.case_export import export_response
from licensing.admin.case_forms import NoteForm, PriorityForm
from licensing.admin.case_page import case_summary_context
from licensing.models import Case
from licensing.services import notes, saved_filters


class CaseSideViews:
    """Views reached from the case page besides the workflow buttons."""

    def saved_filter_save_view(self, request: HttpRequest) -> HttpResponse:
        """Save the queue's current filters under a name for this user."""
        query = request.POST.get("query", "")
        try:
            saved_filters.saved_filter_save(
                actor=request.user, name=request.POST.get("name", ""), query=query
            )
        except (DomainError, ValidationError) as exc:
            self.message_user(request, message_text(exc), messages.ERROR)
        else:
            self.message_user(request, _("View saved."), messages.SUCCESS)
        return HttpResponseRedirect(_queue_url(saved_filters.clean_query(query)))

    def saved_filter_delete_view(self, request: HttpRequest, pk: str) -> HttpResponse:
        """Delete one of this user's saved views."""
        try:
            saved_filters.saved_filter_delete(actor=request.user, pk=pk)
        except DomainError as exc:
            self.message_user(request, message_text(exc), messages.ERROR)
        else:
            self.message_user(request, _("Saved view deleted."), messages.SUCCESS)
        return HttpResponseRedirect(_queue_url(""))

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """Stream the queue as filtered and searched on screen, for those who may see it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(_("The list's filters are not valid; nothing exported."))
        return export_response(changelist.get_queryset(request))

    def note_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Add an internal note through the notes service."""
        case = self._case_or_404(request, object_id)
        form = NoteForm(request.POST)
        self._call(request, form, notes.case_note_add, case, _("Note added."))
        return HttpResponseRedirect(reverse("admin:licensing_case_change", args=[case.pk]))

    def priority_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Set the case's priority through the notes service."""
        case = self._case_or_404(request, object_id)
        form = PriorityForm(request.POST)
        self._call(request, form, notes.case_priority_set, case, _("Priority saved."))
        return HttpResponseRedirect(reverse("admin:licensing_case_change", args=[case.pk]))

    def _call(self, request: HttpRequest, form: Any, service: Any, case: Case, done: str) -> None:
        if not form.is_valid():
            self.message_user(request, form_errors_text(form), messages.ERROR)
            return
        try:
            service(actor=request.user, case=case, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            self.message_user(request, message_text(exc), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)

    def decision_letter_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Download the bilingual decision letter of a decided case."""
        return decision_letter_response(self._case_or_404(request, object_id))

    def summary_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """A printable one-page summary of the case for the file."""
        case = self._case_or_404(request, object_id)
        context = {**self.admin_site.each_context(request), **case_summary_context(case)}
        return TemplateResponse(request, "admin/licensing/case/summary.html", context)

    def document_view(self, request: HttpRequest, object_id: str, document_id: int) -> Any:
        """Serve a piece of evidence to staff who may see the case, as a download."""
        return document_file(self._case_or_404(request, object_id), document_id, inline=False)

    def document_preview_view(self, request: HttpRequest, object_id: str, document_id: int) -> Any:
        """Serve a PDF or image inline, for the case page's sandboxed preview frame."""
        return document_file(self._case_or_404(request, object_id), document_id, inline=True)


def _errors_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def message_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return _errors_text(exc)
    return getattr(exc, "message", str(exc))


def form_errors_text(form: Any) -> str:
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else _('Form')}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    )


def _queue_url(query: str) -> str:
    url = reverse("admin:licensing_case_changelist")
    return f"{url}?{query}" if query else url


def saved_views(request: HttpRequest) -> list[dict[str, Any]]:
    """This user's saved queue views with their links."""
    return [
        {"pk": saved.pk, "name": saved.name, "url": _queue_url(saved.query)}
        for saved in request.user.saved_case_filters.all()
    ]
