"""Reminders that after-sales records are about to lapse (run by send_reminders).

A commitment or contract ending within the next 90 days, with nothing of the same kind
taking over after it, gets one notice per enterprise member who can act on it.
"""

from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from aftersales.models import ServiceOutlet, SparePartsCommitment, WarrantyCommitment
from registry.languages import notify_in_their_language
from registry.models import Membership

HORIZON = timedelta(days=90)


def _recipients(enterprise_id: int) -> list[Any]:
    memberships = Membership.objects.filter(
        enterprise_id=enterprise_id,
        is_active=True,
        user__is_active=True,
        role__in=[Membership.Role.ADMIN, Membership.Role.APPLICANT],
    ).select_related("user")
    return [m.user for m in memberships]


def _commitments_ending(model: Any, as_of: date) -> list[Any]:
    """Commitments in force that end within the horizon and have no successor."""
    ending = model.objects.valid_on(as_of).filter(valid_until__lte=as_of + HORIZON)
    return [c for c in ending.select_related("brand", "country") if not _renewed(model, c)]


def _renewed(model: Any, commitment: Any) -> bool:
    return (
        model.objects.active()
        .filter(
            enterprise_id=commitment.enterprise_id,
            brand_id=commitment.brand_id,
            country_id=commitment.country_id,
            valid_from__lte=commitment.valid_until + timedelta(days=1),
            valid_until__gt=commitment.valid_until,
        )
        .exclude(pk=commitment.pk)
        .exists()
    )


def _notify(records: Any, kind: str, subject: Any, ends: str) -> int:
    """Queue one notice per record and member; `subject` is a lazy text written per reader."""
    added = 0
    for record in records:
        end = getattr(record, ends)

        def write(record: Any = record, end: date = end) -> tuple[str, str]:
            text = str(subject) % {"record": str(record), "day": end}
            return text, text

        for user in _recipients(record.enterprise_id):
            created = notify_in_their_language(
                recipient=user, write=write, kind=kind, target=record, due_on=end
            )
            added += created is not None
    return added


def warranty_commitments_expiring(as_of: date) -> int:
    """Remind members that a warranty commitment ends within 90 days; return notices added."""
    return _notify(
        _commitments_ending(WarrantyCommitment, as_of),
        "aftersales.warranty_commitment.expiring",
        _("The warranty commitment %(record)s ends on %(day)s; renew it to keep exporting."),
        "valid_until",
    )


def spare_parts_commitments_expiring(as_of: date) -> int:
    """Remind members that a spare-parts commitment ends within 90 days."""
    return _notify(
        _commitments_ending(SparePartsCommitment, as_of),
        "aftersales.spare_parts_commitment.expiring",
        _("The spare-parts commitment %(record)s ends on %(day)s; renew it to keep exporting."),
        "valid_until",
    )


def outlet_contracts_expiring(as_of: date) -> int:
    """Remind members that a verified outlet's contract ends within 90 days."""
    outlets = (
        ServiceOutlet.objects.valid_on(as_of)
        .verified()
        .filter(contract_valid_until__lte=as_of + HORIZON)
    )
    return _notify(
        outlets,
        "aftersales.service_outlet.contract_expiring",
        _("The contract of service outlet %(record)s ends on %(day)s."),
        "contract_valid_until",
    )


SWEEPS = [
    warranty_commitments_expiring,
    spare_parts_commitments_expiring,
    outlet_contracts_expiring,
]
