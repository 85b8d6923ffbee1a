"""The public coverage check: no login, listed fields only, rate limited, few queries."""

from datetime import date

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.models import ServiceOutlet
from tests.aftersales.factories import ServiceOutletFactory, export_vehicles, serve_market
from tests.licensing.licence_factories import fresh_vin
from tests.registry.factories import BrandFactory, EnterpriseFactory

TODAY = date(2026, 3, 4)
URL = "/api/v1/coverage/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_budget():  # type: ignore[no-untyped-def]
    cache.clear()
    with time_machine.travel(TODAY, tick=False):
        yield
    cache.clear()


@pytest.fixture
def car():  # type: ignore[no-untyped-def]
    maker = EnterpriseFactory(kind="manufacturer")
    brand = BrandFactory(manufacturer=maker, name="Jade River")
    outlet, _w, _p = serve_market(enterprise=maker, brand=brand)
    outlet.phone = "+33 4 78 00 00 00"
    outlet.save()
    ServiceOutletFactory(enterprise=maker, brand=brand, verification_status="pending")
    ServiceOutletFactory(enterprise=maker, brand=BrandFactory(manufacturer=maker))
    ServiceOutletFactory(enterprise=maker, brand=brand, country__code="DE")
    return export_vehicles(enterprise=maker, brand=brand)[0]


def test_the_api_answers_with_the_listed_fields_and_nothing_about_holder_or_shipment(api, car):
    answer = api.get(URL, {"vin": car.vin.lower()})
    assert answer.status_code == 200
    assert answer.json() == {
        "vin": car.vin,
        "exported_under_licence": True,
        "brand": "Jade River",
        "vehicle_model": car.vehicle_model.name,
        "country": "FR",
        "country_name": "France",
        "warranty_ends_on": "2028-03-03",
        "under_warranty": True,
        "outlets": [{"name": car_outlet_name(car), "city": "Lyon", "phone": "+33 4 78 00 00 00"}],
    }
    text = answer.content.decode()
    for secret in (car.licence_number, car.declaration_number, car.enterprise.name_en):
        assert secret not in text


def car_outlet_name(car) -> str:  # type: ignore[no-untyped-def]
    return ServiceOutlet.objects.get(phone__startswith="+33").operator_name


def test_an_unknown_vin_is_reported_as_not_exported_under_licence(api):
    vin = fresh_vin()
    body = api.get(URL, {"vin": vin}).json()
    assert (body["vin"], body["exported_under_licence"], body["outlets"]) == (vin, False, [])


@pytest.mark.parametrize("vin", ["", "SHORT", "LJR0A1B20T0000001X", "LJR0A1B2XT0000001"])
def test_a_malformed_vin_is_a_400_on_the_vin(api, vin):
    answer = api.get(URL, {"vin": vin})
    assert answer.status_code == 400
    assert "vin" in answer.json()


def test_the_check_takes_at_most_five_queries(api, car):
    with CaptureQueriesContext(connection) as queries:
        assert api.get(URL, {"vin": car.vin}).status_code == 200
    assert len(queries) <= 5


def test_the_page_and_the_api_share_one_rate_budget(api, client, car):
    for _ in range(3):
        assert api.get(URL, {"vin": car.vin}).status_code == 200
    for _ in range(2):
        assert client.get("/coverage/", {"vin": car.vin}).status_code == 200
    assert api.get(URL, {"vin": car.vin}).status_code == 429
    assert client.get("/coverage/", {"vin": car.vin}).status_code == 429


def test_the_page_shows_the_answer_in_english_and_chinese(client, car):
    page = client.get("/coverage/", {"vin": car.vin}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "was exported under an export licence" in page and "2028-03-03" in page
    assert car.licence_number not in page
    page = client.get(
        "/coverage/", {"vin": car.vin}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "已凭出口许可证出口" in page and "法国" in page


def test_the_page_without_a_vin_shows_the_form_and_a_bad_vin_an_error(client):
    assert 'name="vin"' in client.get("/coverage/").content.decode()
    answer = client.get("/coverage/", {"vin": "NOPE"})
    assert answer.status_code == 400
    assert 'aria-invalid="true"' in answer.content.decode()
