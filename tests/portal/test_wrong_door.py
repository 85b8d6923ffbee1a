"""A portal member opening the admin, and staff opening the portal, are told where to go."""

import pytest

from audit.models import AuditEvent
from tests.pagecheck import assert_reads_in_chinese

pytestmark = pytest.mark.django_db


def test_a_portal_member_opening_the_admin_is_sent_to_the_portal(client, maker):
    client.force_login(maker)
    response = client.get("/admin/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "This is not your workplace" in page
    assert 'href="/portal/"' in page
    assert AuditEvent.objects.filter(verb="auth.permission.refused").exists()


def test_staff_opening_the_portal_are_sent_to_the_admin(client, caseworker):
    client.force_login(caseworker)
    response = client.get("/portal/")
    assert response.status_code == 403
    assert 'href="/admin/"' in response.content.decode()


def test_staff_may_still_log_out_of_the_portal(client, caseworker):
    client.force_login(caseworker)
    assert client.post("/portal/logout/").status_code == 302


def test_anonymous_visitors_see_the_usual_log_in_pages(client):
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.get("/portal/")["Location"].startswith("/portal/login/")


def test_both_refusals_read_in_chinese(client, maker, caseworker):
    client.force_login(maker)
    text = assert_reads_in_chinese(client, "/admin/", status=403, data=[maker.username])
    assert "前往企业门户" in text
    client.force_login(caseworker)
    text = assert_reads_in_chinese(client, "/portal/", status=403, data=[caseworker.username])
    assert "前往管理后台" in text
