"""Staff two-factor authentication in the admin: enrol by QR code, verify, backup codes, reset."""

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from tests.conftest import staff_user
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ["/admin/", "/admin/licensing/case/", "/admin/audit/auditevent/"]


@pytest.fixture(autouse=True)
def otp_required(settings):  # type: ignore[no-untyped-def]
    settings.STAFF_OTP_REQUIRED = True
    cache.clear()  # failure counters live in the cache; user ids repeat between tests


def code_for(device: TOTPDevice, *, offset: int = 0) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return f"{code:06d}"


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def enrolled(user) -> TOTPDevice:  # type: ignore[no-untyped-def]
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_a_staff_user_without_an_authenticator_is_sent_to_enrol(caseworker, page):
    response = signed_in(caseworker).get(page)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/otp/enrol/?next=")


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_an_enrolled_staff_user_must_verify_before_any_admin_page(officer, page):
    enrolled(officer)
    response = signed_in(officer).get(page)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/otp/verify/?next=")


def test_with_the_setting_off_the_admin_asks_for_no_code(caseworker, settings):
    settings.STAFF_OTP_REQUIRED = False
    assert signed_in(caseworker).get("/admin/").status_code == 200


def test_enrolment_shows_a_qr_code_then_a_first_code_confirms_it_and_gives_backup_codes(
    caseworker,
):
    client = signed_in(caseworker)
    page = client.get("/admin/otp/enrol/").content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    response = client.post("/admin/otp/enrol/?next=/admin/", {"token": code_for(device)})
    assert response.status_code == 200
    codes = StaticToken.objects.filter(device__user=caseworker)
    assert codes.count() == 10
    assert all(code.token in response.content.decode() for code in codes)
    assert client.get("/admin/").status_code == 200
    assert AuditEvent.objects.filter(verb="auth.otp.enrolled", actor=caseworker).count() == 1


def test_a_wrong_first_code_confirms_nothing(caseworker):
    client = signed_in(caseworker)
    client.get("/admin/otp/enrol/")
    response = client.post("/admin/otp/enrol/", {"token": "000000"})
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=caseworker, confirmed=True).exists()
    assert client.get("/admin/").status_code == 302


def test_the_current_code_opens_the_admin_and_is_audited(officer):
    device = enrolled(officer)
    client = signed_in(officer)
    response = client.post(
        "/admin/otp/verify/?next=/admin/licensing/case/", {"token": code_for(device)}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/licensing/case/"
    assert client.get("/admin/licensing/case/").status_code == 200
    assert AuditEvent.objects.filter(verb="auth.otp.verified", actor=officer).exists()


def test_a_replayed_code_is_refused(officer):
    device = enrolled(officer)
    code = code_for(device)
    assert signed_in(officer).post("/admin/otp/verify/", {"token": code}).status_code == 302
    response = signed_in(officer).post("/admin/otp/verify/", {"token": code})
    assert response.status_code == 400


def test_a_backup_code_works_once(officer):
    enrolled(officer)
    from registry.staff_otp import _new_backup_codes

    code = _new_backup_codes(officer)[0]
    assert signed_in(officer).post("/admin/otp/verify/", {"token": code}).status_code == 302
    assert signed_in(officer).post("/admin/otp/verify/", {"token": code}).status_code == 400


def test_an_offsite_next_is_ignored(officer):
    device = enrolled(officer)
    response = signed_in(officer).post(
        "/admin/otp/verify/?next=https://attacker.example/", {"token": code_for(device)}
    )
    assert response["Location"] == "/admin/"


def test_guessing_codes_locks_the_user_out_like_passwords_and_is_audited(officer, settings):
    device = enrolled(officer)
    client = signed_in(officer)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert client.post("/admin/otp/verify/", {"token": "123456"}).status_code == 400
    response = client.post("/admin/otp/verify/", {"token": code_for(device)})
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302
    failed = AuditEvent.objects.filter(verb="auth.otp.failed", actor=officer)
    assert failed.count() == settings.AXES_FAILURE_LIMIT


def test_a_superuser_resets_a_staff_users_second_factor_and_it_is_audited(officer):
    enrolled(officer)
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    boss_device = enrolled(boss)
    client = signed_in(boss)
    client.post("/admin/otp/verify/", {"token": code_for(boss_device)})
    response = client.post("/admin/otp/reset/", {"username": officer.username})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    event = AuditEvent.objects.get(verb="auth.otp.reset")
    assert (event.actor_id, event.target_id) == (boss.pk, str(officer.pk))
    assert signed_in(officer).get("/admin/")["Location"].startswith("/admin/otp/enrol/")


def test_only_a_superuser_may_reset_and_an_unknown_name_is_a_field_error(officer):
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    enrolled(officer)
    assert signed_in(officer).post("/admin/otp/reset/", {"username": "boss"}).status_code == 403
    assert TOTPDevice.objects.filter(user=officer).exists()
    client = signed_in(boss)
    client.post("/admin/otp/verify/", {"token": code_for(enrolled(boss))})
    assert client.post("/admin/otp/reset/", {"username": "nobody"}).status_code == 400


def test_portal_users_never_see_the_otp_pages(maker):
    page = signed_in(maker).get("/admin/otp/verify/")
    assert page.status_code in (302, 403) and b'name="token"' not in page.content
    assert signed_in(maker).get("/portal/").status_code == 200


def test_a_staff_role_still_only_sees_what_it_may_after_verifying():
    user = staff_user("norole")
    device = enrolled(user)
    client = signed_in(user)
    assert client.post("/admin/otp/verify/", {"token": code_for(device)}).status_code == 302
    assert client.get("/admin/registry/enterprise/add/").status_code == 403


def test_the_verify_page_reads_in_chinese(officer):
    enrolled(officer)
    client = signed_in(officer)
    page = client.get("/admin/otp/verify/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "请输入身份验证器应用当前显示的六位验证码" in page and 'lang="zh-hans"' in page
