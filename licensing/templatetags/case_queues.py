"""The admin index's block of the user's case queues, with counts."""

from typing import Any

from django import template
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from licensing.admin import queues
from licensing.insights import index_tiles

TILES_CACHE_KEY = "insights:index-tiles"
TILES_CACHE_SECONDS = 120

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


@register.inclusion_tag("admin/licensing/insight_tiles.html", takes_context=True)
def insight_tiles(context: dict[str, Any]) -> dict[str, Any]:
    """Render the office's headline numbers with a link to the statistics page."""
    request = context.get("request")
    if request is None or not request.user.has_perm("licensing.view_case"):
        return {"tiles": None}
    tiles = cache.get(TILES_CACHE_KEY)
    if tiles is None:
        tiles = index_tiles(timezone.localdate())
        cache.set(TILES_CACHE_KEY, tiles, TILES_CACHE_SECONDS)
    return {"tiles": tiles, "url": reverse("admin:licensing_case_insights")}
