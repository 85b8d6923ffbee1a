"""Portal after-sales pages: coverage per destination and brand, outlets and commitments."""

import pytest

from aftersales.models import ServiceOutlet, SparePartsCommitment, WarrantyCommitment
from tests.aftersales.factories import (
    ServiceOutletFactory,
    SparePartsCommitmentFactory,
    WarrantyCommitmentFactory,
)
from tests.registry.factories import BrandFactory, CountryFactory, MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def brand(manufacturer):  # type: ignore[no-untyped-def]
    return BrandFactory(manufacturer=manufacturer)


@pytest.fixture
def france(db):  # type: ignore[no-untyped-def]
    return CountryFactory(code="FR")


@pytest.fixture
def applicant(manufacturer):  # type: ignore[no-untyped-def]
    return MembershipFactory(enterprise=manufacturer, role="applicant").user


@pytest.fixture
def outlet(manufacturer, brand, france):  # type: ignore[no-untyped-def]
    return ServiceOutletFactory(enterprise=manufacturer, brand=brand, country=france)


@pytest.fixture
def warranty(manufacturer, brand, france):  # type: ignore[no-untyped-def]
    return WarrantyCommitmentFactory(enterprise=manufacturer, brand=brand, country=france)


@pytest.fixture
def parts(manufacturer, brand, france):  # type: ignore[no-untyped-def]
    return SparePartsCommitmentFactory(enterprise=manufacturer, brand=brand, country=france)


def outlet_data(brand, **fields):  # type: ignore[no-untyped-def]
    data = {
        "country": "FR",
        "city": "Lyon",
        "address": "12 quai Perrache",
        "operator_name": "Garage du Rhône",
        "operator_kind": "partner",
        "brands": [str(brand.pk)],
        "contract_valid_from": "2026-01-01",
        "contract_valid_until": "2028-12-31",
    }
    data.update(fields)
    return data


def warranty_data(brand, **fields):  # type: ignore[no-untyped-def]
    data = {
        "brand": str(brand.pk),
        "country": "FR",
        "vehicle_warranty_months": "36",
        "battery_warranty_months": "96",
        "battery_warranty_km": "160000",
        "valid_from": "2026-01-01",
        "valid_until": "2030-12-31",
    }
    data.update(fields)
    return data


def parts_data(brand, **fields):  # type: ignore[no-untyped-def]
    data = {
        "brand": str(brand.pk),
        "country": "FR",
        "supply_years": "10",
        "max_lead_time_days": "7",
        "depot": "Lyon depot",
        "valid_from": "2026-01-01",
        "valid_until": "2030-12-31",
    }
    data.update(fields)
    return data


def test_the_coverage_table_shows_each_aspect_with_a_link_to_fix_what_fails(
    client, maker, outlet, brand
):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    page = client.get("/portal/aftersales/").content.decode()
    row = page.split('data-country="FR"')[1].split("</tr>")[0]
    outlet_cell = row.split('data-aspect="outlet"')[1].split('data-aspect="warranty"')[0]
    assert "✔" in outlet_cell and "until 2039-12-31" in outlet_cell
    assert f"No warranty commitment for {brand.name} in France." in row
    assert f"/portal/aftersales/warranty/new/?country=FR&amp;brand={brand.pk}" in row
    assert f"/portal/aftersales/spare-parts/new/?country=FR&amp;brand={brand.pk}" in row
    assert "France" in row


def test_every_destination_can_be_shown_even_without_records(client, maker, brand):  # type: ignore[no-untyped-def]
    CountryFactory(code="BR")
    client.force_login(maker)
    assert 'data-country="BR"' not in client.get("/portal/aftersales/").content.decode()
    page = client.get("/portal/aftersales/?all=1").content.decode()
    assert 'data-country="BR"' in page and "No service outlet serves" in page


def test_the_lists_show_only_the_enterprises_own_records(
    client, maker, outlet, warranty, parts, rival_enterprise
):  # type: ignore[no-untyped-def]
    foreign = ServiceOutletFactory(enterprise=rival_enterprise, operator_name="Rival Garage")
    client.force_login(maker)
    page = client.get("/portal/aftersales/").content.decode()
    assert outlet.operator_name in page and parts.depot in page
    assert f"/portal/aftersales/warranty/{warranty.pk}/" in page
    assert foreign.operator_name not in page


