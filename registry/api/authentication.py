"""Token authentication: named tokens from the portal, then the one token of /auth/token/."""

from datetime import timedelta
from typing import Any

from django.utils import timezone
from rest_framework.authentication import TokenAuthentication

from registry.api_tokens import ApiToken, hash_key

# Record use at most this often, so a busy script does not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class NamedTokenAuthentication(TokenAuthentication):
    """Accept a live named token of an active user, else DRF's per-user token."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        token = (
            ApiToken.objects.live()
            .select_related("user")
            .filter(key_hash=hash_key(key), user__is_active=True)
            .first()
        )
        if token is None:
            return super().authenticate_credentials(key)
        _note_use(token)
        return token.user, token


def _note_use(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
