"""Breaches: opened by a caseworker or by the daily run, investigated, decided four-eyes.

The outcome's effect on the enterprise's qualification and the negative list is applied
here through the registry's services; suspending licences is licensing's business, done
by ``licensing.services.breach_outcomes`` in the same transaction as the decision.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.models import Breach, BreachNote, ComplianceReport, Obligation
from aftersales.services.rules import Actor, checked_reason
from audit.services import audit_record
from config.errors import ActionForbidden, FourEyesViolation, StaleVersion, TransitionNotAllowed
from notifications.services import notification_enqueue
from registry.models import Brand, Country, Enterprise, Qualification
from registry.selectors import acting_members
from registry.services import enterprise_update, qualification_set_status

B = Breach.Status
OUT = Breach.Outcome
INVESTIGATE = "aftersales.investigate_breach"
DECIDE = "aftersales.decide_breach"
REFUSALS = {
    "recommend": gettext_lazy("Only a breach under investigation can get a recommendation."),
    "return": gettext_lazy("Only a recommended breach can be returned."),
    "decide": gettext_lazy("Only a recommended breach can be decided."),
}


def _require(actor: Actor, permission: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise ActionForbidden(_("You may not take this action on breaches."))


def breach_open(
    *,
    actor: Actor,
    enterprise: Enterprise,
    finding: str,
    severity: str,
    brand: Brand | None = None,
    country: Country | None = None,
) -> Breach:
    """Open a breach on a caseworker's finding."""
    _require(actor, INVESTIGATE)
    breach = Breach(
        enterprise=enterprise,
        brand=brand,
        country=country,
        source=Breach.Source.CASEWORKER,
        severity=severity,
        finding=checked_reason(finding, required=True),
        opened_by=actor,
    )
    breach.full_clean()
    with transaction.atomic():
        breach.save()
        _audit(actor, breach, "opened", {"finding": breach.finding, "severity": severity})
    return breach


def breaches_open_automatic(*, today: date | None = None) -> int:
    """Open a breach for each breached obligation and each long-overdue report (once)."""
    today = today or timezone.localdate()
    overdue = today - timedelta(days=settings.BREACH_REPORT_OVERDUE_DAYS)
    opened = 0
    for obligation in Obligation.objects.filter(status=Obligation.Status.BREACHED).exclude(
        breaches__status__in=[B.OPEN, B.RECOMMENDED]
    ):
        opened += _open_automatic(obligation=obligation, source=Breach.Source.OBLIGATION)
    for report in ComplianceReport.objects.filter(
        status=ComplianceReport.Status.DUE, due_on__lt=overdue
    ).exclude(breaches__status__in=[B.OPEN, B.RECOMMENDED]):
        opened += _open_automatic(report=report, source=Breach.Source.REPORT_OVERDUE)
    return opened


def _open_automatic(*, source: str, obligation: Obligation | None = None, report=None) -> int:  # type: ignore[no-untyped-def]
    record = obligation or report
    finding = (
        _("Obligation breached: %(reason)s") % {"reason": obligation.reason}
        if obligation
        else _("Compliance report for %(report)s not submitted; due on %(day)s.")
        % {"report": report, "day": report.due_on}
    )
    breach = Breach(
        enterprise_id=record.enterprise_id,
        brand_id=getattr(obligation, "brand_id", None),
        country_id=record.country_id,
        obligation=obligation,
        report=report,
        source=source,
        severity=Breach.Severity.HIGH if obligation else Breach.Severity.MEDIUM,
        finding=finding,
    )
    with transaction.atomic():
        breach.save()
        _audit(None, breach, "opened", {"finding": finding, "source": source})
    return 1


def breach_add_note(*, actor: Actor, breach: Breach, text: str, evidence: str = "") -> BreachNote:
    """Add an investigation note (with an evidence reference) to an undecided breach."""
    _require(actor, INVESTIGATE)
    if breach.status == B.DECIDED:
        raise TransitionNotAllowed(_("A decided breach takes no more notes."))
    note = BreachNote(breach=breach, author=actor, text=checked_reason(text, required=True))
    note.evidence = evidence.strip()
    note.full_clean()
    with transaction.atomic():
        note.save()
        _audit(actor, breach, "noted", {"note": note.text, "evidence": note.evidence})
    return note