def test_a_viewer_reads_the_page_but_has_no_edit_links_and_may_not_edit(
    client, viewer, outlet, warranty, brand
):  # type: ignore[no-untyped-def]
    client.force_login(viewer)
    page = client.get("/portal/aftersales/").content.decode()
    assert outlet.operator_name in page
    assert "/new/" not in page and f"/outlets/{outlet.pk}/" not in page
    assert client.get("/portal/aftersales/outlets/new/").status_code == 403
    assert client.post("/portal/aftersales/outlets/new/", outlet_data(brand)).status_code == 403
    edit = client.post(f"/portal/aftersales/warranty/{warranty.pk}/", warranty_data(brand))
    assert edit.status_code == 403
    assert ServiceOutlet.objects.count() == 1
    warranty.refresh_from_db()
    assert warranty.version == 1


def test_an_applicant_adds_an_outlet_that_waits_for_verification(client, applicant, brand, france):  # type: ignore[no-untyped-def]
    client.force_login(applicant)
    form = client.get(f"/portal/aftersales/outlets/new/?country=FR&brand={brand.pk}")
    assert form.status_code == 200 and "csrfmiddlewaretoken" in form.content.decode()
    response = client.post("/portal/aftersales/outlets/new/", outlet_data(brand), follow=True)
    outlet = ServiceOutlet.objects.get()
    assert outlet.verification_status == ServiceOutlet.Status.PENDING
    assert list(outlet.brands.all()) == [brand]
    assert "waits for verification" in response.content.decode()


def test_editing_a_verified_outlets_address_returns_it_to_pending_and_says_so(
    client, maker, outlet, brand
):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    form = client.get(f"/portal/aftersales/outlets/{outlet.pk}/").content.decode()
    assert "sends it back for verification" in form
    data = outlet_data(brand, address="1 place Bellecour", version=str(outlet.version))
    response = client.post(f"/portal/aftersales/outlets/{outlet.pk}/", data, follow=True)
    outlet.refresh_from_db()
    assert outlet.address == "1 place Bellecour"
    assert outlet.verification_status == ServiceOutlet.Status.PENDING
    assert "pending verification again" in response.content.decode()


def test_an_applicant_records_and_edits_warranty_and_spare_parts_commitments(
    client, applicant, brand, france
):  # type: ignore[no-untyped-def]
    client.force_login(applicant)
    assert client.post("/portal/aftersales/warranty/new/", warranty_data(brand)).status_code == 302
    assert client.post("/portal/aftersales/spare-parts/new/", parts_data(brand)).status_code == 302
    commitment = WarrantyCommitment.objects.get()
    data = warranty_data(brand, vehicle_warranty_months="48", version=str(commitment.version))
    assert client.post(f"/portal/aftersales/warranty/{commitment.pk}/", data).status_code == 302
    commitment.refresh_from_db()
    assert commitment.vehicle_warranty_months == 48
    parts = SparePartsCommitment.objects.get()
    data = parts_data(brand, depot="Marseille depot", version=str(parts.version))
    assert client.post(f"/portal/aftersales/spare-parts/{parts.pk}/", data).status_code == 302
    parts.refresh_from_db()
    assert parts.depot == "Marseille depot"


BAD_RECORDS = {
    "warranty below the statutory minimum": (
        "/portal/aftersales/warranty/new/",
        lambda b: warranty_data(b, vehicle_warranty_months="12"),
        "at least 24 months",
        WarrantyCommitment,
    ),
    "end before start": (
        "/portal/aftersales/spare-parts/new/",
        lambda b: parts_data(b, valid_until="2025-01-01"),
        "The end date must be after the start date.",
        SparePartsCommitment,
    ),
    "another enterprise's brand": (
        "/portal/aftersales/outlets/new/",
        lambda b: outlet_data(b, brands=[str(BrandFactory().pk)]),
        "Choose one of your enterprise&#x27;s brands.",
        ServiceOutlet,
    ),
    "unknown country": (
        "/portal/aftersales/outlets/new/",
        lambda b: outlet_data(b, country="ZZ"),
        "Select a valid choice.",
        ServiceOutlet,
    ),
    "blank city": (
        "/portal/aftersales/outlets/new/",
        lambda b: outlet_data(b, city=""),
        "This field is required.",
        ServiceOutlet,
    ),
}


