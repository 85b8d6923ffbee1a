"""Which people hear about a case's moves; rows go to the outbox in the same transaction.

Each notice is written per recipient, in the language they chose (see registry.language).
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from config.public import public_url
from licensing.models import Case
from registry.language import notify_in_their_language
from registry.models import Membership

Write = Callable[[], tuple[str, str]]


def _enqueue(recipients: Any, case: Case, kind: str, write: Write, **extra: Any) -> None:
    """Queue one notice per recipient; `write` gives (subject, body) in the current language."""
    for recipient in recipients:
        notify_in_their_language(recipient=recipient, write=write, kind=kind, target=case, **extra)


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
    write: Write = lambda: (_("Case %s assigned to you") % case, "")  # noqa: E731
    _enqueue(_caseworker(case), case, "case_assigned", write)


def on_info_requested(case: Case) -> None:
    """Tell the applicant's users what is asked and by when."""
    request = case.information_requests.filter(answered_at__isnull=True).last()
    question = request.question if request else ""
    _enqueue(
        _applicant_users(case),
        case,
        "case_info_requested",
        lambda: (_("Information requested on case %s") % case, question),
        due_on=request.due_on if request else None,
    )


def on_responded(case: Case) -> None:
    """Tell the caseworker the applicant has answered."""
    write: Write = lambda: (_("Answer received on case %s") % case, "")  # noqa: E731
    _enqueue(_caseworker(case), case, "case_responded", write)


def on_returned(case: Case) -> None:
    """Tell the caseworker the officer sent the case back."""
    write: Write = lambda: (_("Case %s returned") % case, case.return_reason)  # noqa: E731
    _enqueue(_caseworker(case), case, "case_returned", write)


def on_withdrawn(case: Case) -> None:
    """Tell the caseworker, if any, that the applicant withdrew."""
    write: Write = lambda: (_("Case %s withdrawn") % case, "")  # noqa: E731
    _enqueue(_caseworker(case), case, "case_withdrawn", write)


def on_decided(case: Case) -> None:
    """Tell the applicant's users the decision and its reasons."""

    def write() -> tuple[str, str]:
        subject = _("Case %(case)s: %(decision)s") % {
            "case": case,
            "decision": case.get_status_display(),
        }
        url = public_url("portal:case_detail", case.pk)
        link = _("Read it in the portal: %(url)s") % {"url": url}
        parts = [case.decision_reasons, case.appeal_information, link]
        return subject, "\n\n".join(filter(None, parts))

    _enqueue(_applicant_users(case), case, "case_decided", write)
