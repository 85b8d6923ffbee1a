"""A breach decision that reaches the licences: after-sales decides, licensing suspends.

After-sales never imports licensing, so the interfaces call this function, which runs the
after-sales decision and the suspension of the enterprise's licences for that brand and
market in one transaction.
"""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.models import Breach
from aftersales.services.breaches import breach_decide
from licensing.models import Licence
from licensing.services.licences import licence_suspend


def breach_decide_and_apply(*, actor: Any, breach: Breach, reasons: str) -> Breach:
    """Decide a breach; if the outcome suspends licences, suspend every active one it covers."""
    with transaction.atomic():
        breach = breach_decide(actor=actor, breach=breach, reasons=reasons)
        if breach.outcome == Breach.Outcome.LICENCE_SUSPENSION:
            reason = _("After-sales breach decided: %(decision)s") % {"decision": breach.decision}
            for licence in Licence.objects.filter(
                holder_id=breach.enterprise_id,
                brand_id=breach.brand_id,
                destination_id=breach.country_id,
                status=Licence.Status.ACTIVE,
            ):
                licence_suspend(licence=licence, actor=actor, reason=reason)
    return breach
