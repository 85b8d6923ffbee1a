"""Which people hear about a case's moves; rows go to the outbox in the same transaction."""

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from config.public import public_url
from licensing.models import Case
from registry.models import Membership


def _enqueue(recipients: Any, case: Case, kind: str, subject: str, body: str, **extra: Any) -> None:
    from notifications.services import notification_enqueue

    for recipient in recipients:
        notification_enqueue(
            recipient=recipient, kind=kind, target=case, subject=subject, body=body, **extra
        )


def _applicant_users(case: Case) -> Any:
    return get_user_model().objects.filter(
        membership__enterprise_id=case.applicant_id,
        membership__is_active=True,
        membership__role__in=(Membership.Role.ADMIN, Membership.Role.APPLICANT),
        is_active=True,
    )


def _caseworker(case: Case) -> list[Any]:
    return [case.assigned_to] if case.assigned_to_id else []


def on_assigned(case: Case) -> None:
    """Tell the caseworker a case is theirs."""
    _enqueue(_caseworker(case), case, "case_assigned", _("Case %s assigned to you") % case, "")


def on_info_requested(case: Case) -> None:
    """Tell the applicant's users what is asked and by when."""
    request = case.information_requests.filter(answered_at__isnull=True).last()
    _enqueue(
        _applicant_users(case),
        case,
        "case_info_requested",
        _("Information requested on case %s") % case,
        request.question if request else "",
        due_on=request.due_on if request else None,
    )


def on_responded(case: Case) -> None:
    """Tell the caseworker the applicant has answered."""
    _enqueue(_caseworker(case), case, "case_responded", _("Answer received on case %s") % case, "")


def on_returned(case: Case) -> None:
    """Tell the caseworker the officer sent the case back."""
    body = case.return_reason
    _enqueue(_caseworker(case), case, "case_returned", _("Case %s returned") % case, body)


def on_withdrawn(case: Case) -> None:
    """Tell the caseworker, if any, that the applicant withdrew."""
    _enqueue(_caseworker(case), case, "case_withdrawn", _("Case %s withdrawn") % case, "")


def on_decided(case: Case) -> None:
    """Tell the applicant's users the decision and its reasons."""
    subject = _("Case %(case)s: %(decision)s") % {
        "case": case,
        "decision": case.get_status_display(),
    }
    link = _("Read it in the portal: %(url)s") % {"url": public_url("portal:case_detail", case.pk)}
    body = "\n\n".join(filter(None, [case.decision_reasons, case.appeal_information, link]))
    _enqueue(_applicant_users(case), case, "case_decided", subject, body)
