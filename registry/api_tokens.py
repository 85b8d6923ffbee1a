"""Named API tokens: many per user, stored only as a hash, revocable one by one."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_BYTES = 20  # 40 hex characters, like the tokens of POST /api/v1/auth/token/


def hash_key(key: str) -> str:
    """The stored form of a key: its SHA-256 (the key itself is random, so no salt is needed)."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    """A fresh random key, shown to its creator once and never stored."""
    return secrets.token_hex(KEY_BYTES)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self) -> "ApiTokenQuerySet":
        """Tokens not revoked."""
        return self.filter(revoked_at__isnull=True)

    def of_enterprise(self, enterprise_id: int | None) -> "ApiTokenQuerySet":
        """Tokens whose owner is a member of the enterprise."""
        return self.filter(user__membership__enterprise_id=enterprise_id)


class ApiToken(models.Model):
    """A named key a member's scripts send as `Authorization: Token <key>`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    # The first characters only, so a member can tell their tokens apart.
    key_prefix = models.CharField(_("key begins with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"
