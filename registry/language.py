"""The reader's language, remembered per user on their profile.

Switching (from the admin header or the portal) stores the choice on the profile and in the
session; signing in copies it from the profile to the session; every later request of the
signed-in user is rendered in it, in any browser.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from audit.services import audit_record
from notifications.models import Notification
from notifications.services import notification_enqueue, notifications_enqueue_new_target
from registry.models import UserProfile

SESSION_KEY = "preferred_language"
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def user_language_set(*, actor: AbstractBaseUser, user: AbstractBaseUser, language: str) -> None:
    """Remember a user's language on their profile (audited when it changes)."""
    if language not in LANGUAGE_CODES:
        return
    with transaction.atomic():
        profile, _created = UserProfile.objects.select_for_update().get_or_create(user=user)
        if profile.language == language:
            return
        old, profile.language = profile.language, language
        profile.save(update_fields=["language"])
        audit_record(
            actor=actor,
            verb="registry.user_profile.updated",
            target=profile,
            payload={"changes": {"language": [old, language]}},
        )


def user_language(user: AbstractBaseUser) -> str:
    """The language a user chose, or "" when they have not chosen one."""
    return UserProfile.objects.filter(user=user).values_list("language", flat=True).first() or ""


def preferred_language(user: Any) -> str:
    """The language a user chose, else the site's default."""
    return user_language(user) or settings.LANGUAGE_CODE


def in_language_of(user: Any) -> AbstractContextManager[None]:
    """Render what follows in the user's chosen language."""
    return translation.override(preferred_language(user))


def notify_in_their_language(
    *, recipient: Any, write: Callable[[], tuple[str, str]], **fields: Any
) -> Notification | None:
    """Queue a notice whose subject and body `write` writes in the recipient's language."""
    language = preferred_language(recipient)
    with translation.override(language):
        subject, body = write()
    return notification_enqueue(
        recipient=recipient, subject=subject, body=body, language=language, **fields
    )


def notify_new_target_in_their_languages(
    *, recipients: list[Any], write: Callable[[], tuple[str, str]], kind: str, target: Any
) -> int:
    """Queue one notice per recipient about an object created in this transaction, in one
    INSERT; `write` runs once per language. Load recipients with `select_related("profile")`.
    """
    written: dict[str, tuple[str, str]] = {}
    notices = []
    for recipient in recipients:
        language = _profile_language(recipient) or settings.LANGUAGE_CODE
        if language not in written:
            with translation.override(language):
                written[language] = write()
        notices.append((recipient, language, *written[language]))
    return notifications_enqueue_new_target(notices=notices, kind=kind, target=target)


def _profile_language(user: Any) -> str:
    try:
        return user.profile.language
    except UserProfile.DoesNotExist:
        return ""


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the language like Django's set_language, and remember it for the user."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in LANGUAGE_CODES:
        user_language_set(actor=request.user, user=request.user, language=language)
        request.session[SESSION_KEY] = language
    return response


@receiver(user_logged_in, dispatch_uid="registry.language.on_login")
def _remember_on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    language = user_language(user)
    if request is not None and hasattr(request, "session") and language:
        request.session[SESSION_KEY] = language


class PreferredLanguageMiddleware:
    """Render a signed-in user's pages in the language on their profile."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.session.get(SESSION_KEY) if request.user.is_authenticated else None
        if language in LANGUAGE_CODES:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
