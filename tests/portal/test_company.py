"""The company pages: members, invitations, roles, deactivation and API tokens."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from rest_framework.authtoken.models import Token

from audit.models import AuditEvent
from registry.api_tokens import ApiToken
from registry.models import Membership
from tests.pagecheck import assert_reads_in_chinese
from tests.registry.factories import MembershipFactory

pytestmark = pytest.mark.django_db
INVITE = {
    "username": "newcomer",
    "email": "newcomer@example.test",
    "role": "applicant",
    "language": "en",
}


@pytest.fixture
def colleague(manufacturer):  # type: ignore[no-untyped-def]
    return MembershipFactory(enterprise=manufacturer, role="applicant")


@pytest.fixture
def admin_client(client, maker):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    return client


def test_an_admin_sees_the_members_and_their_roles(admin_client, colleague, rival):
    page = admin_client.get("/portal/company/").content.decode()
    assert colleague.user.username in page
    assert "Applicant" in page
    assert rival.username not in page


@pytest.mark.parametrize("role", ["applicant", "viewer"])
def test_other_roles_are_refused_the_company_pages(client, manufacturer, role):
    member = MembershipFactory(enterprise=manufacturer, role=role).user
    client.force_login(member)
    for url in ("/portal/company/", "/portal/company/invite/"):
        assert client.get(url).status_code == 403
    assert client.post("/portal/company/tokens/", {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_the_navigation_shows_company_to_admins_only(client, maker, colleague):
    client.force_login(maker)
    assert "/portal/company/" in client.get("/portal/").content.decode()
    client.force_login(colleague.user)
    assert "/portal/company/" not in client.get("/portal/").content.decode()


def test_an_invitation_creates_a_member_and_mails_a_set_password_link(
    admin_client, manufacturer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/portal/company/invite/", INVITE)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newcomer")
    assert not user.has_usable_password()
    assert user.membership.enterprise == manufacturer
    assert user.membership.role == "applicant"
    assert len(mail.outbox) == 1
    assert re.search(r"/portal/password-reset/[\w-]+/[\w-]+/", mail.outbox[0].body)
    assert AuditEvent.objects.filter(verb="registry.membership.invited").exists()


def test_an_invitation_in_chinese_is_written_in_chinese(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/portal/company/invite/", {**INVITE, "language": "zh-hans"})
    assert "受邀" in mail.outbox[0].subject
    assert "设置密码" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"role": "superuser"}, "role"),
        ({"username": "bad name!"}, "username"),
        ({"language": "fr"}, "language"),
    ],
)
def test_a_bad_invitation_shows_a_field_error_and_saves_nothing(admin_client, change, field):
    response = admin_client.post("/portal/company/invite/", {**INVITE, **change})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not get_user_model().objects.filter(email="newcomer@example.test").exists()
    assert mail.outbox == []


def test_inviting_a_taken_username_or_address_is_refused(admin_client, colleague):
    taken = {**INVITE, "username": colleague.user.username}
    assert admin_client.post("/portal/company/invite/", taken).status_code == 400
    reused = {**INVITE, "email": colleague.user.email}
    response = admin_client.post("/portal/company/invite/", reused)
    assert "already has an account" in response.content.decode()


def test_an_admin_changes_a_members_role(admin_client, colleague):
    response = admin_client.post(
        f"/portal/company/members/{colleague.pk}/role/", {"role": "viewer"}
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.role == "viewer"
    assert AuditEvent.objects.filter(verb="registry.membership.role_changed").exists()


def test_the_last_admin_cannot_step_down(client, maker):
    membership = maker.membership
    client.force_login(maker)
    response = client.post(f"/portal/company/members/{membership.pk}/role/", {"role": "viewer"})
    assert response.status_code == 403
    assert "at least one active administrator" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_deactivating_a_member_ends_their_tokens_and_sessions(admin_client, colleague, client):
    from django.test import Client

    their_browser = Client()
    their_browser.force_login(colleague.user)
    drf_token = Token.objects.create(user=colleague.user)
    named = ApiToken.objects.create(user=colleague.user, name="x", key_hash="h", key_prefix="p")
    response = admin_client.post(f"/portal/company/members/{colleague.pk}/deactivate/")
    assert response.status_code == 302
    colleague.refresh_from_db()
    colleague.user.refresh_from_db()
    named.refresh_from_db()
    assert not colleague.is_active
    assert not colleague.user.is_active
    assert named.revoked_at is not None
    assert not Token.objects.filter(pk=drf_token.pk).exists()
    assert their_browser.get("/portal/")["Location"].startswith("/portal/login/")


def test_an_admin_cannot_deactivate_themselves(client, maker, manufacturer):
    MembershipFactory(enterprise=manufacturer, role="admin")
    client.force_login(maker)
    response = client.post(f"/portal/company/members/{maker.membership.pk}/deactivate/")
    assert response.status_code == 403
    assert "your own account" in response.content.decode()
    maker.refresh_from_db()
    assert maker.is_active


def test_another_enterprises_member_is_not_found(admin_client, rival):
    pk = rival.membership.pk
    assert admin_client.post(f"/portal/company/members/{pk}/deactivate/").status_code == 404
    assert (
        admin_client.post(f"/portal/company/members/{pk}/role/", {"role": "viewer"}).status_code
        == 404
    )
    assert admin_client.post("/portal/company/members/99999/deactivate/").status_code == 404
    assert admin_client.post("/portal/company/members/x/deactivate/").status_code == 404
    rival.refresh_from_db()
    assert rival.is_active
    assert rival.membership.role == Membership.Role.ADMIN


def test_a_token_is_shown_once_and_stored_only_as_a_hash(admin_client, maker):
    response = admin_client.post("/portal/company/tokens/", {"name": "ERP export"})
    key = response.context["new_key"]
    token = ApiToken.objects.get(name="ERP export")
    assert token.user == maker
    assert key not in token.key_hash
    assert key in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert key not in admin_client.get("/portal/company/").content.decode()


def test_a_named_token_works_against_the_api_until_revoked(admin_client, api):
    key = admin_client.post("/portal/company/tokens/", {"name": "ERP"}).context["new_key"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/cases/").status_code == 200
    token = ApiToken.objects.get(name="ERP")
    assert token.last_used_at is not None
    admin_client.post(f"/portal/company/tokens/{token.pk}/revoke/")
    assert api.get("/api/v1/cases/").status_code == 401


def test_the_documented_token_endpoint_still_works(api, maker):
    response = api.post("/api/v1/auth/token/", {"username": maker.username, "password": "pw"})
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/cases/").status_code == 200


def test_a_token_without_a_name_is_refused(admin_client):
    response = admin_client.post("/portal/company/tokens/", {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_another_enterprises_token_cannot_be_revoked(admin_client, rival):
    theirs = ApiToken.objects.create(user=rival, name="theirs", key_hash="h2", key_prefix="p")
    assert admin_client.post(f"/portal/company/tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_company_forms_need_the_csrf_token(maker, colleague):
    from django.test import Client

    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(maker)
    assert guarded.post(f"/portal/company/members/{colleague.pk}/deactivate/").status_code == 403
    assert guarded.post("/portal/company/invite/", INVITE).status_code == 403
    colleague.refresh_from_db()
    assert colleague.is_active


def test_the_company_pages_read_in_chinese(admin_client, maker, colleague):
    admin_client.post("/portal/company/tokens/", {"name": "脚本"})
    names = [maker.username, colleague.user.username, maker.email, colleague.user.email]
    assert_reads_in_chinese(admin_client, "/portal/company/", data=names)
    assert_reads_in_chinese(admin_client, "/portal/company/invite/", data=names)
