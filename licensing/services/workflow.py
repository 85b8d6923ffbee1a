"""Every write to a case: one service per workflow action, evidence (drafts: drafts.py).

Statuses change only through `transition_apply` (compare-and-swap + audit event in one
transaction); notifications go to the outbox inside that transaction and are delivered after
commit by the notifications app.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from config.errors import (
    ActionForbidden,
    Conflict,
    TransitionNotAllowed,
)
from config.uploads import inspect_upload, safe_filename, store_upload
from licensing.models import Case, Document, EligibilityCheck, InformationRequest
from licensing.services import notices, outcomes, screening
from licensing.services.drafts import case_create, case_update  # noqa: F401 — re-exported
from licensing.services.transitions import (
    ASSESS_PERMISSION,
    FINAL_STATUSES,
    check_permission,
    is_applicant_member,
    transition_apply,
)
from licensing.services.validation import (
    completeness_problems,
)

Actor = Any

DEFAULT_APPEAL_INFORMATION = _(
    "You may apply for administrative reconsideration within 60 days of receiving this "
    "decision, or bring an administrative lawsuit within 6 months."
)


class EligibilityNotMet(Conflict):
    """Approval was asked for while a screening check fails without an override."""

    code = "eligibility_failed"


def _now() -> Any:
    return timezone.now()


def case_submit(*, actor: Actor, case: Case, expected_version: int | None = None) -> Case:
    """Hand a complete draft to the ministry and screen it."""
    check_permission(actor=actor, case=case, action="submit")
    problems = completeness_problems(case) if case.status == Case.Status.DRAFT else {}
    if problems:
        raise ValidationError(problems)

    def after(moved: Case) -> None:
        screening.screen_case(case=moved)

    return transition_apply(
        case=case,
        action="submit",
        actor=actor,
        expected_version=expected_version,
        fields={"submitted_at": _now()},
        after=after,
    )


def case_withdraw(
    *, actor: Actor, case: Case, reason: str = "", expected_version: int | None = None
) -> Case:
    """Withdraw an application that has not been decided."""
    check_permission(actor=actor, case=case, action="withdraw")
    return transition_apply(
        case=case,
        action="withdraw",
        actor=actor,
        expected_version=expected_version,
        payload={"reason": reason[:2000]},
        after=notices.on_withdrawn,
    )


def case_assign(
    *,
    actor: Actor,
    case: Case,
    assignee: Any | None = None,
    expected_version: int | None = None,
) -> Case:
    """Put a submitted case under review by a caseworker (the actor by default)."""
    check_permission(actor=actor, case=case, action="assign")
    assignee = assignee or actor
    if not (assignee.is_active and assignee.is_staff and assignee.has_perm(ASSESS_PERMISSION)):
        raise ValidationError({"assignee": _("The assignee must be a caseworker.")})
    return transition_apply(
        case=case,
        action="assign",
        actor=actor,
        expected_version=expected_version,
        fields={"assigned_to": assignee},
        payload={"assignee": assignee.get_username()},
        after=notices.on_assigned,
    )


def case_request_info(
    *,
    actor: Actor,
    case: Case,
    question: str,
    due_on: date,
    expected_version: int | None = None,
) -> Case:
    """Ask the applicant a question; the SLA clock pauses until they answer."""
    check_permission(actor=actor, case=case, action="request_info")
    errors = {}
    if not (question or "").strip():
        errors["question"] = _("Ask a question.")
    if due_on is None or due_on <= timezone.localdate():
        errors["due_on"] = _("The answer must be due after today.")
    if errors:
        raise ValidationError(errors)

    def after(moved: Case) -> None:
        InformationRequest.objects.create(
            case=moved, question=question.strip(), due_on=due_on, asked_by=actor, asked_at=_now()
        )
        notices.on_info_requested(moved)

    return transition_apply(
        case=case,
        action="request_info",
        actor=actor,
        expected_version=expected_version,
        payload={"question": question.strip(), "due_on": due_on.isoformat()},
        after=after,
    )


def case_respond(
    *,
    actor: Actor,
    case: Case,
    answer: str,
    attachments: Sequence[UploadedFile] = (),
    expected_version: int | None = None,
) -> Case:
    """Answer the open information request, with any attachments; the SLA clock resumes."""
    check_permission(actor=actor, case=case, action="respond")
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Give an answer.")})
    for upload in attachments:
        inspect_upload(upload, upload.size)
    question = case.information_requests.filter(answered_at__isnull=True).first()

    def after(moved: Case) -> None:
        for upload in attachments:
            document_add(
                actor=actor,
                case=moved,
                doc_type=Document.DocType.RESPONSE,
                upload=upload,
                information_request=question,
            )
        moved.information_requests.filter(answered_at__isnull=True).update(
            answer=answer.strip(), answered_by=actor, answered_at=_now()
        )
        notices.on_responded(moved)

    return transition_apply(
        case=case,
        action="respond",
        actor=actor,
        expected_version=expected_version,
        payload={"answer": answer.strip()[:2000]},
        after=after,
    )


def _outcome_and_reasons(outcome: str, reasons: str) -> tuple[str, str]:
    errors = {}
    if outcome not in Case.Outcome.values:
        errors["outcome"] = _("Choose approve or refuse.")
    if not (reasons or "").strip():
        errors["reasons"] = _("Give the reasons.")
    if errors:
        raise ValidationError(errors)
    return outcome, reasons.strip()


def _require_eligible(case: Case) -> None:
    failing = [c.code for c in case.eligibility_checks.all() if not c.satisfied]
    if failing:
        raise EligibilityNotMet(
            _("Approval needs every eligibility check passed or overridden; failing: %(codes)s.")
            % {"codes": ", ".join(failing)}
        )


def case_recommend(
    *,
    actor: Actor,
    case: Case,
    outcome: str,
    reasons: str,
    expected_version: int | None = None,
) -> Case:
    """Recommend approval or refusal to a licensing officer."""
    check_permission(actor=actor, case=case, action="recommend")
    outcome, reasons = _outcome_and_reasons(outcome, reasons)
    if outcome == Case.Outcome.APPROVE and case.status == Case.Status.UNDER_REVIEW:
        if not case.eligibility_checks.exists():
            screening.screen_case(case=case)
        _require_eligible(case)
    return transition_apply(
        case=case,
        action="recommend",
        actor=actor,
        expected_version=expected_version,
        fields={
            "recommendation": outcome,
            "recommendation_reasons": reasons,
            "recommended_by": actor,
            "recommended_at": _now(),
        },
        payload={"outcome": outcome, "reasons": reasons},
    )


def case_decide(
    *,
    actor: Actor,
    case: Case,
    outcome: str,
    reasons: str,
    appeal_information: str = "",
    expected_version: int | None = None,
) -> Case:
    """Approve or refuse a recommended case; never by the person who recommended it."""
    check_permission(actor=actor, case=case, action="decide")
    outcome, reasons = _outcome_and_reasons(outcome, reasons)
    if outcome == Case.Outcome.APPROVE and case.status == Case.Status.RECOMMENDED:
        # Re-screen in its own transaction: a check that newly fails stays visible.
        screening.screen_case(case=case)
        _require_eligible(case)
    approve = outcome == Case.Outcome.APPROVE
    appeal = "" if approve else (appeal_information.strip() or str(DEFAULT_APPEAL_INFORMATION))

    def after(moved: Case) -> None:
        if approve:
            outcomes.apply_approval(case=moved, actor=actor)
        notices.on_decided(moved)

    return transition_apply(
        case=case,
        action="decide",
        actor=actor,
        target=Case.Status.APPROVED if approve else Case.Status.REFUSED,
        expected_version=expected_version,
        fields={
            "decision": outcome,
            "decision_reasons": reasons,
            "appeal_information": appeal,
            "decided_by": actor,
            "decided_at": _now(),
        },
        payload={"outcome": outcome, "reasons": reasons},
        after=after,
    )


def case_return(
    *, actor: Actor, case: Case, reason: str, expected_version: int | None = None
) -> Case:
    """Send a recommendation back to the caseworker for more work."""
    check_permission(actor=actor, case=case, action="return")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the case goes back.")})
    return transition_apply(
        case=case,
        action="return",
        actor=actor,
        expected_version=expected_version,
        fields={
            "return_reason": reason.strip(),
            "recommendation": "",
            "recommendation_reasons": "",
            "recommended_by": None,
            "recommended_at": None,
        },
        payload={"reason": reason.strip()},
        after=notices.on_returned,
    )


def eligibility_override(*, actor: Actor, case: Case, code: str, reason: str) -> EligibilityCheck:
    """Accept a failed screening check, with the assigned caseworker's written reason."""
    if not (actor.is_staff and actor.has_perm(ASSESS_PERMISSION)) or (
        case.assigned_to_id != actor.pk
    ):
        raise ActionForbidden(_("Only the caseworker assigned to the case may override a check."))
    if case.status != Case.Status.UNDER_REVIEW:
        raise TransitionNotAllowed(_("Checks can be overridden only while the case is reviewed."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for overriding the check.")})
    with transaction.atomic():
        check = case.eligibility_checks.select_for_update().filter(code=code).first()
        if check is None:
            raise ValidationError({"code": _("No such check on this case.")})
        if check.passed:
            raise ValidationError({"code": _("This check passed; there is nothing to override.")})
        if code in screening.MANDATORY_CHECKS:
            raise ValidationError({"code": _("The law allows no exception to this check.")})
        check.overridden, check.override_reason = True, reason.strip()
        check.overridden_by, check.overridden_at = actor, _now()
        check.save(
            update_fields=["overridden", "override_reason", "overridden_by", "overridden_at"]
        )
        audit_record(
            actor=actor,
            verb="licensing.eligibility.overridden",
            target=case,
            enterprise_id=case.applicant_id,
            payload={"code": code, "detail": check.detail, "reason": check.override_reason},
        )
    return check


def document_add(
    *,
    actor: Actor,
    case: Case,
    doc_type: str,
    upload: UploadedFile,
    information_request: InformationRequest | None = None,
) -> Document:
    """Store a piece of evidence after checking what its bytes really are."""
    if not is_applicant_member(actor, case):
        raise ActionForbidden(_("Only members of the applicant enterprise may add evidence."))
    if case.status in FINAL_STATUSES or case.status == Case.Status.RECOMMENDED:
        raise TransitionNotAllowed(_("Evidence can no longer be added to this case."))
    if doc_type not in Document.DocType.values:
        raise ValidationError({"doc_type": _("Choose a document type.")})
    content_type, sha256 = inspect_upload(upload, upload.size)
    document = Document(
        case=case,
        information_request=information_request,
        doc_type=doc_type,
        original_name=safe_filename(upload.name or "", content_type),
        content_type=content_type,
        size=upload.size,
        sha256=sha256,
        uploaded_by=actor,
    )
    store_upload(
        document,
        "file",
        upload,
        refusal=_(
            "The document could not be stored: the server is out of space. Nothing was saved."
        ),
        record=lambda: _record_document(actor, case, document),
    )
    return document


def _record_document(actor: Actor, case: Case, document: Document) -> None:
    with transaction.atomic():
        document.save(force_insert=True)
        audit_record(
            actor=actor,
            verb="licensing.document.added",
            target=case,
            enterprise_id=case.applicant_id,
            payload={
                "document": document.pk,
                "doc_type": document.doc_type,
                "name": document.original_name,
                "sha256": document.sha256,
                "size": document.size,
            },
        )
