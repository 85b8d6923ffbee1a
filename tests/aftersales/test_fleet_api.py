"""API of the exported-vehicle register and obligations: scoping, filters, bad input."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from aftersales.models import ExportedVehicle
from tests.aftersales.factories import export_vehicles, serve_market

TODAY = date(2026, 3, 4)
pytestmark = pytest.mark.django_db
URL = "/api/v1/exported-vehicles/"
UPLOAD = URL + "first-registrations/"


@pytest.fixture(autouse=True)
def travel():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def fleet(manufacturer):  # type: ignore[no-untyped-def]
    serve_market(enterprise=manufacturer)
    return export_vehicles(enterprise=manufacturer, count=2, exported_on=date(2026, 1, 10))


@pytest.fixture
def rival_car(rival_enterprise):  # type: ignore[no-untyped-def]
    return export_vehicles(enterprise=rival_enterprise, country_code="DE")[0]


def csv_file(text: str | bytes, name: str = "regs.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_a_member_lists_only_their_own_vehicles(api_as, maker, fleet, rival_car):
    body = api_as(maker).get(URL).json()
    assert {row["vin"] for row in body["results"]} == {v.vin for v in fleet}
    assert body["results"][0]["warranty_ends_on"] == "2028-01-09"


def test_another_enterprises_vehicle_is_a_404_like_a_missing_one(api_as, maker, rival_car):
    client = api_as(maker)
    assert client.get(f"{URL}{rival_car.pk}/").status_code == 404
    assert client.get(f"{URL}999999/").status_code == 404
    answer = client.post(
        f"{URL}{rival_car.pk}/first-registration/", {"first_registered_on": "2026-03-01"}
    )
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("vin={vin}", 1),
        ("country=fr", 2),
        ("country=DE", 0),
        ("licence=26-11-000001", 2),
        ("licence=26-11-999999", 0),
        ("warranty_ends_before=2028-01-10", 2),
        ("warranty_ends_after=2028-01-10", 0),
        ("brand=abc", 0),
    ],
)
def test_the_list_filters_by_vin_country_licence_and_warranty_end(
    api_as, maker, fleet, query, count
):
    answer = api_as(maker).get(f"{URL}?{query.format(vin=fleet[0].vin.lower())}")
    assert answer.status_code == 200
    assert answer.json()["count"] == count


def test_a_member_reports_a_first_registration_which_moves_the_warranty(api_as, maker, fleet):
    answer = api_as(maker).post(
        f"{URL}{fleet[0].pk}/first-registration/", {"first_registered_on": "2026-03-01"}
    )
    assert answer.status_code == 200
    assert answer.json()["warranty_ends_on"] == "2028-02-29"


@pytest.mark.parametrize("day", ["2026-01-09", "2026-03-05", "yesterday", ""])
def test_an_impossible_registration_date_is_a_400_that_changes_nothing(api_as, maker, fleet, day):
    answer = api_as(maker).post(
        f"{URL}{fleet[0].pk}/first-registration/", {"first_registered_on": day}
    )
    assert answer.status_code == 400
    assert "first_registered_on" in answer.json()
    fleet[0].refresh_from_db()
    assert fleet[0].first_registered_on is None


def test_a_good_csv_updates_every_row(api_as, maker, fleet):
    text = "vin,first_registered_on\n" + "".join(f"{v.vin},2026-02-01\n" for v in fleet)
    answer = api_as(maker).post(UPLOAD, {"file": csv_file(text)}, format="multipart")
    assert answer.status_code == 200, answer.json()
    assert answer.json() == {"updated": 2, "errors": []}
    assert ExportedVehicle.objects.filter(first_registered_on=date(2026, 2, 1)).count() == 2


def test_a_csv_with_bad_rows_reports_each_and_saves_nothing(api_as, maker, fleet, rival_car):
    text = (
        "vin,first_registered_on\n"
        f"{fleet[0].vin},2026-02-01\n"
        f"{rival_car.vin},2026-03-01\n"
        f"{fleet[1].vin},2099-01-01\n"
        "LJR0A1B20T0000000,2026-02-01,extra\n"
    )
    answer = api_as(maker).post(UPLOAD, {"file": csv_file(text)}, format="multipart")
    assert answer.status_code == 400
    assert [e["row"] for e in answer.json()["errors"]] == [3, 4, 5]
    assert not ExportedVehicle.objects.filter(first_registered_on__isnull=False).exists()


def test_a_csv_with_bad_rows_saves_the_good_ones_when_asked(api_as, maker, fleet):
    text = f"vin,first_registered_on\n{fleet[0].vin},2026-02-01\n{fleet[1].vin},2026-01-01\n"
    answer = api_as(maker).post(
        UPLOAD, {"file": csv_file(text), "import_valid_rows": "true"}, format="multipart"
    )
    assert answer.status_code == 200
    assert answer.json()["updated"] == 1
    assert [e["row"] for e in answer.json()["errors"]] == [3]


@pytest.mark.parametrize(
    "content",
    [
        "vin;first_registered_on\n",
        "VIN,date\nLJR0A1B20T0000000,2026-02-01\n",
        "vin,first_registered_on\n车辆,2026-02-01\n".encode("gbk"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"",
    ],
    ids=["semicolons", "wrong header", "GBK", "binary", "empty"],
)
def test_a_file_that_is_not_a_registration_csv_is_a_400_on_the_file(api_as, maker, fleet, content):
    answer = api_as(maker).post(UPLOAD, {"file": csv_file(content)}, format="multipart")
    assert answer.status_code == 400
    assert "file" in answer.json()


@override_settings(FIRST_REGISTRATION_CSV_MAX_BYTES=1024)
def test_an_oversized_upload_is_refused_before_it_is_read(api_as, maker, fleet):
    text = "vin,first_registered_on\n" + f"{fleet[0].vin},2026-02-01\n" * 100
    answer = api_as(maker).post(UPLOAD, {"file": csv_file(text)}, format="multipart")
    assert answer.status_code == 400
    assert "larger than" in answer.json()["file"][0]


@override_settings(FIRST_REGISTRATION_CSV_MAX_ROWS=1)
def test_a_file_with_too_many_rows_is_refused_and_nothing_saved(api_as, maker, fleet):
    text = "vin,first_registered_on\n" + "".join(f"{v.vin},2026-02-01\n" for v in fleet)
    answer = api_as(maker).post(UPLOAD, {"file": csv_file(text)}, format="multipart")
    assert answer.status_code == 400
    assert "more than 1 rows" in answer.json()["file"][0]
    assert not ExportedVehicle.objects.filter(first_registered_on__isnull=False).exists()


def test_obligations_are_scoped_and_read_only(api_as, maker, rival, fleet, rival_car):
    mine = api_as(maker).get("/api/v1/obligations/").json()["results"]
    assert [(o["country"], o["status"], o["vehicles"]) for o in mine] == [("FR", "covered", 2)]
    theirs = api_as(rival).get("/api/v1/obligations/").json()["results"]
    assert [o["status"] for o in theirs] == ["breached"]
    assert api_as(maker).get(f"/api/v1/obligations/{theirs[0]['id']}/").status_code == 404
    assert api_as(maker).patch(f"/api/v1/obligations/{mine[0]['id']}/", {}).status_code == 405
    assert api_as(maker).get("/api/v1/obligations/?status=breached").json()["count"] == 0
