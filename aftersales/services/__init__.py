"""Every write to after-sales records: one audited service per action.

Shared rules live in rules.py, outlets in outlets.py, warranty and spare-parts
commitments in commitments.py; callers use the names below.
"""

from aftersales.services.commitments import (
    spare_parts_commitment_create,
    spare_parts_commitment_update,
    spare_parts_commitment_withdraw,
    warranty_commitment_create,
    warranty_commitment_update,
    warranty_commitment_withdraw,
)
from aftersales.services.fleet import (
    exported_vehicle_register_abroad,
    exported_vehicles_register,
    first_registrations_import,
)
from aftersales.services.letter_requests import (
    letter_request_create,
    letter_request_refuse,
    letter_request_withdraw,
)
from aftersales.services.letters import letter_issue, letter_revoke
from aftersales.services.obligations import (
    markets_served,
    obligation_recompute_market,
    obligations_recompute,
)
from aftersales.services.outlets import (
    outlet_create,
    outlet_reject,
    outlet_update,
    outlet_verify,
    outlet_withdraw,
)
from aftersales.services.reports import (
    compliance_report_accept,
    compliance_report_query,
    compliance_report_submit,
    compliance_reports_open_due,
)
from aftersales.services.rules import VERIFY_PERMISSION, may_commit_for_brand

__all__ = [
    "compliance_report_accept",
    "compliance_report_query",
    "compliance_report_submit",
    "compliance_reports_open_due",
    "VERIFY_PERMISSION",
    "exported_vehicle_register_abroad",
    "exported_vehicles_register",
    "first_registrations_import",
    "letter_issue",
    "letter_request_create",
    "letter_request_refuse",
    "letter_request_withdraw",
    "letter_revoke",
    "markets_served",
    "may_commit_for_brand",
    "obligation_recompute_market",
    "obligations_recompute",
    "outlet_create",
    "outlet_reject",
    "outlet_update",
    "outlet_verify",
    "outlet_withdraw",
    "spare_parts_commitment_create",
    "spare_parts_commitment_update",
    "spare_parts_commitment_withdraw",
    "warranty_commitment_create",
    "warranty_commitment_update",
    "warranty_commitment_withdraw",
]
