"""The licence admin: list filters, read-only page, officer buttons through the services."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from licensing.models import Licence
from tests.licensing.licence_factories import issue_licence
from tests.registry.factories import CountryFactory

S = Licence.Status
TODAY = date(2026, 3, 4)
pytestmark = pytest.mark.django_db


@pytest.fixture
def licence():
    with time_machine.travel(TODAY, tick=False):
        return issue_licence(valid_from=TODAY, valid_until=date(2026, 3, 20))


def change_url(licence):
    return reverse("admin:licensing_licence_change", args=[licence.pk])


def act_url(licence, action):
    return reverse("admin:licensing_licence_act", args=[licence.pk, action])


@time_machine.travel(TODAY, tick=False)
def test_the_list_filters_by_status_office_destination_and_expiry(client, officer, licence):
    later = issue_licence(valid_from=TODAY, destination=CountryFactory(code="DE"))
    client.force_login(officer)
    url = reverse("admin:licensing_licence_changelist")
    assert client.get(url).status_code == 200
    soon = client.get(url, {"expiring_within": "30"}).context["cl"].result_list
    assert list(soon) == [licence]
    by_destination = client.get(url, {"destination__code__exact": "DE"}).context["cl"]
    assert list(by_destination.result_list) == [later]
    suspended = client.get(url, {"status__exact": "suspended"}).context["cl"].result_list
    assert list(suspended) == []
    office = client.get(url, {"issuing_office__id__exact": licence.issuing_office_id})
    assert office.context["cl"].result_count == 2


def test_the_licence_page_shows_lines_declarations_and_officer_buttons(client, officer, licence):
    client.force_login(officer)
    page = client.get(change_url(licence)).content.decode()
    assert licence.number in page
    assert act_url(licence, "suspend") in page
    assert act_url(licence, "revoke") in page
    assert act_url(licence, "reinstate") not in page
    assert "Certificate (PDF)" in page


def test_a_caseworker_sees_the_page_without_officer_buttons(client, caseworker, licence):
    client.force_login(caseworker)
    page = client.get(change_url(licence)).content.decode()
    assert licence.number in page
    assert act_url(licence, "suspend") not in page


def test_an_officer_suspends_with_a_reason_through_the_service(client, officer, licence):
    client.force_login(officer)
    assert client.get(act_url(licence, "suspend")).status_code == 200
    response = client.post(act_url(licence, "suspend"), {"reason": "Outlet closed", "version": 1})
    assert response.status_code == 302
    licence.refresh_from_db()
    assert (licence.status, licence.status_reason) == (S.SUSPENDED, "Outlet closed")
    assert AuditEvent.objects.for_target(licence).first().actor == officer


def test_a_missing_reason_or_refused_action_is_shown_and_changes_nothing(client, officer, licence):
    client.force_login(officer)
    blank = client.post(act_url(licence, "suspend"), {"reason": " "})
    assert blank.status_code == 200 and "reason" in blank.content.decode().lower()
    refused = client.post(act_url(licence, "reinstate"), {"reason": "x"})
    assert refused.status_code == 200 and "errornote" in refused.content.decode()
    assert Licence.objects.get(pk=licence.pk).status == S.ACTIVE


def test_a_caseworker_cannot_suspend_through_the_admin(client, caseworker, licence):
    client.force_login(caseworker)
    client.post(act_url(licence, "suspend"), {"reason": "x"})
    assert Licence.objects.get(pk=licence.pk).status == S.ACTIVE


def test_staff_download_the_certificate(client, auditor, licence):
    client.force_login(auditor)
    response = client.get(reverse("admin:licensing_licence_certificate", args=[licence.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_licences_cannot_be_added_changed_or_deleted_in_the_admin(client, officer, licence):
    client.force_login(officer)
    assert client.get(reverse("admin:licensing_licence_add")).status_code == 403
    assert (
        client.post(reverse("admin:licensing_licence_delete", args=[licence.pk])).status_code == 403
    )
