"""Portal exported-vehicle register: the list, one first registration, a CSV of them."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from tests.aftersales.factories import ExportedVehicleFactory
from tests.pagecheck import assert_reads_in_chinese
from tests.registry.factories import BrandFactory, CountryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
LIST = reverse("portal:vehicle_list")
UPLOAD = reverse("portal:registrations_upload")


@pytest.fixture
def car(manufacturer, france):  # type: ignore[no-untyped-def]
    return ExportedVehicleFactory(
        enterprise=manufacturer,
        country=france,
        exported_on=date(2026, 1, 10),
        warranty_ends_on=date(2028, 1, 9),
    )


@pytest.fixture
def rival_car(rival_enterprise, france):  # type: ignore[no-untyped-def]
    return ExportedVehicleFactory(enterprise=rival_enterprise, country=france)


def register_url(vehicle):  # type: ignore[no-untyped-def]
    return reverse("portal:vehicle_register", args=[vehicle.pk])


def csv_file(*lines, name="registrations.csv", encoding="utf-8"):  # type: ignore[no-untyped-def]
    body = "\n".join(["vin,first_registered_on", *lines]) + "\n"
    return SimpleUploadedFile(name, body.encode(encoding), content_type="text/csv")


def test_a_viewer_sees_the_enterprise_cars_and_not_another_enterprises(
    client, viewer, car, rival_car
):  # type: ignore[no-untyped-def]
    client.force_login(viewer)
    page = client.get(LIST).content.decode()
    assert car.vin in page
    assert rival_car.vin not in page
    assert "Report first registration" not in page
    assert "Upload first registrations" not in page


def test_the_register_filters_by_vin_brand_and_destination(
    client, maker, manufacturer, car, france
):  # type: ignore[no-untyped-def]
    other_brand = BrandFactory(manufacturer=manufacturer, name="Zephyr")
    germany = CountryFactory(code="DE")
    other = ExportedVehicleFactory(enterprise=manufacturer, brand=other_brand, country=germany)
    client.force_login(maker)
    by_vin = client.get(LIST, {"vin": car.vin.lower()}).content.decode()
    assert car.vin in by_vin and other.vin not in by_vin
    by_brand = client.get(LIST, {"brand": other_brand.pk}).content.decode()
    assert other.vin in by_brand and car.vin not in by_brand
    by_country = client.get(LIST, {"country": "FR"}).content.decode()
    assert car.vin in by_country and other.vin not in by_country
    nonsense = client.get(LIST, {"brand": "x' or 1=1"})
    assert nonsense.status_code == 200
    assert car.vin not in nonsense.content.decode()


def test_the_register_pages_keep_the_filters_and_cost_the_same_queries_at_any_size(
    client, maker, manufacturer, france, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    ExportedVehicleFactory.create_batch(3, enterprise=manufacturer, country=france)
    client.force_login(maker)
    client.get(LIST)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(LIST, {"country": "FR"})
    ExportedVehicleFactory.create_batch(30, enterprise=manufacturer, country=france)
    with CaptureQueriesContext(connection) as many:
        page = client.get(LIST, {"country": "FR"}).content.decode()
    assert len(many) == len(few)
    assert "country=FR&amp;page=2" in page


def test_an_applicant_reports_a_first_registration_which_moves_the_warranty_end(
    client, applicant, car
):  # type: ignore[no-untyped-def]
    client.force_login(applicant)
    assert client.get(register_url(car)).status_code == 200
    response = client.post(register_url(car), {"first_registered_on": "2026-02-01"}, follow=True)
    car.refresh_from_db()
    assert car.first_registered_on == date(2026, 2, 1)
    assert car.warranty_ends_on == date(2028, 1, 31)
    assert "2028-01-31" in response.content.decode()
    assert AuditEvent.objects.filter(verb="aftersales.exported_vehicle.registered_abroad").exists()


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2026-01-01", "cannot be registered abroad before"),
        ("2099-01-01", "cannot be in the future"),
        ("yesterday", "Give the date as YYYY-MM-DD."),
        ("", "This field is required."),
    ],
)
def test_a_bad_registration_date_is_refused_on_the_field_and_changes_nothing(
    client, maker, car, value, problem
):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = client.post(register_url(car), {"first_registered_on": value})
    assert response.status_code == 400
    page = response.content.decode()
    assert problem in page
    assert f'value="{value}"' in page if value else True
    car.refresh_from_db()
    assert car.first_registered_on is None


def test_a_viewer_may_not_report_a_registration(client, viewer, car):  # type: ignore[no-untyped-def]
    client.force_login(viewer)
    assert client.get(register_url(car)).status_code == 403
    assert client.post(register_url(car), {"first_registered_on": "2026-02-01"}).status_code == 403
    response = client.post(UPLOAD, {"file": csv_file(f"{car.vin},2026-02-01")})
    assert response.status_code == 403
    car.refresh_from_db()
    assert car.first_registered_on is None


def test_another_enterprises_car_is_the_same_404_as_a_missing_one(client, maker, rival_car):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    assert client.get(register_url(rival_car)).status_code == 404
    assert (
        client.post(register_url(rival_car), {"first_registered_on": "2026-02-01"}).status_code
        == 404
    )
    assert client.get(reverse("portal:vehicle_register", args=["999999"])).status_code == 404
    assert client.get(reverse("portal:vehicle_register", args=["abc"])).status_code == 404


def test_a_csv_with_a_bad_row_saves_nothing_and_lists_each_bad_row(client, maker, car, rival_car):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = client.post(
        UPLOAD, {"file": csv_file(f"{car.vin},2026-02-01", f"{rival_car.vin},2026-02-01", "BAD,x")}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "nothing was saved" in page
    assert "No car with this VIN was exported under your licences." in page
    bad_rows = page.split('<table class="row-errors">')[1].split("</table>")[0]
    assert "first_registered_on" not in bad_rows and "{'" not in bad_rows
    car.refresh_from_db()
    assert car.first_registered_on is None


def test_ticking_import_the_valid_rows_saves_them_and_says_how_many_were_skipped(
    client, maker, car
):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = client.post(
        UPLOAD,
        {"file": csv_file(f"{car.vin},2026-02-01", "BAD,x"), "import_valid_rows": "on"},
        follow=True,
    )
    page = response.content.decode()
    assert "1 first registration was recorded. 1 row with errors was skipped." in page
    car.refresh_from_db()
    assert car.first_registered_on == date(2026, 2, 1)


@pytest.mark.parametrize(
    ("upload", "problem"),
    [
        (SimpleUploadedFile("x.csv", b"vin;date\nA;B\n"), "The first line must be exactly"),
        (
            SimpleUploadedFile("x.csv", "vin,first_registered_on\n车,2026-02-01\n".encode("gbk")),
            "not UTF-8 text",
        ),
        (SimpleUploadedFile("x.csv", b"\x00\x01\x02binary"), "not a CSV text file"),
    ],
)
def test_a_file_that_is_not_a_registration_csv_is_refused_on_the_file_field(
    client, maker, car, upload, problem
):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = client.post(UPLOAD, {"file": upload, "import_valid_rows": "on"})
    assert response.status_code == 400
    assert problem in response.content.decode()
    car.refresh_from_db()
    assert car.first_registered_on is None


def test_an_upload_without_a_file_asks_for_one(client, maker):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = client.post(UPLOAD, {"import_valid_rows": "on"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert 'name="import_valid_rows" id="id_import_valid_rows" checked' in page


def test_an_oversized_upload_is_refused_before_it_is_read(client, maker, car, settings):  # type: ignore[no-untyped-def]
    settings.FIRST_REGISTRATION_CSV_MAX_BYTES = 50
    client.force_login(maker)
    response = client.post(UPLOAD, {"file": csv_file(f"{car.vin},2026-02-01" * 5)})
    assert response.status_code == 400
    assert "larger than" in response.content.decode()


def test_the_register_and_the_registration_form_read_in_chinese(client, maker, car):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    data = [car.brand.name, car.vehicle_model.name, car.vin]
    text = assert_reads_in_chinese(client, LIST, data)
    assert "出口车辆" in text
    assert "境外首次登记" in assert_reads_in_chinese(client, register_url(car), data)
