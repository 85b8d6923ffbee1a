"""Staff two-factor authentication (TOTP with backup codes): enrol, verify, reset.

Every step is an audit event. Wrong codes are counted per user like wrong passwords: after
LOGIN_FAILURE_LIMIT of them within the cool-off, codes are refused until it has passed.
"""

import base64
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_record
from config.errors import ActionForbidden

BACKUP_CODES = 10


class OTPLockedOut(ActionForbidden):
    """Too many wrong codes for this user; wait for the cool-off."""

    code = "otp_locked_out"
    status = 429


def has_confirmed_device(user: Any) -> bool:
    """Whether the user has finished enrolment."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def enrolment_device(*, user: Any) -> TOTPDevice:
    """Return the user's unconfirmed authenticator, creating one with a fresh secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def enrolment_qr_data_uri(device: TOTPDevice) -> str:
    """Render the device's otpauth:// address as an SVG QR code data URI."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def otp_enrol_confirm(*, actor: Any, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm enrolment with a first code; return the device and fresh backup codes."""
    _refuse_if_locked_out(actor)
    device = enrolment_device(user=actor)
    if not device.verify_token(token):
        _record_failure(actor, "enrol")
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_backup_codes(actor)
        audit_record(actor=actor, verb="auth.otp.enrolled", target=actor, payload={})
    cache.delete(_failures_key(actor))
    return device, codes


def otp_verify(*, actor: Any, token: str) -> Any:
    """Match a code against the user's confirmed devices; return the device or None."""
    _refuse_if_locked_out(actor)
    device = match_token(actor, token)
    if device is None:
        _record_failure(actor, "verify")
        return None
    kind = "backup" if isinstance(device, StaticDevice) else "authenticator"
    audit_record(actor=actor, verb="auth.otp.verified", target=actor, payload={"device": kind})
    cache.delete(_failures_key(actor))
    return device


@transaction.atomic
def otp_reset(*, actor: Any, user: Any) -> int:
    """Remove every second factor of a user (superusers only); they enrol again at next login."""
    if not actor.is_superuser:
        raise ActionForbidden(_("Only a superuser may reset two-factor authentication."))
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    audit_record(actor=actor, verb="auth.otp.reset", target=user, payload={"removed": removed})
    return removed


def _new_backup_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _failures_key(user: Any) -> str:
    return f"otp-failures:{user.pk}"


def _refuse_if_locked_out(user: Any) -> None:
    if cache.get(_failures_key(user), 0) >= settings.AXES_FAILURE_LIMIT:
        raise OTPLockedOut(_("Too many wrong codes; try again later."))


def _record_failure(user: Any, step: str) -> None:
    key, cooloff = _failures_key(user), int(settings.AXES_COOLOFF_TIME * 3600)
    cache.add(key, 0, cooloff)
    failures = cache.incr(key)
    audit_record(
        actor=user, verb="auth.otp.failed", target=user, payload={"step": step, "n": failures}
    )
