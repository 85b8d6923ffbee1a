from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.models import ServiceOutlet, WarrantyCommitment
from audit.models import AuditEvent
from tests.aftersales.factories import (
    ServiceOutletFactory,
    SparePartsCommitmentFactory,
    WarrantyCommitmentFactory,
)
from tests.registry.factories import BrandFactory, CountryFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:aftersales_serviceoutlet_changelist"


@pytest.fixture
def brand(manufacturer):
    return BrandFactory(manufacturer=manufacturer)


@pytest.fixture
def pending(manufacturer, brand):
    return ServiceOutletFactory.create_batch(
        2, enterprise=manufacturer, brand=brand, verification_status="pending"
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def run_action(client, action, outlets, **extra):
    data = {"action": action, "_selected_action": [o.pk for o in outlets], **extra}
    return client.post(reverse(CHANGELIST), data)


def statuses(outlets):
    return [ServiceOutlet.objects.get(pk=o.pk).verification_status for o in outlets]


@pytest.mark.parametrize("who", ["registrar", "caseworker"])
def test_staff_with_the_verify_permission_verify_outlets_in_bulk(client, request, who, pending):
    user = request.getfixturevalue(who)
    response = run_action(signed_in(client, user), "verify_outlets", pending)
    assert response.status_code == 302
    assert statuses(pending) == ["verified", "verified"]
    assert ServiceOutlet.objects.filter(verified_by=user).count() == 2
    assert AuditEvent.objects.filter(verb="aftersales.service_outlet.verified").count() == 2


def test_an_auditor_cannot_verify(client, auditor, pending):
    run_action(signed_in(client, auditor), "verify_outlets", pending)
    assert statuses(pending) == ["pending", "pending"]


def test_verifying_a_rejected_outlet_reports_the_refusal_and_verifies_the_rest(
    client, registrar, pending, manufacturer, brand
):
    rejected = ServiceOutletFactory(
        enterprise=manufacturer, brand=brand, verification_status="rejected"
    )
    response = run_action(signed_in(client, registrar), "verify_outlets", [*pending, rejected])
    assert statuses([*pending, rejected]) == ["verified", "verified", "rejected"]
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any("Only a pending outlet can be verified" in m for m in shown)


def test_rejecting_asks_for_a_reason_first(client, registrar, pending):
    client = signed_in(client, registrar)
    page = run_action(client, "reject_outlets", pending)
    assert page.status_code == 200
    assert b'name="reason"' in page.content
    assert statuses(pending) == ["pending", "pending"]
    blank = run_action(client, "reject_outlets", pending, apply="1", reason="  ")
    assert blank.status_code == 200
    assert statuses(pending) == ["pending", "pending"]


def test_rejecting_with_a_reason_rejects_each_outlet(client, registrar, pending):
    client = signed_in(client, registrar)
    response = run_action(
        client, "reject_outlets", pending, apply="1", reason="No workshop at this address"
    )
    assert response.status_code == 302
    assert statuses(pending) == ["rejected", "rejected"]
    assert set(ServiceOutlet.objects.values_list("rejection_reason", flat=True)) == {
        "No workshop at this address"
    }


def test_the_changelist_filters_by_contract_expiry(client, registrar, manufacturer, brand):
    today = timezone.localdate()
    soon = ServiceOutletFactory(
        enterprise=manufacturer, brand=brand, contract_valid_until=today + timedelta(days=20)
    )
    later = ServiceOutletFactory(
        enterprise=manufacturer, brand=brand, contract_valid_until=today + timedelta(days=75)
    )
    ServiceOutletFactory(enterprise=manufacturer, brand=brand)
    client = signed_in(client, registrar)

    def listed(query):
        response = client.get(reverse(CHANGELIST) + query)
        assert response.status_code == 200
        return {o.pk for o in response.context["cl"].result_list}

    assert listed("?expiring_within=30") == {soon.pk}
    assert listed("?expiring_within=90") == {soon.pk, later.pk}
    assert len(listed("")) == 3
    assert listed("?verification_status__exact=pending") == set()
    assert len(listed("?country__code__exact=FR")) == 3


@pytest.mark.parametrize("name", ["serviceoutlet", "warrantycommitment", "sparepartscommitment"])
def test_every_changelist_and_change_page_renders_and_nothing_can_be_deleted(
    client, registrar, manufacturer, brand, name
):
    record = {
        "serviceoutlet": ServiceOutletFactory,
        "warrantycommitment": WarrantyCommitmentFactory,
        "sparepartscommitment": SparePartsCommitmentFactory,
    }[name](enterprise=manufacturer, brand=brand)
    client = signed_in(client, registrar)
    assert client.get(reverse(f"admin:aftersales_{name}_changelist")).status_code == 200
    assert (
        client.get(
            reverse(f"admin:aftersales_{name}_changelist") + "?expiring_within=60"
        ).status_code
        == 200
    )
    assert (
        client.get(reverse(f"admin:aftersales_{name}_change", args=[record.pk])).status_code == 200
    )
    assert client.get(reverse(f"admin:aftersales_{name}_add")).status_code == 200
    assert (
        client.get(reverse(f"admin:aftersales_{name}_delete", args=[record.pk])).status_code == 403
    )


def test_a_registrar_adds_an_outlet_through_the_service(client, registrar, manufacturer, brand):
    CountryFactory(code="FR")
    response = signed_in(client, registrar).post(
        reverse("admin:aftersales_serviceoutlet_add"),
        {
            "enterprise": manufacturer.pk,
            "country": "FR",
            "city": "Lyon",
            "address": "1 rue Neuve",
            "operator_name": "Garage",
            "operator_kind": "partner",
            "brands": [brand.pk],
            "contract_valid_from": "2026-01-01",
            "contract_valid_until": "2028-01-01",
        },
    )
    assert response.status_code == 302, response.content
    outlet = ServiceOutlet.objects.get()
    assert outlet.verification_status == "pending"
    assert AuditEvent.objects.filter(verb="aftersales.service_outlet.created").exists()


def test_an_admin_save_breaking_a_rule_saves_nothing(client, registrar, manufacturer):
    CountryFactory(code="FR")
    signed_in(client, registrar).post(
        reverse("admin:aftersales_warrantycommitment_add"),
        {
            "enterprise": manufacturer.pk,
            "brand": BrandFactory().pk,  # someone else's brand
            "country": "FR",
            "vehicle_warranty_months": 24,
            "battery_warranty_months": 96,
            "battery_warranty_km": 160000,
            "valid_from": "2026-01-01",
            "valid_until": "2030-01-01",
        },
    )
    assert not WarrantyCommitment.objects.exists()


def test_withdrawing_commitments_in_bulk_asks_for_a_reason(client, registrar, manufacturer, brand):
    commitment = WarrantyCommitmentFactory(enterprise=manufacturer, brand=brand)
    client = signed_in(client, registrar)
    url = reverse("admin:aftersales_warrantycommitment_changelist")
    data = {"action": "withdraw_commitments", "_selected_action": [commitment.pk]}
    assert client.post(url, data).status_code == 200
    client.post(url, data | {"apply": "1", "reason": "Superseded"})
    commitment.refresh_from_db()
    assert commitment.is_withdrawn


def test_the_coverage_table_shows_each_country_and_highlights_the_weakest_point(
    client, caseworker, manufacturer, brand
):
    france, germany = CountryFactory(code="FR"), CountryFactory(code="DE")
    for country in (france, germany):
        args = {"enterprise": manufacturer, "brand": brand, "country": country}
        ServiceOutletFactory(**args)
        WarrantyCommitmentFactory(**args)
    SparePartsCommitmentFactory(enterprise=manufacturer, brand=brand, country=france)
    response = signed_in(client, caseworker).get(
        reverse("admin:aftersales_coverage") + f"?enterprise={manufacturer.pk}"
    )
    assert response.status_code == 200
    rows = {r.country.code: r for r in response.context["rows"]}
    assert rows["DE"].weakest == "parts" and not rows["DE"].parts.ok
    assert rows["FR"].ok
    assert b'fails weakest" data-aspect="parts"' in response.content


@pytest.mark.parametrize(
    "query", ["", "?enterprise=", "?enterprise=abc", "?enterprise=99999999999999999999"]
)
def test_the_coverage_page_without_a_valid_enterprise_offers_the_chooser(client, registrar, query):
    response = signed_in(client, registrar).get(reverse("admin:aftersales_coverage") + query)
    assert response.status_code == 200
    assert response.context["rows"] == []


def test_portal_users_cannot_open_the_coverage_page(client, maker):
    response = signed_in(client, maker).get(reverse("admin:aftersales_coverage"))
    assert response.status_code == 403  # refused with a page pointing to the portal


def test_the_coverage_table_can_list_every_registered_country(
    client, registrar, manufacturer, brand
):
    CountryFactory(code="BR", statutory_warranty_months=12)
    ServiceOutletFactory(enterprise=manufacturer, brand=brand)
    client = signed_in(client, registrar)
    base = reverse("admin:aftersales_coverage") + f"?enterprise={manufacturer.pk}"
    assert [r.country.code for r in client.get(base).context["rows"]] == ["FR"]
    rows = client.get(base + "&all=1").context["rows"]
    assert [r.country.code for r in rows] == ["BR", "FR"]
    assert rows[0].weakest == "outlet" and not rows[0].ok
