"""Links to portal pages that may not exist in every deployment of the portal."""

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def optional_url(name: str, *args: Any) -> str:
    """Return the page's address, or an empty string when no such page is installed."""
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return ""
