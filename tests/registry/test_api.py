"""Registry API: who sees what, branch by branch; filters; the token endpoint."""

from datetime import date

import pytest
import time_machine
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from registry import services
from registry.models import Enterprise
from tests.registry.factories import (
    AuthorisationFactory,
    BrandFactory,
    EnterpriseFactory,
    MembershipFactory,
    QualificationFactory,
    UserFactory,
    VehicleModelFactory,
)

pytestmark = pytest.mark.django_db

RESOURCES = ["enterprises", "brands", "vehicle-models", "authorisations", "qualifications"]


def ids(api, resource: str, query: str = "") -> set[int]:  # type: ignore[no-untyped-def]
    response = api.get(f"/api/v1/{resource}/{query}")
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture(autouse=True)
def mid_2026():  # type: ignore[no-untyped-def]
    with time_machine.travel(date(2026, 6, 1)):
        yield


@pytest.fixture
def world(manufacturer, rival_enterprise):  # type: ignore[no-untyped-def]
    """A maker with two brands, an exporter authorised for one, and a rival with its own."""
    exporter = EnterpriseFactory(kind=Enterprise.Kind.AUTHORISED_EXPORTER)
    brand, other_brand = (
        BrandFactory(manufacturer=manufacturer),
        BrandFactory(manufacturer=manufacturer),
    )
    rival_brand = BrandFactory(manufacturer=rival_enterprise)
    return {
        "maker": manufacturer,
        "exporter": exporter,
        "rival": rival_enterprise,
        "brand": brand,
        "other_brand": other_brand,
        "rival_brand": rival_brand,
        "model": VehicleModelFactory(brand=brand),
        "other_model": VehicleModelFactory(brand=other_brand),
        "rival_model": VehicleModelFactory(brand=rival_brand),
        "authorisation": AuthorisationFactory(
            manufacturer=manufacturer,
            exporter=exporter,
            brands=[brand],
            valid_from=date(2026, 1, 1),
            valid_until=date(2026, 12, 31),
        ),
        "qualification": QualificationFactory(enterprise=manufacturer),
        "rival_qualification": QualificationFactory(enterprise=rival_enterprise),
    }


@pytest.fixture
def exporter_user(world):  # type: ignore[no-untyped-def]
    return MembershipFactory(enterprise=world["exporter"], role="applicant").user


# --- staff and anonymous --------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_anonymous_callers_get_401(api, world, resource):
    assert api.get(f"/api/v1/{resource}/").status_code == 401


@pytest.mark.parametrize("role", ["caseworker", "auditor", "registrar"])
def test_staff_see_every_enterprise_brand_model_authorisation_and_qualification(
    api_as, request, world, role
):
    api = api_as(request.getfixturevalue(role))
    assert ids(api, "enterprises") == set(Enterprise.objects.values_list("pk", flat=True))
    assert len(ids(api, "brands")) == 3
    assert len(ids(api, "vehicle-models")) == 3
    assert ids(api, "authorisations") == {world["authorisation"].pk}
    assert len(ids(api, "qualifications")) == 2


# --- the manufacturer -----------------------------------------------------------------------


def test_maker_sees_its_own_enterprise_brands_and_models(api_as, maker, world):
    api = api_as(maker)
    assert ids(api, "enterprises") == {world["maker"].pk}
    assert ids(api, "brands") == {world["brand"].pk, world["other_brand"].pk}
    assert ids(api, "vehicle-models") == {world["model"].pk, world["other_model"].pk}
    assert ids(api, "authorisations") == {world["authorisation"].pk}
    assert ids(api, "qualifications") == {world["qualification"].pk}


# --- the authorised exporter ----------------------------------------------------------------


def test_exporter_sees_only_the_brand_it_is_authorised_for(api_as, exporter_user, world):
    api = api_as(exporter_user)
    assert ids(api, "enterprises") == {world["exporter"].pk}
    assert ids(api, "brands") == {world["brand"].pk}
    assert ids(api, "vehicle-models") == {world["model"].pk}
    assert ids(api, "authorisations") == {world["authorisation"].pk}
    assert ids(api, "qualifications") == set()
    brand = api.get(f"/api/v1/brands/{world['brand'].pk}/")
    assert brand.status_code == 200
    assert brand.json()["manufacturer"] == world["maker"].pk


def test_exporter_loses_the_brand_when_the_authorisation_is_revoked(api_as, exporter_user, world):
    services.authorisation_revoke(actor=None, authorisation=world["authorisation"], reason="ended")
    api = api_as(exporter_user)
    assert ids(api, "brands") == set()
    assert ids(api, "vehicle-models") == set()
    assert api.get(f"/api/v1/brands/{world['brand'].pk}/").status_code == 404
    # The revoked authorisation itself stays on the exporter's record.
    revoked = api.get(f"/api/v1/authorisations/{world['authorisation'].pk}/").json()
    assert revoked["revoked"] is True


def test_exporter_loses_the_brand_when_the_authorisation_expires(api_as, exporter_user, world):
    api = api_as(exporter_user)
    with time_machine.travel(date(2027, 1, 1)):
        assert ids(api, "brands") == set()
        assert ids(api, "vehicle-models") == set()


