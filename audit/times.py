"""One rule for every timestamp people read: Beijing time, labelled as such.

Times are stored in UTC. Pages, CSV exports and API documentation show them in Beijing time
(UTC+8, no daylight saving) and say so, whatever the server's or the reader's time zone.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BEIJING = ZoneInfo("Asia/Shanghai")
TIME_LABEL = gettext_lazy("Beijing time (UTC+8)")


def beijing_time(moment: datetime | None) -> str:
    """Render an aware datetime as "2026-03-01 14:05 Beijing time" ("—" when empty)."""
    if moment is None:
        return "—"
    local = moment.astimezone(BEIJING)
    return _("%(time)s Beijing time") % {"time": local.strftime("%Y-%m-%d %H:%M")}


def beijing_iso(moment: datetime | None) -> str:
    """Render an aware datetime as ISO 8601 with the +08:00 offset, for CSV cells."""
    return "" if moment is None else moment.astimezone(BEIJING).isoformat(timespec="seconds")
