"""A licence's officer and system actions, and the notices to its holder.

Issuing and exchanging live in issuance.py, customs declarations (the draw-down) in
declarations.py.

A licence's status changes only through `_move` here, by compare-and-swap on (status,
version) with its audit event in the same transaction. `LICENCE_ACTIONS` is the table the
admin buttons, the API and the tests all read.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from config.errors import ActionForbidden, StaleVersion, TransitionNotAllowed
from config.public import public_url
from licensing.models import Licence
from registry.language import notify_in_their_language, notify_new_target_in_their_languages
from registry.models import Membership

S = Licence.Status
ACT_PERMISSION = "licensing.act_on_licence"
OFFICER = "officer"
SYSTEM = "system"


@dataclass(frozen=True)
class LicenceAction:
    """One row of the licence status table."""

    action: str
    sources: tuple[str, ...]
    target: str
    who: str
    verb: str
    label: str


LICENCE_ACTIONS: dict[str, LicenceAction] = {
    a.action: a
    for a in (
        LicenceAction(
            "suspend", (S.ACTIVE,), S.SUSPENDED, OFFICER, "licensing.licence.suspended", "Suspend"
        ),
        LicenceAction(
            "reinstate",
            (S.SUSPENDED,),
            S.ACTIVE,
            OFFICER,
            "licensing.licence.reinstated",
            "Reinstate",
        ),
        LicenceAction(
            "revoke",
            (S.ACTIVE, S.SUSPENDED),
            S.REVOKED,
            OFFICER,
            "licensing.licence.revoked",
            "Revoke",
        ),
        LicenceAction(
            "expire",
            (S.ACTIVE, S.SUSPENDED),
            S.EXPIRED,
            SYSTEM,
            "licensing.licence.expired",
            "Expire",
        ),
        LicenceAction(
            "exhaust", (S.ACTIVE,), S.EXHAUSTED, SYSTEM, "licensing.licence.exhausted", "Exhaust"
        ),
        LicenceAction(
            "exchange",
            (S.ACTIVE,),
            S.EXCHANGED,
            SYSTEM,
            "licensing.licence.exchanged",
            "Exchange",
        ),
    )
}
OFFICER_ACTIONS = tuple(a for a, spec in LICENCE_ACTIONS.items() if spec.who == OFFICER)


# --- status actions -------------------------------------------------------------------


def licence_suspend(
    *, licence: Licence, actor: Any, reason: str, expected_version: int | None = None
) -> Licence:
    """Suspend an active licence (officer, with a reason)."""
    return licence_act(
        licence=licence,
        action="suspend",
        actor=actor,
        reason=reason,
        expected_version=expected_version,
    )


def licence_reinstate(
    *, licence: Licence, actor: Any, reason: str, expected_version: int | None = None
) -> Licence:
    """Reinstate a suspended licence (officer, with a reason)."""
    return licence_act(
        licence=licence,
        action="reinstate",
        actor=actor,
        reason=reason,
        expected_version=expected_version,
    )


def licence_revoke(
    *, licence: Licence, actor: Any, reason: str, expected_version: int | None = None
) -> Licence:
    """Revoke an active or suspended licence for good (officer, with a reason)."""
    return licence_act(
        licence=licence,
        action="revoke",
        actor=actor,
        reason=reason,
        expected_version=expected_version,
    )


def licence_expire(*, licence: Licence, as_of: date | None = None) -> Licence:
    """Mark a licence past its last valid day as expired (system)."""
    day = as_of or timezone.localdate()
    if licence.valid_until >= day:
        raise TransitionNotAllowed(_("The licence is still within its validity."))
    return _system_move(licence, "expire", _("Validity ended on %s") % licence.valid_until)


def licence_exhaust(*, licence: Licence) -> Licence:
    """Mark a licence with nothing or no declarations left as exhausted (system)."""
    return _system_move(licence, "exhaust", _("Fully used"))


def licence_act(
    *,
    licence: Licence,
    action: str,
    actor: Any,
    reason: str,
    expected_version: int | None = None,
) -> Licence:
    """Take an officer action on a licence; the one entry point for the admin and the API."""
    spec = LICENCE_ACTIONS[action]
    if spec.who != OFFICER:
        raise ActionForbidden(_("Only the system may %s a licence.") % spec.label.lower())
    check_officer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for this action.")]})
    check_source(licence=licence, action=action)
    if expected_version is not None and expected_version != licence.version:
        raise StaleVersion(_("The licence has changed since you loaded it; reload it."))
    with transaction.atomic():
        _move(licence, spec, actor, reason)
        notify_holder(licence, f"licence_{action}", _status_subject(licence))
    return licence


def check_officer(actor: Any) -> None:
    """Raise ActionForbidden unless the actor is a staff user who may act on licences."""
    if not (actor is not None and actor.is_active and actor.is_staff):
        raise ActionForbidden(_("Only a licensing officer may do this."))
    if not actor.has_perm(ACT_PERMISSION):
        raise ActionForbidden(_("Only a licensing officer may do this."))


def check_source(*, licence: Licence, action: str) -> None:
    """Raise TransitionNotAllowed unless the licence's status lets the action start."""
    spec = LICENCE_ACTIONS[action]
    if licence.status not in spec.sources:
        raise TransitionNotAllowed(
            _("Cannot %(action)s a licence that is %(status)s.")
            % {"action": spec.label.lower(), "status": licence.get_status_display().lower()}
        )


