"""Services an enterprise administrator uses on its accounts: who may, and what they record."""

import pytest

from audit.models import AuditEvent
from config.errors import ActionForbidden, NotFound
from registry import member_services
from registry.api_tokens import ApiToken, hash_key
from registry.language import user_language
from tests.registry.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["applicant", "viewer"])
def test_only_enterprise_admins_manage_accounts(manufacturer, role):
    actor = MembershipFactory(enterprise=manufacturer, role=role).user
    with pytest.raises(ActionForbidden):
        member_services.api_token_create(actor=actor, name="x")
    with pytest.raises(ActionForbidden):
        member_services.membership_invite(
            actor=actor, username="n", email="n@example.test", role="viewer"
        )


def test_staff_do_not_manage_enterprise_accounts_here(caseworker):
    with pytest.raises(ActionForbidden):
        member_services.api_token_create(actor=caseworker, name="x")


def test_a_token_key_is_returned_once_and_kept_only_as_its_hash(maker):
    token, key = member_services.api_token_create(actor=maker, name="ERP")
    assert token.key_hash == hash_key(key)
    assert token.key_prefix == key[:8]
    assert not ApiToken.objects.filter(key_hash=key).exists()
    event = AuditEvent.objects.get(verb="registry.api_token.created")
    assert key not in event.payload_text


def test_revoking_is_recorded_and_another_enterprises_token_is_not_found(maker, rival):
    token, _key = member_services.api_token_create(actor=maker, name="ERP")
    with pytest.raises(NotFound):
        member_services.api_token_revoke(actor=rival, token=token)
    member_services.api_token_revoke(actor=maker, token=token)
    assert AuditEvent.objects.filter(verb="registry.api_token.revoked").count() == 1


def test_the_last_active_admin_cannot_be_deactivated_by_a_fellow_admin_who_is_leaving(
    manufacturer, maker
):
    other = MembershipFactory(enterprise=manufacturer, role="admin")
    member_services.membership_deactivate(actor=other.user, membership=maker.membership)
    with pytest.raises(ActionForbidden) as refused:
        member_services.membership_set_role(actor=other.user, membership=other, role="viewer")
    assert refused.value.code == "last_admin"


def test_an_invited_member_belongs_to_the_inviters_enterprise(maker, manufacturer):
    membership = member_services.membership_invite(
        actor=maker, username="n", email="n@example.test", role="viewer", language="zh-hans"
    )
    assert membership.enterprise == manufacturer
    assert user_language(membership.user) == "zh-hans"
    event = AuditEvent.objects.get(verb="registry.membership.invited")
    assert event.enterprise_id == manufacturer.pk
