"""What an approval creates, inside the deciding transaction."""

from typing import Any

from audit.services import audit_record
from licensing.models import Case
from registry.services import qualification_grant


def apply_approval(*, case: Case, actor: Any) -> None:
    """Create the approved case's outcome: a qualification, or hand over to licence issuance."""
    if case.kind == Case.Kind.QUALIFICATION:
        qualification_grant(
            actor=actor,
            enterprise=case.applicant,
            year=case.year,
            qualification_class=case.qualification_class,
            source_case_reference=case.reference,
        )
        return
    # Licence and exchange cases: issuance plugs in here without changing the workflow.
    audit_record(
        actor=actor,
        verb="licensing.case.approval_recorded",
        target=case,
        enterprise_id=case.applicant_id,
        payload={"kind": case.kind, "awaiting": "licence issuance"},
    )
