"""Reminders that after-sales records are about to lapse (run by send_reminders).

A commitment or contract ending in 90, 30 and 7 days, with nothing of the same kind taking
over after it, gets one notice per stage for every enterprise member who can act on it;
so does a last commitment that ends while cars exported to its market are still under
warranty (the warranty outliving the after-sales network).
Each stage is one set-based statement (notifications.bulk).
"""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Exists,
    Expression,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils.translation import gettext_lazy as _

from aftersales.models import (
    ExportedVehicle,
    ServiceOutlet,
    SparePartsCommitment,
    WarrantyCommitment,
)
from notifications.bulk import DueReminders, notifications_enqueue_due, stage_kinds
from registry.countries import country_names_in_sql
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


def _notify(
    kind: Expression,
    rows: QuerySet,
    ends: str,
    subject: Any,
    body: Any,
    what: str,
    extra: dict[str, str] | None = None,
) -> int:
    country = country_names_in_sql("country_id")
    fields = (
        {"day": ends, "brand": "brand__name", "country": country}
        if what != "operator_name"
        else {"day": ends, "city": "city", "country": country}
    )
    return notifications_enqueue_due(
        reminders=DueReminders(
            kind=kind,
            rows=rows.filter(acting_members(MEMBERS)),
            recipient=f"{MEMBERS}__user",
            due_on=ends,
            target_repr=what,
            subject=subject,
            body=body,
            fields={**fields, **(extra or {})},
        )
    )


def _last_commitments_ending(model: Any, prefix: str, as_of: date) -> tuple[Expression, QuerySet]:
    kind, due = _stages(prefix, "valid_until", as_of)
    rows = model.objects.valid_on(as_of).filter(due)
    return kind, _without_successor(model, rows).annotate(label=F("brand__name"))


def _commitments_ending(model: Any, prefix: str, subject: Any, body: Any, as_of: date) -> int:
    kind, rows = _last_commitments_ending(model, prefix, as_of)
    return _notify(kind, rows, "valid_until", subject, body, "label")


def _latest_warranty(**market: Any) -> Subquery:
    cars = ExportedVehicle.objects.filter(**market).order_by("-warranty_ends_on")
    return Subquery(cars.values("warranty_ends_on")[:1])


def _warranty_outlives(model: Any, prefix: str, subject: Any, body: Any, as_of: date) -> int:
    """Last commitments ending while cars exported to their market are still under warranty.

    A manufacturer's commitment serves its authorised exporters too (as in the obligation
    rules), so its market is every car of the brand there. The latest warranty end is one
    backward index step per due commitment (exported_vehicle_market, or the brand's index for
    a manufacturer), inside the same statement.
    """
    kind, rows = _last_commitments_ending(model, prefix, as_of)
    same = {"brand_id": OuterRef("brand_id"), "country_id": OuterRef("country_id")}
    horizon = Case(
        When(
            brand__manufacturer_id=F("enterprise_id"),
            then=_latest_warranty(**same),
        ),
        default=_latest_warranty(enterprise_id=OuterRef("enterprise_id"), **same),
    )
    rows = rows.annotate(horizon=horizon).filter(horizon__gt=F("valid_until"))
    return _notify(kind, rows, "valid_until", subject, body, "label", {"horizon": "horizon"})


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


def warranty_outlives_warranty_commitment(as_of: date) -> int:
    """Remind members 90, 30 and 7 days before the last warranty commitment of a market ends
    while vehicles exported there are still under warranty after it."""
    return _warranty_outlives(
        WarrantyCommitment,
        "aftersales.warranty_gap.warranty",
        _("%(brand)s cars in %(country)s outlive your warranty commitment"),
        _(
            "Your last %(brand)s warranty commitment in %(country)s ends on %(day)s, but "
            "vehicles exported there stay under warranty until %(horizon)s. Extend the "
            "commitment to cover them."
        ),
        as_of,
    )


def warranty_outlives_spare_parts_commitment(as_of: date) -> int:
    """Remind members 90, 30 and 7 days before the last spare-parts commitment of a market
    ends while vehicles exported there are still under warranty after it."""
    return _warranty_outlives(
        SparePartsCommitment,
        "aftersales.warranty_gap.spare_parts",
        _("%(brand)s cars in %(country)s outlive your spare-parts commitment"),
        _(
            "Your last %(brand)s spare-parts commitment in %(country)s ends on %(day)s, but "
            "vehicles exported there stay under warranty until %(horizon)s. Extend the "
            "commitment to cover them."
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
    warranty_outlives_warranty_commitment,
    warranty_outlives_spare_parts_commitment,
]