@pytest.mark.parametrize("case", BAD_RECORDS)
def test_bad_input_is_a_field_error_that_keeps_the_input_and_saves_nothing(
    client, maker, brand, france, case
):  # type: ignore[no-untyped-def]
    path, make, words, model = BAD_RECORDS[case]
    client.force_login(maker)
    data = make(brand)
    response = client.post(path, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert words in page and "Nothing was saved" in page
    assert model.objects.count() == 0
    if "depot" in data:
        assert 'value="Lyon depot"' in page


def test_a_stale_version_is_refused_and_nothing_changes(client, maker, warranty, brand):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    data = warranty_data(brand, vehicle_warranty_months="60", version="99")
    response = client.post(f"/portal/aftersales/warranty/{warranty.pk}/", data)
    assert response.status_code == 400 and "changed by someone else" in response.content.decode()
    warranty.refresh_from_db()
    assert warranty.vehicle_warranty_months != 60


@pytest.mark.parametrize("kind", ["outlets", "warranty", "spare-parts"])
def test_another_enterprises_record_is_the_same_404_as_a_missing_one(
    client, rival, outlet, warranty, parts, brand, kind
):  # type: ignore[no-untyped-def]
    record = {"outlets": outlet, "warranty": warranty, "spare-parts": parts}[kind]
    data = {"outlets": outlet_data, "warranty": warranty_data, "spare-parts": parts_data}[kind](
        brand
    )
    client.force_login(rival)
    other = f"/portal/aftersales/{kind}/{record.pk}/"
    missing = f"/portal/aftersales/{kind}/{record.pk + 1000}/"
    assert client.get(other).status_code == client.get(missing).status_code == 404
    posted = client.post(other, data)
    assert posted.status_code == 404 and posted.content == client.post(missing, data).content
    record.refresh_from_db()
    assert record.version == 1


@pytest.mark.parametrize(
    "path",
    ["/portal/aftersales/", "/portal/aftersales/outlets/new/", "/portal/aftersales/warranty/1/"],
)
def test_an_anonymous_visitor_is_sent_to_log_in(client, path):  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_are_refused_the_after_sales_pages_and_see_nothing(client, caseworker, outlet):  # type: ignore[no-untyped-def]
    client.force_login(caseworker)
    page = client.get("/portal/aftersales/")
    assert page.status_code == 403 and outlet.operator_name not in page.content.decode()
    assert client.get(f"/portal/aftersales/outlets/{outlet.pk}/").status_code == 403
    assert client.get("/portal/aftersales/outlets/new/").status_code == 403


def test_the_pages_read_in_chinese_with_country_names_and_labels(client, maker, outlet):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    zh = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    page = client.get("/portal/aftersales/", **zh).content.decode()
    assert "法国" in page and "France" not in page
    form = client.get(f"/portal/aftersales/outlets/{outlet.pk}/", **zh).content.decode()
    assert "Contract valid from" not in form and "contract valid from" not in form


def queries_for(client, path: str) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_page_query_count_does_not_grow_with_the_number_of_records(
    client, maker, manufacturer, brand, france, outlet, warranty, parts
):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    before = queries_for(client, "/portal/aftersales/")
    for _ in range(4):
        ServiceOutletFactory(enterprise=manufacturer, brand=brand, country=france)
        WarrantyCommitmentFactory(enterprise=manufacturer, brand=brand, country=france)
        SparePartsCommitmentFactory(enterprise=manufacturer, brand=brand, country=france)
    assert queries_for(client, "/portal/aftersales/") == before


@pytest.mark.parametrize(
    "path, make",
    [
        ("/portal/aftersales/outlets/new/", outlet_data),
        ("/portal/aftersales/warranty/new/", warranty_data),
        ("/portal/aftersales/spare-parts/new/", parts_data),
    ],
)
def test_the_forms_refuse_a_post_without_a_csrf_token(maker, brand, france, path, make):  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(maker)
    assert client.post(path, make(brand)).status_code == 403
    assert not ServiceOutlet.objects.exists() and not WarrantyCommitment.objects.exists()
    assert not SparePartsCommitment.objects.exists()
