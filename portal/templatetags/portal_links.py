"""Links to pages that may not exist in every deployment of the portal."""

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def optional_url(name: str, *args: Any) -> str:
    """Reverse a URL name, or give an empty string when no such page is routed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
