"""What an enterprise administrator does to their company's accounts: members and API tokens.

Every function is one audited action; another enterprise's member or token is not found.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from audit.recording import create_audited, update_audited
from audit.services import audit_record
from config.errors import ActionForbidden, NotFound
from registry.account_mail import send_set_password_mail
from registry.api_tokens import ApiToken, hash_key, new_key
from registry.language import user_language_set
from registry.models import Membership, member_enterprise_id

Actor = AbstractBaseUser


def enterprise_admin_of(actor: Actor) -> int:
    """The enterprise the actor administers; anyone else may not manage members."""
    enterprise_id = member_enterprise_id(actor)
    if enterprise_id is None or actor.membership.role != Membership.Role.ADMIN:
        raise ActionForbidden(_("Only your enterprise's administrators may manage its accounts."))
    return enterprise_id


def membership_invite(
    *, actor: Actor, username: str, email: str, role: str, language: str = ""
) -> Membership:
    """Create a member of the actor's enterprise and e-mail them a link to set a password."""
    enterprise_id = enterprise_admin_of(actor)
    user = _new_user(username=username, email=email)
    with transaction.atomic():
        user.save()
        membership = create_audited(
            Membership(user=user, enterprise_id=enterprise_id, role=role),
            actor=actor,
            verb="registry.membership.invited",
            enterprise_id=enterprise_id,
        )
        user_language_set(actor=actor, user=user, language=language)
        transaction.on_commit(lambda: send_set_password_mail(user_id=user.pk, invited=True))
    return membership


def _new_user(*, username: str, email: str) -> Any:
    user = get_user_model()(username=username.strip(), email=email.strip())
    user.set_unusable_password()
    if not user.email:
        raise ValidationError({"email": _("Give the e-mail address the invitation goes to.")})
    if get_user_model().objects.filter(email__iexact=user.email, is_active=True).exists():
        raise ValidationError({"email": _("Someone already has an account with this address.")})
    user.full_clean()
    return user


def membership_set_role(*, actor: Actor, membership: Membership, role: str) -> Membership:
    """Give a member of the actor's enterprise another role; the last administrator stays."""
    _check_same_enterprise(actor, membership)
    if role != Membership.Role.ADMIN:
        _keep_an_administrator(membership)
    with transaction.atomic():
        return update_audited(
            membership,
            actor=actor,
            verb="registry.membership.role_changed",
            data={"role": role},
            enterprise_id=membership.enterprise_id,
        )


def membership_deactivate(*, actor: Actor, membership: Membership) -> Membership:
    """End a member's access: account, API tokens and open sessions (never one's own)."""
    _check_same_enterprise(actor, membership)
    if membership.user_id == actor.pk:
        raise ActionForbidden(_("You cannot deactivate your own account."), code="self")
    _keep_an_administrator(membership)
    user = membership.user
    with transaction.atomic():
        membership = update_audited(
            membership,
            actor=actor,
            verb="registry.membership.deactivated",
            data={"is_active": False},
            enterprise_id=membership.enterprise_id,
        )
        # An unusable password changes the session hash, so every open session ends.
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        ApiToken.objects.filter(user=user).live().update(revoked_at=timezone.now())
        Token.objects.filter(user=user).delete()
    return membership


def api_token_create(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Create a named token for the actor; return it with its key, which is never shown again."""
    enterprise_id = enterprise_admin_of(actor)
    key = new_key()
    token = ApiToken(user=actor, name=name.strip(), key_hash=hash_key(key), key_prefix=key[:8])
    with transaction.atomic():
        create_audited(
            token, actor=actor, verb="registry.api_token.created", enterprise_id=enterprise_id
        )
    return token, key


def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke a token of the actor's enterprise; it stops working at once."""
    enterprise_id = enterprise_admin_of(actor)
    owner = getattr(token.user, "membership", None)
    if owner is None or owner.enterprise_id != enterprise_id:
        raise NotFound(_("No such token."))
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            verb="registry.api_token.revoked",
            target=token,
            enterprise_id=enterprise_id,
        )
    return token


def _check_same_enterprise(actor: Actor, membership: Membership) -> None:
    if membership.enterprise_id != enterprise_admin_of(actor):
        raise NotFound(_("No such member."))


def _keep_an_administrator(membership: Membership) -> None:
    others = Membership.objects.filter(
        enterprise_id=membership.enterprise_id,
        role=Membership.Role.ADMIN,
        is_active=True,
        user__is_active=True,
    ).exclude(pk=membership.pk)
    if membership.role == Membership.Role.ADMIN and not others.exists():
        raise ActionForbidden(
            _("Your enterprise needs at least one active administrator."), code="last_admin"
        )
