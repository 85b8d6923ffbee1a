"""What an approval creates, inside the deciding transaction."""

from typing import Any

from licensing.models import Case
from licensing.services.issuance import licence_issue_for_case
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
    # Licence and exchange cases: the licence is issued in the deciding transaction.
    licence_issue_for_case(case=case, actor=actor)
