"""A timeline of an object's latest audit events, for any app's admin change page.

Usage: ``class CaseAdmin(AuditTimelineMixin, admin.ModelAdmin)``. Without ``fieldsets`` the
panel appears at the end of the form; with fieldsets, add ``"audit_timeline"`` to one.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from audit.selectors import may_view_audit, timeline
from audit.sentences import event_entry, model_vocabulary


class AuditTimelineMixin:
    """Add a read-only "audit timeline" panel showing the object's latest events."""

    audit_timeline_limit = 20

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        if obj is not None and may_view_audit(request.user) and "audit_timeline" not in fields:
            fields += ("audit_timeline",)
        return fields

    @admin.display(description=_("Audit timeline"))
    def audit_timeline(self, obj: Any) -> str:
        """Render the latest events about this object."""
        return render_timeline(obj, limit=self.audit_timeline_limit)


def render_timeline(obj: Any, *, limit: int = 20) -> str:
    """Render templates/admin/audit/timeline.html for one object, each event a sentence."""
    if obj is None or obj.pk is None:
        return ""
    events = timeline(obj, limit=limit)
    vocabulary = model_vocabulary(type(obj), [event.verb for event in events])
    entries = [(event, event_entry(event, vocabulary)) for event in events]
    return render_to_string(
        "admin/audit/timeline.html", {"events": events, "entries": entries, "object": obj}
    )
