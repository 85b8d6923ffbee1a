from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.models import ServiceOutlet, SparePartsCommitment, WarrantyCommitment
from tests.aftersales.factories import (
    ServiceOutletFactory,
    SparePartsCommitmentFactory,
    WarrantyCommitmentFactory,
)
from tests.registry.factories import BrandFactory, CountryFactory, MembershipFactory

pytestmark = pytest.mark.django_db
MISSING = 999_999


@pytest.fixture
def brand(manufacturer):
    return BrandFactory(manufacturer=manufacturer)


@pytest.fixture(autouse=True)
def countries(db):
    CountryFactory(code="FR")
    CountryFactory(code="DE")
    CountryFactory(code="ES", statutory_warranty_months=36)


def outlet_body(brand):
    return {
        "country": "FR",
        "city": "Lyon",
        "address": "1 rue de la République",
        "operator_name": "Garage Central",
        "operator_kind": "partner",
        "brands": [brand.pk],
        "contract_valid_from": "2026-01-01",
        "contract_valid_until": "2028-12-31",
    }


def warranty_body(brand):
    return {
        "country": "FR",
        "brand": brand.pk,
        "vehicle_warranty_months": 24,
        "battery_warranty_months": 96,
        "battery_warranty_km": 160000,
        "valid_from": "2026-01-01",
        "valid_until": "2030-12-31",
    }


def parts_body(brand):
    return {
        "country": "FR",
        "brand": brand.pk,
        "supply_years": 10,
        "max_lead_time_days": 7,
        "depot": "Rotterdam",
        "valid_from": "2026-01-01",
        "valid_until": "2036-12-31",
    }


ENDPOINTS = {
    "service-outlets": (ServiceOutlet, ServiceOutletFactory, outlet_body),
    "warranty-commitments": (WarrantyCommitment, WarrantyCommitmentFactory, warranty_body),
    "spare-parts-commitments": (SparePartsCommitment, SparePartsCommitmentFactory, parts_body),
}


