"""Template helpers of the portal's layout."""

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def portal_url(name: str, *args: Any) -> str:
    """The address of a named page, or an empty string when this build has no such page."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def portal_link(context: Any, name: str, label: str, *args: Any) -> str:
    """A navigation link to a named page, marked current when it is; nothing if it is absent."""
    url = portal_url(name, *args)
    if not url:
        return ""
    path = context["request"].path
    current = path == url or (path.startswith(url) and url != reverse("portal:home"))
    return format_html(
        '<a href="{}"{}>{}</a>', url, ' aria-current="page"' if current else "", label
    )