def licence_actions_available(*, actor: Any, licence: Licence) -> list[str]:
    """The officer actions this actor may take on this licence now (for buttons)."""
    try:
        check_officer(actor)
    except ActionForbidden:
        return []
    return [a for a in OFFICER_ACTIONS if licence.status in LICENCE_ACTIONS[a].sources]


def _system_move(licence: Licence, action: str, reason: str) -> Licence:
    check_source(licence=licence, action=action)
    with transaction.atomic():
        _move(licence, LICENCE_ACTIONS[action], None, reason)
        notify_holder(licence, f"licence_{action}", _status_subject(licence))
    return licence


def _move(licence: Licence, spec: LicenceAction, actor: Any, reason: str) -> None:
    """Compare-and-swap the status and audit it; the caller holds the transaction."""
    old_status, version = licence.status, licence.version
    moved = Licence.objects.filter(pk=licence.pk, status=old_status, version=version).update(
        status=spec.target, version=F("version") + 1, status_reason=reason
    )
    if not moved:
        current = Licence.objects.filter(pk=licence.pk).values_list("status", flat=True).first()
        if current not in spec.sources:
            raise TransitionNotAllowed(_("Someone else has already changed this licence."))
        raise StaleVersion(_("The licence has changed since you loaded it; reload it."))
    licence.status, licence.version, licence.status_reason = spec.target, version + 1, reason
    audit_record(
        actor=actor,
        verb=spec.verb,
        target=licence,
        enterprise_id=licence.holder_id,
        payload={"old_status": old_status, "new_status": spec.target, "reason": reason},
    )


# --- notifications --------------------------------------------------------------------


def _status_subject(licence: Licence) -> Callable[[], str]:
    return lambda: (
        _("Licence %(number)s is now %(status)s")
        % {
            "number": licence.number,
            "status": licence.get_status_display().lower(),
        }
    )


def notify_holder(
    licence: Licence,
    kind: str,
    subject: Callable[[], str],
    due_on: date | None = None,
    *,
    new: bool = False,
) -> int:
    """Queue a notice to every active member of the holder, each in their own language.

    ``new``: the licence was created in this transaction, so nothing about it can have been
    queued yet and every row goes in one INSERT.
    """

    def write() -> tuple[str, str]:
        text = subject()
        return text, _holder_notice_body(licence, text)

    members = Membership.objects.filter(enterprise_id=licence.holder_id, is_active=True)
    if new and due_on is None:
        users = [m.user for m in members.select_related("user__profile")]
        return notify_new_target_in_their_languages(
            recipients=users, write=write, kind=kind, target=licence
        )
    queued = 0
    for membership in members.select_related("user"):
        notice = notify_in_their_language(
            recipient=membership.user, write=write, kind=kind, target=licence, due_on=due_on
        )
        queued += notice is not None
    return queued


def _holder_notice_body(licence: Licence, subject: str) -> str:
    body = _(
        "%(subject)s.\nLicence %(number)s, status: %(status)s, valid %(start)s to %(end)s."
    ) % {
        "subject": subject,
        "number": licence.number,
        "status": licence.get_status_display(),
        "start": licence.valid_from,
        "end": licence.valid_until,
    }
    return (
        body
        + "\n"
        + _("Check it at %(url)s") % {"url": public_url("licence-verify", licence.number)}
    )
