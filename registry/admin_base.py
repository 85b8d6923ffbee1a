"""Admin building blocks for every app: service-backed saves, reasons, read-only inlines."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.services import refusal_record_if_forbidden
from config.errors import DomainError


def error_text(exc: Exception) -> str:
    """Flatten a ValidationError or domain error into one readable line."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return getattr(exc, "message", str(exc))


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin that saves through services and never deletes."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Refuse deletion: the registry keeps its history."""
        return False

    def create(self, actor: Any, values: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Create or update through the model's service instead of a raw save."""
        if change:
            fresh = type(obj).objects.get(pk=obj.pk)
            saved = self.update(request.user, fresh, form_values(form, form.changed_data))
        else:
            saved = self.create(request.user, form_values(form, form.cleaned_data))
        obj.pk, obj._state.adding, obj._state.db = saved.pk, False, saved._state.db

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Save nothing: the service wrote the many-to-many values and inlines are read-only."""
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Turn a refusal raised while saving into an error message; the save rolls back."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, DomainError) as exc:
            refusal_record_if_forbidden(request=request, error=exc)
            self.message_user(request, error_text(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


def form_values(form: Any, names: Any) -> dict[str, Any]:
    """Pick the named model-field values from a bound, valid form."""
    fields = {f.name: f for f in form._meta.model._meta.get_fields() if not f.auto_created}
    values = {}
    for name in names:
        if name in fields and name in form.cleaned_data:
            value = form.cleaned_data[name]
            values[name] = list(value) if fields[name].many_to_many else value
    return values


class ReadOnlyInline(admin.TabularInline):
    """An inline that only lists related rows."""

    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))


def apply_with_reason(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    title: Any,
    apply: Callable[[Any, str], Any],
) -> TemplateResponse | None:
    """Ask for a reason on an intermediate page, then apply a service to each selected row."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        done = 0
        for obj in queryset:
            try:
                apply(obj, form.cleaned_data["reason"])
                done += 1
            except (ValidationError, DomainError) as exc:
                refusal_record_if_forbidden(request=request, error=exc)
                modeladmin.message_user(request, f"{obj}: {error_text(exc)}", messages.ERROR)
        if done:
            message = ngettext("%(n)d record changed.", "%(n)d records changed.", done)
            modeladmin.message_user(request, message % {"n": done}, messages.SUCCESS)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "opts": modeladmin.model._meta,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/registry/action_reason.html", context)


# --- reference data -------------------------------------------------------------------------
