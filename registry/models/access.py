"""Who sees what in the registry: staff see all, portal members their own enterprise."""

from typing import Any


def staff_sees_all(user: Any) -> bool:
    """Active staff read the whole registry; their edit rights come from their role."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def member_enterprise_id(user: Any) -> int | None:
    """Return the enterprise id of an active portal member, or None."""
    if not (user.is_authenticated and user.is_active):
        return None
    membership = getattr(user, "membership", None)
    if membership is None or not membership.is_active:
        return None
    return membership.enterprise_id


def member_may_apply(user: Any) -> bool:
    """Whether an active member's role (admin or applicant) lets them apply and keep records."""
    return member_enterprise_id(user) is not None and bool(user.membership.may_apply)
