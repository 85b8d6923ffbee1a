"""The language each member reads the portal, its notifications and e-mails in."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.conf import settings
from django.utils import translation

from notifications.models import Notification
from notifications.services import notification_enqueue


def preferred_language(user: Any) -> str:
    """The language a user chose on the portal, else the site's default."""
    membership = getattr(user, "membership", None)
    return getattr(membership, "language", "") or settings.LANGUAGE_CODE


def in_language_of(user: Any) -> AbstractContextManager[None]:
    """Render what follows in the user's chosen language."""
    return translation.override(preferred_language(user))


def notify_in_their_language(
    *, recipient: Any, write: Callable[[], tuple[str, str]], **fields: Any
) -> Notification | None:
    """Queue a notice whose subject and body `write` writes in the recipient's language."""
    with in_language_of(recipient):
        subject, body = write()
    return notification_enqueue(
        recipient=recipient,
        subject=subject,
        body=body,
        language=preferred_language(recipient),
        **fields,
    )
