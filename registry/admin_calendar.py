"""The calendar page's "import a year" form and view (the service is calendar_import)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry import selectors
from registry.calendar_import import calendar_year_import


class CalendarImportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "Header date,type,name; one line per holiday (type holiday or 休) or make-up "
            "working day (type workday or 班), dates written YYYY-MM-DD. The year's "
            "existing days are replaced."
        ),
    )


def calendar_import_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    """Show the import form; on a valid file replace the year's days through the service."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    year = selectors.calendar_year_missing() or timezone.localdate().year + 1
    form = CalendarImportForm(request.POST or None, request.FILES or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = calendar_year_import(
                actor=request.user,
                year=form.cleaned_data["year"],
                content=upload.read(CALENDAR_READ_LIMIT),
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            model_admin.message_user(
                request,
                _("Imported %(n)d days for %(year)d.")
                % {"n": len(rows), "year": form.cleaned_data["year"]},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:registry_calendarday_changelist"))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Import a year of official holidays"),
        "opts": model_admin.model._meta,
        "form": form,
    }
    status = 400 if form.is_bound else 200
    return TemplateResponse(
        request, "admin/registry/calendarday/import.html", context, status=status
    )


CALENDAR_READ_LIMIT = 64 * 1024 + 1
