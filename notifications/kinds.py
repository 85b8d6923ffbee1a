"""Readable names for notification kinds, which each app registers for its own notices.

Staged reminders ("licence.expiring.30d") take the name of their base kind plus the number
of days ahead, so staff never read a raw code.
"""

import re

from django.utils.functional import Promise
from django.utils.translation import gettext as _

STAGE = re.compile(r"^(?P<base>.+)\.(?P<days>\d+)d$")
_LABELS: dict[str, Promise | str] = {}


def kinds_register(labels: dict[str, Promise | str]) -> None:
    """Give kinds their readable names (called from each app's ready())."""
    _LABELS.update(labels)


def kind_label(code: str) -> str:
    """The readable name of a kind, in the active language."""
    if code in _LABELS:
        return str(_LABELS[code])
    stage = STAGE.match(code)
    if stage and stage["base"] in _LABELS:
        return _("%(kind)s, %(days)s days ahead") % {
            "kind": _LABELS[stage["base"]],
            "days": stage["days"],
        }
    return _("Other notice")
