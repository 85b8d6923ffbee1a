"""E-mails about a member's account, written in the member's own language."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from registry.language import in_language_of

# The portal page where a link from these e-mails lands (a URL name, not an import).
SET_PASSWORD_URL_NAME = "portal:password_reset_confirm"


def set_password_link(user: Any) -> str:
    """An absolute one-time link at which the user sets a new password."""
    path = reverse(
        SET_PASSWORD_URL_NAME,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def send_set_password_mail(*, user_id: int, invited: bool) -> None:
    """Send an invitation (or a reset) link to set a password, in the user's language."""
    user = get_user_model().objects.select_related("membership__enterprise").get(pk=user_id)
    context = {"user": user, "link": set_password_link(user), "invited": invited}
    with in_language_of(user):
        subject = render_to_string("registry/emails/set_password_subject.txt", context)
        body = render_to_string("registry/emails/set_password_body.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])
