"""The admin index's block of the user's case queues, with counts."""

from typing import Any

from django import template
from django.urls import reverse

from licensing.admin import queues

register = template.Library()


@register.inclusion_tag("admin/licensing/case/queue_counts.html", takes_context=True)
def case_queue_counts(context: dict[str, Any]) -> dict[str, Any]:
    """Render the user's queue counts as links to the filtered case list."""
    request = context.get("request")
    if request is None or not request.user.has_perm("licensing.view_case"):
        return {"queues": []}
    counts = queues.counts_for_request(request)
    changelist = reverse("admin:licensing_case_changelist")
    return {
        "queues": [
            {"key": key, "label": label, "count": counts[key], "url": f"{changelist}?queue={key}"}
            for key, label in queues.QUEUES.items()
        ]
    }
