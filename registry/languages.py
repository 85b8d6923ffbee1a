"""The language each member reads the portal, its notifications and e-mails in."""

from contextlib import AbstractContextManager
from typing import Any

from django.conf import settings
from django.utils import translation


def preferred_language(user: Any) -> str:
    """The language a user chose on the portal, else the site's default."""
    membership = getattr(user, "membership", None)
    return getattr(membership, "language", "") or settings.LANGUAGE_CODE


def in_language_of(user: Any) -> AbstractContextManager[None]:
    """Render what follows in the user's chosen language."""
    return translation.override(preferred_language(user))
