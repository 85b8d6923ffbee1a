"""Reminders that after-sales records are about to lapse (run by send_reminders).

A commitment or contract ending in 90, 30 and 7 days, with nothing of the same kind taking
over after it, gets one notice per stage for every enterprise member who can act on it.
Each stage is one set-based statement (notifications.bulk).
"""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, Expression, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from aftersales.models import ServiceOutlet, SparePartsCommitment, WarrantyCommitment
from notifications.bulk import DueReminders, notifications_enqueue_due, stage_kinds
from registry.selectors import acting_members

MEMBERS = "enterprise__memberships"


def _stages(prefix: str, ends: str, as_of: date) -> tuple[Expression, Q]:
    return stage_kinds(prefix, ends, settings.REMINDER_OFFSETS["commitment_ending"], as_of)


def _without_successor(model: Any, rows: QuerySet) -> QuerySet:
    """Commitments that nothing of the same enterprise, brand and market continues."""
    successor = model.objects.active().filter(
        enterprise_id=OuterRef("enterprise_id"),
        brand_id=OuterRef("brand_id"),
        country_id=OuterRef("country_id"),
        valid_from__lte=OuterRef("valid_until") + timedelta(days=1),
        valid_until__gt=OuterRef("valid_until"),
    )
    return rows.filter(~Exists(successor))


def _notify(kind: Expression, rows: QuerySet, ends: str, subject: Any, body: Any, what: str) -> int:
    return notifications_enqueue_due(
        reminders=DueReminders(
            kind=kind,
            rows=rows.filter(acting_members(MEMBERS)),
            recipient=f"{MEMBERS}__user",
            due_on=ends,
            target_repr=what,
            subject=subject,
            body=body,
            fields={"day": ends, "brand": "brand__name", "country": "country_id"}
            if what != "operator_name"
            else {"day": ends, "city": "city", "country": "country_id"},
        )
    )


def _commitments_ending(model: Any, prefix: str, subject: Any, body: Any, as_of: date) -> int:
    kind, due = _stages(prefix, "valid_until", as_of)
    rows = model.objects.valid_on(as_of).filter(due)
    rows = _without_successor(model, rows).annotate(label=F("brand__name"))
    return _notify(kind, rows, "valid_until", subject, body, "label")


def warranty_commitments_expiring(as_of: date) -> int:
    """Remind members 90, 30 and 7 days before a warranty commitment ends; return notices."""
    return _commitments_ending(
        WarrantyCommitment,
        "aftersales.warranty_commitment.ending",
        _("The %(brand)s warranty commitment in %(country)s ends on %(day)s"),
        _(
            "Your %(brand)s warranty commitment in %(country)s ends on %(day)s and nothing "
            "continues it. Renew it to keep exporting there."
        ),
        as_of,
    )


def spare_parts_commitments_expiring(as_of: date) -> int:
    """Remind members 90, 30 and 7 days before a spare-parts commitment ends."""
    return _commitments_ending(
        SparePartsCommitment,
        "aftersales.spare_parts_commitment.ending",
        _("The %(brand)s spare-parts commitment in %(country)s ends on %(day)s"),
        _(
            "Your %(brand)s spare-parts commitment in %(country)s ends on %(day)s and nothing "
            "continues it. Renew it to keep exporting there."
        ),
        as_of,
    )


def outlet_contracts_expiring(as_of: date) -> int:
    """Remind members 90, 30 and 7 days before a verified outlet's contract ends."""
    prefix = "aftersales.service_outlet.contract_ending"
    kind, due = _stages(prefix, "contract_valid_until", as_of)
    return _notify(
        kind,
        ServiceOutlet.objects.valid_on(as_of).verified().filter(due),
        "contract_valid_until",
        _("The contract of service outlet %(target)s (%(city)s, %(country)s) ends on %(day)s"),
        _(
            "The contract of service outlet %(target)s in %(city)s, %(country)s ends on "
            "%(day)s. Renew it, or the outlet stops counting for your licences."
        ),
        "operator_name",
    )


SWEEPS = [
    warranty_commitments_expiring,
    spare_parts_commitments_expiring,
    outlet_contracts_expiring,
]