def test_exporter_does_not_see_the_brand_before_the_authorisation_starts(
    api_as, exporter_user, world
):
    api = api_as(exporter_user)
    with time_machine.travel(date(2025, 12, 31)):
        assert ids(api, "brands") == set()


# --- the rival and other outsiders ----------------------------------------------------------


def detail_paths(world) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        f"/api/v1/enterprises/{world['maker'].pk}/",
        f"/api/v1/brands/{world['brand'].pk}/",
        f"/api/v1/vehicle-models/{world['model'].pk}/",
        f"/api/v1/authorisations/{world['authorisation'].pk}/",
        f"/api/v1/qualifications/{world['qualification'].pk}/",
    ]


def test_rival_gets_a_404_identical_to_a_missing_id(api_as, rival, world):
    api = api_as(rival)
    for path in detail_paths(world):
        hidden = api.get(path)
        missing = api.get(path.rsplit("/", 2)[0] + "/999999/")
        assert hidden.status_code == missing.status_code == 404, path
        assert hidden.content == missing.content, path


def test_rival_sees_only_its_own_rows(api_as, rival, world):
    api = api_as(rival)
    assert ids(api, "enterprises") == {world["rival"].pk}
    assert ids(api, "brands") == {world["rival_brand"].pk}
    assert ids(api, "vehicle-models") == {world["rival_model"].pk}
    assert ids(api, "authorisations") == set()
    assert ids(api, "qualifications") == {world["rival_qualification"].pk}


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_user_without_membership_sees_empty_lists(api_as, world, resource):
    assert ids(api_as(UserFactory()), resource) == set()


@pytest.mark.parametrize("resource", RESOURCES)
def test_an_inactive_membership_sees_empty_lists(api_as, world, resource):
    membership = MembershipFactory(enterprise=world["maker"])
    membership.is_active = False
    membership.save()
    assert ids(api_as(membership.user), resource) == set()


def test_an_inactive_staff_user_is_refused_and_would_see_nothing(api, world):
    user = UserFactory(username="gone", is_staff=True, is_active=False)
    token = Token.objects.create(user=user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/enterprises/").status_code == 401
    api.credentials()
    api.force_authenticate(user=user)
    assert ids(api, "enterprises") == set()


@pytest.mark.parametrize("resource", RESOURCES)
def test_the_registry_api_is_read_only(api_as, registrar, world, resource):
    assert api_as(registrar).post(f"/api/v1/{resource}/", {}).status_code == 405


# --- filters --------------------------------------------------------------------------------


def test_filters_narrow_each_list(api_as, caseworker, world):
    api = api_as(caseworker)
    exporters = ids(api, "enterprises", "?kind=authorised_exporter")
    assert exporters == {world["exporter"].pk}
    assert ids(api, "enterprises", f"?name={world['rival'].name_en}") == {world["rival"].pk}
    assert ids(api, "brands", f"?manufacturer={world['rival'].pk}") == {world["rival_brand"].pk}
    assert ids(api, "vehicle-models", f"?brand={world['brand'].pk}") == {world["model"].pk}
    assert ids(api, "vehicle-models", "?powertrain=PHEV") == set()
    by_exporter = ids(api, "authorisations", f"?exporter={world['exporter'].pk}")
    assert by_exporter == {world["authorisation"].pk}
    assert ids(api, "authorisations", "?current_on=2027-01-01") == set()
    assert ids(api, "authorisations", f"?brand={world['other_brand'].pk}") == set()
    assert ids(api, "qualifications", "?year=2027") == set()
    by_enterprise = ids(api, "qualifications", f"?enterprise={world['rival'].pk}")
    assert by_enterprise == {world["rival_qualification"].pk}


def test_filters_never_widen_what_a_member_sees(api_as, maker, world):
    api = api_as(maker)
    assert ids(api, "brands", f"?manufacturer={world['rival'].pk}") == set()
    assert ids(api, "qualifications", f"?enterprise={world['rival'].pk}") == set()


# --- the token endpoint ---------------------------------------------------------------------


def test_token_endpoint_exchanges_good_credentials_for_a_working_token(maker):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": maker.username, "password": "pw"}, format="json"
    )
    assert response.status_code == 200
    assert set(response.json()) == {"token"}
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/enterprises/").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"password": "pw"},
        {},
        {"username": "", "password": "pw"},
        {"username": "ma\x00ker", "password": "pw"},
        {"username": "maker", "password": "p\x00w"},
    ],
    ids=["no-username", "empty", "blank-username", "nul-in-username", "nul-in-password"],
)
def test_token_endpoint_refuses_an_incomplete_request_with_400(db, body):
    assert APIClient().post("/api/v1/auth/token/", body, format="json").status_code == 400


@pytest.mark.parametrize("username", ["maker", "nobody"], ids=["wrong-password", "unknown-user"])
def test_token_endpoint_refuses_wrong_credentials_with_401_as_documented(maker, username):
    body = {"username": maker.username if username == "maker" else username, "password": "wrong"}
    response = APIClient().post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert "token" not in response.json()
    assert response["WWW-Authenticate"] == "Token"


def test_the_schema_documents_the_token_endpoints_401(db):
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "401" in schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]


def test_a_bad_token_is_refused(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/enterprises/").status_code == 401
