"""Logins and failed logins become audit events (passwords are never recorded)."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from audit.services import audit_record


def _ip(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in, dispatch_uid="audit.login")
def record_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Record a successful login."""
    audit_record(actor=user, verb="auth.user.logged_in", target=user, ip=_ip(request))


@receiver(user_login_failed, dispatch_uid="audit.login_failed")
def record_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Record a failed login with the username tried; Django has already masked secrets."""
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        actor=None,
        verb="auth.user.login_failed",
        target=("auth.user", username[:64], username),
        payload={"username": username},
        ip=_ip(request),
    )
