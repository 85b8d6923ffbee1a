"""Daily licensing sweeps, run by notifications' `run_sweeps` (and `send_reminders`).

Each takes the day to act as of and returns how many things it did. Expiry changes state
(one licence at a time, through its service); every reminder is one set-based statement
per stage (notifications.bulk), so the cost follows the due rows, not the table.
"""

from datetime import date

from django.conf import settings
from django.db.models import Exists, Expression, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from licensing.models import Licence, LicenceLine
from licensing.reminders import (
    remind_caseworkers_of_overdue_answers,
    remind_information_requests,
    remind_qualification_renewal,
    remind_sla,
)
from licensing.services.licences import licence_expire
from notifications.bulk import DueReminders, notifications_enqueue_due, stage_kinds
from registry.selectors import acting_members

HOLDER = "holder__memberships"


def expire_licences(as_of: date) -> int:
    """Expire every active or suspended licence whose last valid day is before `as_of`."""
    expired = 0
    for licence in Licence.objects.past_validity(as_of).order_by("pk").iterator():
        licence_expire(licence=licence, as_of=as_of)
        expired += 1
    return expired


def _quantity_left() -> Exists:
    return Exists(LicenceLine.objects.filter(licence=OuterRef("pk"), remaining__gt=0))


def _to_holders(kind: str | Expression, rows: object, subject: object, body: object) -> int:
    return notifications_enqueue_due(
        reminders=DueReminders(
            kind=kind,
            rows=rows.filter(acting_members(HOLDER)),  # type: ignore[attr-defined]
            recipient=f"{HOLDER}__user",
            due_on="valid_until",
            target_repr="number",
            subject=subject,  # type: ignore[arg-type]
            body=body,  # type: ignore[arg-type]
            fields={"day": "valid_until"},
        )
    )


def remind_licences_expiring(as_of: date) -> int:
    """Remind holders 30, 14 and 7 days before a licence with quantity left expires."""
    offsets = settings.REMINDER_OFFSETS["licence_expiring"]
    kind, due = stage_kinds("licence.expiring", "valid_until", offsets, as_of)
    rows = Licence.objects.filter(due, _quantity_left(), status=Licence.Status.ACTIVE)
    return _to_holders(
        kind,
        rows,
        _("Licence %(target)s expires on %(day)s"),
        _(
            "Licence %(target)s expires on %(day)s and still has vehicles to ship. Ship "
            "them before then, or apply to exchange the licence for what remains."
        ),
    )


def remind_licences_without_declarations(as_of: date) -> int:
    """Tell holders once that a licence used all its declarations with vehicles left over."""
    rows = Licence.objects.filter(
        _quantity_left(),
        Q(status=Licence.Status.EXHAUSTED),
        uses_left=0,
        valid_until__gte=as_of,
    )
    return _to_holders(
        "licence.no_declarations_left",
        rows,
        _("Licence %(target)s has no customs declaration left"),
        _(
            "Licence %(target)s has used all its customs declarations but not all its "
            "vehicles. Apply for a new licence for the vehicles still to ship."
        ),
    )


SWEEPS = [
    expire_licences,
    remind_licences_expiring,
    remind_licences_without_declarations,
    remind_qualification_renewal,
    remind_information_requests,
    remind_caseworkers_of_overdue_answers,
    remind_sla,
]
