"""Template filter for the one timestamp rule (see audit.times)."""

from datetime import datetime

from django import template

from audit.times import beijing_time as render_beijing_time

register = template.Library()


@register.filter
def beijing_time(moment: datetime | None) -> str:
    """Show a timestamp in Beijing time, labelled."""
    return render_beijing_time(moment)
