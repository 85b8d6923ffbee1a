"""/api/v1/cases/ for used-vehicle cases: the schedule in and out, errors per row, scoping."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from licensing.models import Case, ScheduledVehicle
from registry.models import WorldManufacturerIdentifier
from tests.licensing.used_factories import used_case, used_world, vehicle_values, vin_for
from tests.registry.factories import EnterpriseFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _row(world, today, **overrides):  # type: ignore[no-untyped-def]
    values = vehicle_values(world, today, **overrides)
    return {
        "vin": values["vin"],
        "vehicle_model": values["vehicle_model"].pk,
        "first_registered_on": values["first_registered_on"].isoformat(),
        "transferred_on": values["transferred_on"].isoformat(),
        "unit_price_usd": str(values["unit_price_usd"]),
    }


def _body(world, today, vehicles):  # type: ignore[no-untyped-def]
    return {
        "kind": "used_licence",
        "destination": world.destination.pk,
        "customs_port": "Shanghai Waigaoqiao",
        "trade_mode": "general",
        "contract_number": "UV-2026-01",
        "transport_mode": "sea",
        "use_mode": "single",
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=60)).isoformat(),
        "vehicles": vehicles,
    }


def test_an_exporter_creates_a_used_case_and_reads_its_schedule(api_as, frozen_today):
    world = used_world()
    rows = [_row(world, frozen_today) for _ in range(2)]
    response = api_as(world.exporter_user).post(
        "/api/v1/cases/", _body(world, frozen_today, rows), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "used_licence" and body["brand"] is None and body["lines"] == []
    assert body["reference"].startswith("UL-")
    assert body["vehicles"] == rows
    again = api_as(world.exporter_user).get(f"/api/v1/cases/{body['id']}/")
    assert again.json()["vehicles"] == rows


def test_errors_are_given_per_row_and_field_and_nothing_is_saved(api_as, frozen_today):
    world = used_world()
    WorldManufacturerIdentifier.objects.create(code="LGX", manufacturer=EnterpriseFactory())
    good = _row(world, frozen_today)
    foreign = _row(world, frozen_today, vin=vin_for("LGX"))
    backwards = _row(world, frozen_today)
    backwards["first_registered_on"] = (frozen_today - timedelta(days=1)).isoformat()
    backwards["transferred_on"] = (frozen_today - timedelta(days=5)).isoformat()
    rows = [good, foreign, backwards, dict(good)]
    response = api_as(world.exporter_user).post(
        "/api/v1/cases/", _body(world, frozen_today, rows), format="json"
    )
    assert response.status_code == 400
    vehicles = response.json()["vehicles"]
    assert set(vehicles) == {"1", "2", "3"}
    assert "not built by the manufacturer" in vehicles["1"]["vin"][0]
    assert "before the first registration" in vehicles["2"]["transferred_on"][0]
    assert "already listed as vehicle 1" in vehicles["3"]["vin"][0]
    assert not Case.objects.exists() and not ScheduledVehicle.objects.exists()


def test_malformed_rows_are_refused_in_the_same_shape(api_as, frozen_today):
    world = used_world()
    bad = _row(world, frozen_today)
    bad.update(first_registered_on="yesterday", vehicle_model="abc")
    body = _body(world, frozen_today, [_row(world, frozen_today), bad])
    response = api_as(world.exporter_user).post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400
    vehicles = response.json()["vehicles"]
    assert set(vehicles) == {"1"}
    assert set(vehicles["1"]) == {"first_registered_on", "vehicle_model"}


def test_an_unknown_model_or_bad_vin_is_an_error_on_its_row(api_as, frozen_today):
    world = used_world()
    rows = [_row(world, frozen_today, vin="NOTAVIN"), _row(world, frozen_today)]
    rows[1]["vehicle_model"] = 999999
    response = api_as(world.exporter_user).post(
        "/api/v1/cases/", _body(world, frozen_today, rows), format="json"
    )
    assert response.status_code == 400
    vehicles = response.json()["vehicles"]
    assert "17 characters" in vehicles["0"]["vin"][0]
    assert vehicles["1"]["vehicle_model"] == ["Choose a vehicle model."]


@pytest.mark.parametrize("vehicles", [[], "not a list"])
def test_an_empty_or_malformed_schedule_is_an_error_on_the_whole_schedule(
    api_as, frozen_today, vehicles
):
    world = used_world()
    response = api_as(world.exporter_user).post(
        "/api/v1/cases/", _body(world, frozen_today, vehicles), format="json"
    )
    assert response.status_code == 400
    assert response.json()["vehicles"]["non_field_errors"]


def test_a_schedule_over_the_limit_is_refused_before_any_row_is_read(
    api_as, frozen_today, settings
):
    world = used_world()
    rows = [_row(world, frozen_today) for _ in range(501)]
    with CaptureQueriesContext(connection) as queries:
        response = api_as(world.exporter_user).post(
            "/api/v1/cases/", _body(world, frozen_today, rows), format="json"
        )
    assert response.status_code == 400
    assert "500" in response.json()["vehicles"]["non_field_errors"][0]
    assert len(queries) < 10


def test_a_patch_replaces_the_schedule_and_checks_the_version(api_as, frozen_today):
    world = used_world()
    case = used_case(world, frozen_today)
    new_rows = [_row(world, frozen_today)]
    client = api_as(world.exporter_user)
    stale = client.patch(
        f"/api/v1/cases/{case.pk}/", {"version": 9, "vehicles": new_rows}, format="json"
    )
    assert stale.status_code == 409
    response = client.patch(
        f"/api/v1/cases/{case.pk}/", {"version": 1, "vehicles": new_rows}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["vehicles"] == new_rows and response.json()["version"] == 2


def test_a_bad_patch_answers_per_row_and_keeps_the_schedule(api_as, frozen_today):
    world = used_world()
    case = used_case(world, frozen_today)
    kept = list(case.vehicles.values_list("vin", flat=True))
    future = _row(world, frozen_today, transferred_on=frozen_today + timedelta(days=1))
    response = api_as(world.exporter_user).patch(
        f"/api/v1/cases/{case.pk}/", {"version": 1, "vehicles": [future]}, format="json"
    )
    assert response.status_code == 400
    assert "transferred_on" in response.json()["vehicles"]["0"]
    assert list(case.vehicles.values_list("vin", flat=True)) == kept


def test_vehicles_on_a_new_vehicle_case_are_refused(api_as, maker, frozen_today):
    from tests.licensing.factories import draft_case
    from tests.licensing.test_api_cases import _body as licence_body

    world = used_world()
    template = draft_case(maker)
    body = licence_body(template, vehicles=[_row(world, frozen_today)])
    response = api_as(maker).post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400
    assert response.json()["vehicles"]["non_field_errors"]


def test_the_list_filters_used_cases_and_a_rival_sees_none_of_them(api_as, frozen_today, rival):
    world = used_world()
    case = used_case(world, frozen_today)
    colleague = MembershipFactory(enterprise=world.exporter, role="viewer").user
    listed = api_as(colleague).get("/api/v1/cases/?kind=used_licence").json()["results"]
    assert [c["id"] for c in listed] == [case.pk]
    assert len(listed[0]["vehicles"]) == 1
    assert api_as(colleague).get("/api/v1/cases/?kind=licence").json()["results"] == []
    assert api_as(rival).get("/api/v1/cases/?kind=used_licence").json()["results"] == []
    assert api_as(rival).get(f"/api/v1/cases/{case.pk}/").status_code == 404
    patched = api_as(rival).patch(
        f"/api/v1/cases/{case.pk}/", {"version": 1, "vehicles": []}, format="json"
    )
    assert patched.status_code == 404


def test_listing_used_cases_takes_no_more_queries_for_more_vehicles(
    api_as, frozen_today, caseworker
):
    world = used_world()
    used_case(world, frozen_today, rows=1)
    client = api_as(caseworker)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/cases/?kind=used_licence")
    used_case(world, frozen_today, rows=6, contract_number="UV-6")
    with CaptureQueriesContext(connection) as more:
        client.get("/api/v1/cases/?kind=used_licence")
    assert len(more) == len(few)


def test_a_vin_still_to_export_under_a_licence_is_an_error_on_its_row(api_as, frozen_today):
    from tests.licensing.used_factories import used_licence

    world = used_world()
    licensed = used_licence(world, frozen_today, rows=1).schedule_case.vehicles.get().vin
    rows = [_row(world, frozen_today), _row(world, frozen_today, vin=licensed)]
    response = api_as(world.exporter_user).post(
        "/api/v1/cases/", _body(world, frozen_today, rows), format="json"
    )
    assert response.status_code == 400
    assert response.json()["vehicles"] == {
        "1": {"vin": ["The VIN is still to be exported under a licence in force."]}
    }
    assert not Case.objects.filter(status=Case.Status.DRAFT).exists()