def url(endpoint, pk=None, action=None):
    path = f"/api/v1/{endpoint}/"
    if pk is not None:
        path += f"{pk}/"
    if action:
        path += f"{action}/"
    return path


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_member_creates_a_record_for_its_own_enterprise(
    api_as, maker, manufacturer, brand, endpoint
):
    model, _factory, body = ENDPOINTS[endpoint]
    payload = body(brand) | {"enterprise": 12345}
    response = api_as(maker).post(url(endpoint), payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["enterprise"] == manufacturer.pk
    assert response.json()["country"] == "FR"
    assert model.objects.get().enterprise == manufacturer


def records(endpoint, manufacturer, brand, rival_enterprise):
    _model, factory, _body = ENDPOINTS[endpoint]
    own = factory(enterprise=manufacturer, brand=brand)
    other = factory(enterprise=rival_enterprise)
    return {"own": own.pk, "other": other.pk, "missing": MISSING}


VERBS = ["get", "put", "patch", "withdraw"]
EXPECTED = {"own": 200, "other": 404, "missing": 404}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("whose", EXPECTED)
def test_another_enterprises_record_is_as_missing_as_a_missing_one(
    api_as, maker, manufacturer, brand, rival_enterprise, endpoint, verb, whose
):
    pk = records(endpoint, manufacturer, brand, rival_enterprise)[whose]
    client = api_as(maker)
    body = ENDPOINTS[endpoint][2](brand)
    response = {
        "get": lambda: client.get(url(endpoint, pk)),
        "put": lambda: client.put(url(endpoint, pk), body, format="json"),
        "patch": lambda: client.patch(url(endpoint, pk), {"country": "DE"}, format="json"),
        "withdraw": lambda: client.post(url(endpoint, pk, "withdraw"), {}, format="json"),
    }[verb]()
    assert response.status_code == EXPECTED[whose], response.content
    if whose != "own":
        assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_list_shows_only_the_callers_records(
    api_as, maker, manufacturer, brand, rival_enterprise, endpoint
):
    ids = records(endpoint, manufacturer, brand, rival_enterprise)
    response = api_as(maker).get(url(endpoint))
    assert [r["id"] for r in response.json()["results"]] == [ids["own"]]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_records_cannot_be_deleted(api_as, maker, manufacturer, brand, rival_enterprise, endpoint):
    pk = records(endpoint, manufacturer, brand, rival_enterprise)["own"]
    assert api_as(maker).delete(url(endpoint, pk)).status_code == 405


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_viewer_reads_but_cannot_write(api_as, manufacturer, brand, rival_enterprise, endpoint):
    viewer = MembershipFactory(enterprise=manufacturer, role="viewer").user
    pk = records(endpoint, manufacturer, brand, rival_enterprise)["own"]
    client = api_as(viewer)
    assert client.get(url(endpoint, pk)).status_code == 200
    body = ENDPOINTS[endpoint][2](brand)
    assert client.post(url(endpoint), body, format="json").status_code == 403
    assert client.patch(url(endpoint, pk), {"country": "DE"}, format="json").status_code == 403
    assert client.post(url(endpoint, pk, "withdraw")).status_code == 403


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_staff_read_every_record_but_do_not_write_through_the_api(
    api_as, registrar, manufacturer, brand, rival_enterprise, endpoint
):
    ids = records(endpoint, manufacturer, brand, rival_enterprise)
    client = api_as(registrar)
    listed = {r["id"] for r in client.get(url(endpoint)).json()["results"]}
    assert listed == {ids["own"], ids["other"]}
    assert client.get(url(endpoint, ids["other"])).status_code == 200
    body = ENDPOINTS[endpoint][2](brand)
    assert client.post(url(endpoint), body, format="json").status_code == 403


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_callers_are_refused(api, endpoint):
    assert api.get(url(endpoint)).status_code in (401, 403)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_user_without_an_enterprise_sees_nothing(api_as, manufacturer, brand, endpoint):
    from tests.registry.factories import UserFactory

    ENDPOINTS[endpoint][1](enterprise=manufacturer, brand=brand)
    client = api_as(UserFactory())
    assert client.get(url(endpoint)).json()["results"] == []
    assert (
        client.post(url(endpoint), ENDPOINTS[endpoint][2](brand), format="json").status_code == 403
    )


def test_editing_a_verified_outlets_address_sends_it_back_to_pending(
    api_as, maker, manufacturer, brand
):
    outlet = ServiceOutletFactory(enterprise=manufacturer, brand=brand)
    response = api_as(maker).patch(
        url("service-outlets", outlet.pk),
        {"address": "9 quai Est", "verification_status": "verified"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["verification_status"] == "pending"
    assert response.json()["address"] == "9 quai Est"


def test_a_member_cannot_mark_its_own_outlet_verified(api_as, maker, brand):
    response = api_as(maker).post(
        url("service-outlets"),
        outlet_body(brand)
        | {"verification_status": "verified", "verified_at": "2026-01-01T00:00Z"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["verification_status"] == "pending"
    assert response.json()["verified_at"] is None


def test_an_update_with_an_old_version_is_a_409(api_as, maker, manufacturer, brand):
    commitment = WarrantyCommitmentFactory(enterprise=manufacturer, brand=brand)
    response = api_as(maker).patch(
        url("warranty-commitments", commitment.pk),
        {"vehicle_warranty_months": 36, "version": 5},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"


def test_withdrawing_twice_is_a_409(api_as, maker, manufacturer, brand):
    commitment = SparePartsCommitmentFactory(enterprise=manufacturer, brand=brand)
    client = api_as(maker)
    first = client.post(
        url("spare-parts-commitments", commitment.pk, "withdraw"), {"reason": "Replaced"}
    )
    assert first.status_code == 200 and first.json()["withdrawn_at"]
    second = client.post(url("spare-parts-commitments", commitment.pk, "withdraw"))
    assert second.status_code == 409 and second.json()["code"] == "invalid_transition"
    assert (
        client.patch(
            url("spare-parts-commitments", commitment.pk), {"supply_years": 12}, format="json"
        ).status_code
        == 409
    )


def test_outlets_filter_by_country_brand_and_status(api_as, maker, manufacturer, brand):
    other_brand = BrandFactory(manufacturer=manufacturer)
    france = ServiceOutletFactory(enterprise=manufacturer, brand=brand)
    germany = ServiceOutletFactory(
        enterprise=manufacturer, brand=other_brand, country=CountryFactory(code="DE")
    )
    pending = ServiceOutletFactory(
        enterprise=manufacturer, brand=brand, verification_status="pending"
    )
    client = api_as(maker)

    def ids(query):
        response = client.get(url("service-outlets") + query)
        assert response.status_code == 200, response.content
        return {r["id"] for r in response.json()["results"]}

    assert ids("?country=de") == {germany.pk}
    assert ids(f"?brand={brand.pk}") == {france.pk, pending.pk}
    assert ids("?status=pending") == {pending.pk}
    assert ids("?brand=99999999999999999999999") == set()
    assert ids("?brand=abc") == set()
    assert client.get(url("service-outlets") + "?status=bogus").status_code == 400


def test_commitments_filter_by_status(api_as, maker, manufacturer, brand):
    active = WarrantyCommitmentFactory(enterprise=manufacturer, brand=brand)
    withdrawn = WarrantyCommitmentFactory(
        enterprise=manufacturer, brand=brand, withdrawn_at="2026-02-01T00:00Z"
    )
    client = api_as(maker)
    for status, expected in (("active", active), ("withdrawn", withdrawn)):
        response = client.get(url("warranty-commitments") + f"?status={status}")
        assert [r["id"] for r in response.json()["results"]] == [expected.pk]


def test_the_outlet_list_query_count_does_not_grow_with_its_length(
    api_as, maker, manufacturer, brand
):
    client = api_as(maker)
    ServiceOutletFactory.create_batch(2, enterprise=manufacturer, brand=brand)
    with CaptureQueriesContext(connection) as few:
        client.get(url("service-outlets"))
    ServiceOutletFactory.create_batch(10, enterprise=manufacturer, brand=brand)
    with CaptureQueriesContext(connection) as many:
        client.get(url("service-outlets"))
    assert len(many) == len(few)


def test_a_malformed_id_in_the_path_is_a_404(api_as, maker):
    client = api_as(maker)
    assert client.get("/api/v1/service-outlets/abc/").status_code == 404
    assert client.get("/api/v1/service-outlets/99999999999999999999999/").status_code == 404


# --- bad input: 400 with field errors, nothing saved ---------------------------------------

COMMON_BAD = [
    ({"country": "EU"}, "country"),
    ({"country": "XX"}, "country"),
    ({"country": "BR"}, "country"),  # a real country not in the registry
    ({"country": "FRA"}, "country"),
    ({"country": 33}, "country"),
    ({"country": None}, "country"),
]


def brand_not_owned(field):
    return lambda body: (
        body | {field: [BrandFactory().pk] if field == "brands" else BrandFactory().pk}
    )


OUTLET_BAD = COMMON_BAD + [
    ({"city": ""}, "city"),
    ({"city": "   "}, "city"),
    ({"city": "x" * 101}, "city"),
    ({"address": "x" * 301}, "address"),
    ({"operator_name": "x" * 201}, "operator_name"),
    ({"operator_kind": "franchise"}, "operator_kind"),
    ({"brands": []}, "brands"),
    ({"brands": [MISSING]}, "brands"),
    ({"brands": [10**30]}, "brands"),
    ({"brands": ["abc"]}, "brands"),
    ({"brands": "1"}, "brands"),
    ({"contract_valid_until": "2025-12-31"}, "contract_valid_until"),
    ({"contract_valid_until": "2026-13-45"}, "contract_valid_until"),
    ({"contract_valid_from": "yesterday"}, "contract_valid_from"),
    ({"contract_valid_from": "0001-01-01"}, "contract_valid_from"),
    ({"version": -1}, "version"),
    (brand_not_owned("brands"), "brands"),
]
WARRANTY_BAD = COMMON_BAD + [
    ({"vehicle_warranty_months": 12}, "vehicle_warranty_months"),
    ({"vehicle_warranty_months": -24}, "vehicle_warranty_months"),
    ({"vehicle_warranty_months": 10**30}, "vehicle_warranty_months"),
    ({"vehicle_warranty_months": "many"}, "vehicle_warranty_months"),
    ({"vehicle_warranty_months": 24.5}, "vehicle_warranty_months"),
    ({"country": "ES"}, "vehicle_warranty_months"),  # Spain wants 36
    ({"battery_warranty_months": 0}, "battery_warranty_months"),
    ({"battery_warranty_km": -1}, "battery_warranty_km"),
    ({"battery_warranty_km": 2_000_001}, "battery_warranty_km"),
    ({"valid_until": "2025-01-01"}, "valid_until"),
    ({"valid_from": "2026-02-30"}, "valid_from"),
    ({"brand": MISSING}, "brand"),
    ({"brand": 10**30}, "brand"),
    ({"brand": True}, "brand"),
    (brand_not_owned("brand"), "brand"),
]
PARTS_BAD = COMMON_BAD + [
    ({"supply_years": 0}, "supply_years"),
    ({"supply_years": 31}, "supply_years"),
    ({"supply_years": -5}, "supply_years"),
    ({"max_lead_time_days": 0}, "max_lead_time_days"),
    ({"max_lead_time_days": 366}, "max_lead_time_days"),
    ({"depot": ""}, "depot"),
    ({"depot": "x" * 301}, "depot"),
    ({"valid_until": "2026-01-01"}, "valid_until"),
    ({"valid_until": "31/12/2030"}, "valid_until"),
    ({"brand": "abc"}, "brand"),
    (brand_not_owned("brand"), "brand"),
]


def bad_body(body, change):
    return change(body) if callable(change) else body | change


def check_refused(client, endpoint, brand, change, field):
    model, _factory, body = ENDPOINTS[endpoint]
    before = model.objects.count()
    response = client.post(url(endpoint), bad_body(body(brand), change), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert model.objects.count() == before


@pytest.mark.parametrize(("change", "field"), OUTLET_BAD)
def test_bad_outlet_input_is_a_400_with_field_errors(api_as, maker, brand, change, field):
    check_refused(api_as(maker), "service-outlets", brand, change, field)


@pytest.mark.parametrize(("change", "field"), WARRANTY_BAD)
def test_bad_warranty_input_is_a_400_with_field_errors(api_as, maker, brand, change, field):
    check_refused(api_as(maker), "warranty-commitments", brand, change, field)


@pytest.mark.parametrize(("change", "field"), PARTS_BAD)
def test_bad_spare_parts_input_is_a_400_with_field_errors(api_as, maker, brand, change, field):
    check_refused(api_as(maker), "spare-parts-commitments", brand, change, field)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("body", [[], "text", None, {"unknown": 1}])
def test_a_body_that_is_not_a_record_is_a_400(api_as, maker, endpoint, body):
    response = api_as(maker).post(url(endpoint), body, format="json")
    assert response.status_code == 400


def test_bad_input_on_update_changes_nothing(api_as, maker, manufacturer, brand):
    outlet = ServiceOutletFactory(enterprise=manufacturer, brand=brand)
    response = api_as(maker).patch(
        url("service-outlets", outlet.pk),
        {"city": "Paris", "contract_valid_until": "2019-01-01"},
        format="json",
    )
    assert response.status_code == 400 and "contract_valid_until" in response.json()
    outlet.refresh_from_db()
    assert outlet.city == "Lyon" and outlet.verification_status == "verified"
    assert outlet.contract_valid_until == date(2039, 12, 31)
