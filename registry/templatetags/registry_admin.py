"""Template tags for the admin pages the registry contributes to."""

from django import template
from django.utils.html import format_html

from registry import selectors
from registry.admin import calendar_warning_text

register = template.Library()


@register.simple_tag
def calendar_warning() -> str:
    """Render a warning when next year has no official holiday calendar yet."""
    year = selectors.calendar_year_missing()
    if year is None:
        return ""
    return format_html(
        '<ul class="messagelist"><li class="warning" id="calendar-warning">{}</li></ul>',
        calendar_warning_text(year),
    )
