"""Daily licence sweeps, run by notifications' `run_sweeps` (and `send_reminders --as-of`).

Each takes the day to act as of and returns how many things it did.
"""

from collections.abc import Callable
from datetime import date, timedelta

from django.utils.translation import gettext as _

from licensing.models import Licence
from licensing.services.licences import licence_expire, notify_holder

RENEWAL_NOTICE_DAYS = 30


def expire_licences(as_of: date) -> int:
    """Expire every active or suspended licence whose last valid day is before `as_of`."""
    expired = 0
    for licence in Licence.objects.past_validity(as_of).order_by("pk").iterator():
        licence_expire(licence=licence, as_of=as_of)
        expired += 1
    return expired


def remind_licences_expiring(as_of: date) -> int:
    """Remind holders 30 days before a licence's last valid day; once per licence and member."""
    due = as_of + timedelta(days=RENEWAL_NOTICE_DAYS)
    queued = 0
    for licence in Licence.objects.expiring_between(as_of, due).order_by("pk"):
        queued += notify_holder(
            licence,
            "licence_expiring",
            _expiry_subject(licence),
            due_on=licence.valid_until,
        )
    return queued


def _expiry_subject(licence: Licence) -> Callable[[], str]:
    return lambda: (
        _("Licence %(number)s expires on %(day)s")
        % {
            "number": licence.number,
            "day": licence.valid_until,
        }
    )


SWEEPS = [expire_licences, remind_licences_expiring]