def breach_recommend(*, actor: Actor, breach: Breach, outcome: str, reasons: str) -> Breach:
    """Recommend an outcome, with reasons, for an officer to decide."""
    _require(actor, INVESTIGATE)
    if outcome not in OUT.values:
        raise TransitionNotAllowed(_("Choose one of the listed outcomes."))
    if outcome == OUT.LICENCE_SUSPENSION and not (breach.brand_id and breach.country_id):
        raise TransitionNotAllowed(_("Suspending licences needs the breach's brand and market."))
    reasons = checked_reason(reasons, required=True)
    fields = {"recommended_outcome": outcome, "recommendation": reasons, "recommended_by": actor}
    return _move(actor, breach, "recommend", fields, {"outcome": outcome, "reasons": reasons})


def breach_return(*, actor: Actor, breach: Breach, reason: str) -> Breach:
    """Send a recommendation back for more investigation."""
    _require(actor, DECIDE)
    reason = checked_reason(reason, required=True)
    return _move(actor, breach, "return", {"recommended_by": None}, {"reason": reason})


def breach_decide(*, actor: Actor, breach: Breach, reasons: str) -> Breach:
    """Decide the recommended outcome (never by its recommender) and apply its registry part."""
    _require(actor, DECIDE)
    if actor is not None and breach.recommended_by_id == actor.pk:
        raise FourEyesViolation(_("You recommended this outcome; another officer must decide."))
    reasons = checked_reason(reasons, required=True)
    fields = {
        "outcome": breach.recommended_outcome,
        "decision": reasons,
        "decided_by": actor,
        "decided_at": timezone.now(),
    }
    with transaction.atomic():
        breach = _move(actor, breach, "decide", fields, {"outcome": breach.recommended_outcome})
        _apply_registry_outcome(actor, breach)
        _notify(breach)
    return breach


def _apply_registry_outcome(actor: Actor, breach: Breach) -> None:
    reason = _("After-sales breach: %(finding)s") % {"finding": breach.finding[:200]}
    if breach.outcome in (OUT.QUALIFICATION_SUSPENSION, OUT.QUALIFICATION_CANCELLATION):
        action = "suspend" if breach.outcome == OUT.QUALIFICATION_SUSPENSION else "cancel"
        for qualification in Qualification.objects.filter(
            enterprise_id=breach.enterprise_id,
            status__in=[Qualification.Status.GRANTED, Qualification.Status.SUSPENDED],
        ):
            if action == "cancel" or qualification.status == Qualification.Status.GRANTED:
                qualification_set_status(
                    actor=actor, qualification=qualification, action=action, reason=reason
                )
    if breach.outcome == OUT.NEGATIVE_LIST:
        enterprise_update(
            actor=actor,
            enterprise=breach.enterprise,
            data={"negative_listed": True, "negative_list_reason": reason},
        )


def _notify(breach: Breach) -> None:
    subject = _("Decision on an after-sales breach: %(outcome)s") % {
        "outcome": breach.get_outcome_display()
    }
    members = get_user_model().objects.filter(
        acting_members("membership"), membership__enterprise_id=breach.enterprise_id
    )
    for user in members:
        notification_enqueue(
            recipient=user, kind="aftersales.breach.decided", target=breach, subject=subject,
            body=f"{subject}\n\n{breach.finding}\n\n{breach.decision}",
        )  # fmt: skip


def _move(actor: Actor, breach: Breach, action: str, fields: dict, payload: dict) -> Breach:
    """Compare-and-swap the status on (status, version) and audit the move."""
    sources, target = Breach.TRANSITIONS[action]
    with transaction.atomic():
        updated = Breach.objects.filter(
            pk=breach.pk, version=breach.version, status__in=sources
        ).update(status=target, version=F("version") + 1, **fields)
        if not updated:
            if Breach.objects.get(pk=breach.pk).version != breach.version:
                raise StaleVersion(_("The breach was changed meanwhile; reload it."))
            raise TransitionNotAllowed(str(REFUSALS[action]))
        old = breach.status
        breach.refresh_from_db()
        _audit(actor, breach, VERBS[action], {"changes": {"status": [old, target]}, **payload})
    return breach


VERBS = {"recommend": "recommended", "return": "returned", "decide": "decided"}


def _audit(actor: Actor, breach: Breach, verb: str, payload: dict) -> None:
    audit_record(
        actor=actor,
        verb=f"aftersales.breach.{verb}",
        target=breach,
        enterprise_id=breach.enterprise_id,
        payload=payload,
    )
