"""Customs declarations draw licences down atomically; bad input draws nothing."""

import threading
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from audit.models import AuditEvent
from config.errors import Conflict
from licensing.models import Case, Declaration, DeclaredVehicle, Licence
from licensing.services.declarations import DeclaredLine, declaration_record
from tests.licensing.licence_factories import (
    fresh_declaration_number,
    fresh_vin,
    issue_licence,
)
from tests.registry.factories import MembershipFactory

S = Licence.Status
TODAY = date(2026, 3, 4)
VIN_SHAPE = "A VIN has 17 characters: capital letters except I, O, Q, and digits."


@pytest.fixture
def licence(db):
    with time_machine.travel(TODAY, tick=False):
        return issue_licence(quantities=(5, 3), valid_from=TODAY)


@pytest.fixture
def applicant(licence):
    return MembershipFactory(enterprise=licence.holder, role="applicant").user


def model_ids(licence: Licence) -> list[int]:
    return [line.vehicle_model_id for line in licence.lines.all()]


def declare(licence, actor, quantity=1, model=None, **kwargs):
    model = model or model_ids(licence)[0]
    return declaration_record(
        licence=licence,
        actor=actor,
        number=kwargs.pop("number", fresh_declaration_number()),
        declared_on=kwargs.pop("declared_on", TODAY),
        lines=kwargs.pop(
            "lines", [DeclaredLine(model, quantity, [fresh_vin() for _ in range(quantity)])]
        ),
    )


def remaining(licence: Licence) -> list[int]:
    return [line.remaining for line in licence.lines.order_by("pk")]


def test_a_declaration_draws_down_each_line_and_uses_one_declaration(licence, applicant):
    first, second = model_ids(licence)
    declaration = declare(
        licence,
        applicant,
        lines=[
            DeclaredLine(first, 2, [fresh_vin(), fresh_vin()]),
            DeclaredLine(second, 1, [fresh_vin()]),
        ],
    )
    licence.refresh_from_db()
    assert remaining(licence) == [3, 2]
    assert licence.uses_left == 11
    assert declaration.vehicles.count() == 3
    assert AuditEvent.objects.for_target(licence).first().verb == "licensing.declaration.recorded"


def test_each_vin_is_stored_under_its_own_line_and_the_declaration_as_read_back(licence, applicant):
    first, second = model_ids(licence)
    vins = {first: [fresh_vin(), fresh_vin()], second: [fresh_vin(), fresh_vin(), fresh_vin()]}
    declaration = declare(
        licence,
        applicant,
        lines=[DeclaredLine(model, len(found), found) for model, found in vins.items()],
    )

    stored = Declaration.objects.get(pk=declaration.pk)
    assert (stored.number, stored.recorded_at) == (declaration.number, declaration.recorded_at)
    by_line = {
        line.licence_line.vehicle_model_id: (
            line.quantity,
            sorted(line.vehicles.values_list("vin", flat=True)),
        )
        for line in stored.lines.select_related("licence_line")
    }
    assert by_line == {model: (len(found), sorted(found)) for model, found in vins.items()}
    assert set(
        DeclaredVehicle.objects.filter(declaration=stored).values_list("vehicle_model_id", "vin")
    ) == {(model, vin) for model, found in vins.items() for vin in found}


def test_drawing_everything_down_exhausts_the_licence(licence, applicant):
    first, second = model_ids(licence)
    declare(licence, applicant, quantity=5, model=first)
    declare(licence, applicant, quantity=3, model=second)
    licence.refresh_from_db()
    assert licence.status == S.EXHAUSTED
    assert remaining(licence) == [0, 0]


def test_an_overdraw_is_a_quantity_conflict_and_draws_nothing(licence, applicant):
    first, second = model_ids(licence)
    with pytest.raises(Conflict) as caught:
        declare(
            licence,
            applicant,
            lines=[
                DeclaredLine(first, 1, [fresh_vin()]),
                DeclaredLine(second, 4, [fresh_vin() for _ in range(4)]),
            ],
        )
    assert caught.value.code == "quantity_exceeded"
    assert remaining(licence) == [5, 3]
    assert Declaration.objects.count() == 0


def test_a_single_use_licence_refuses_a_second_declaration(db):
    with time_machine.travel(TODAY, tick=False):
        licence = issue_licence(quantities=(5,), use_mode=Case.UseMode.SINGLE, valid_from=TODAY)
    applicant = MembershipFactory(enterprise=licence.holder).user
    declare(licence, applicant, quantity=2)
    licence.refresh_from_db()
    assert licence.status == S.EXHAUSTED
    with pytest.raises(Conflict) as caught:
        declare(licence, applicant, quantity=1)
    assert caught.value.code == "licence_not_usable"


def test_a_multi_use_licence_refuses_the_13th_declaration(db):
    with time_machine.travel(TODAY, tick=False):
        licence = issue_licence(quantities=(20,), valid_from=TODAY)
    applicant = MembershipFactory(enterprise=licence.holder).user
    for _ in range(12):
        declare(licence, applicant)
    licence.refresh_from_db()
    assert (licence.uses_left, licence.status) == (0, S.EXHAUSTED)
    with pytest.raises(Conflict) as caught:
        declare(licence, applicant)
    assert caught.value.code == "licence_not_usable"
    assert remaining(licence) == [8]


@pytest.mark.parametrize("status", [s for s in S.values if s != S.ACTIVE])
def test_a_licence_that_is_not_active_cannot_be_declared_against(licence, applicant, status):
    Licence.objects.filter(pk=licence.pk).update(status=status)
    with pytest.raises(Conflict) as caught:
        declare(licence, applicant)
    assert caught.value.code == "licence_not_usable"
    assert remaining(licence) == [5, 3]


@pytest.mark.parametrize("day", [date(2026, 3, 3), date(2026, 9, 4)])
def test_a_declaration_outside_the_validity_is_refused(licence, applicant, day):
    assert (licence.valid_from, licence.valid_until) == (TODAY, date(2026, 9, 3))
    with pytest.raises(Conflict) as caught:
        declare(licence, applicant, declared_on=day)
    assert caught.value.code == "licence_not_usable"


def test_declarations_on_the_first_and_last_valid_day_are_accepted(licence, applicant):
    declare(licence, applicant, declared_on=licence.valid_from)
    declare(licence, applicant, declared_on=licence.valid_until)
    assert remaining(licence) == [3, 3]


# --- the API, bad input first -----------------------------------------------------------


def body(licence, **overrides):
    model = model_ids(licence)[0]
    data = {
        "number": fresh_declaration_number(),
        "declared_on": TODAY.isoformat(),
        "lines": [{"vehicle_model": model, "quantity": 2, "vins": [fresh_vin(), fresh_vin()]}],
    }
    data.update(overrides)
    return data


def wrong_check_digit() -> str:
    vin = fresh_vin()
    digit = "1" if vin[8] != "1" else "2"
    return vin[:8] + digit + vin[9:]


def line(model, quantity, vins):
    return [{"vehicle_model": model, "quantity": quantity, "vins": vins}]


def test_the_api_records_a_declaration_and_answers_with_the_new_remaining(
    licence, applicant, api_as
):
    response = api_as(applicant).post(
        f"/api/v1/licences/{licence.pk}/declarations/", body(licence), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["licence"]["lines"][0]["remaining"] == 3
    listed = api_as(applicant).get(f"/api/v1/licences/{licence.pk}/declarations/").json()
    assert len(listed) == 1 and len(listed[0]["lines"][0]["vins"]) == 2


BAD_INPUT = {
    "VIN with a wrong check digit": lambda lic, m: {"lines": line(m, 1, [wrong_check_digit()])},
    "malformed VIN": lambda lic, m: {"lines": line(m, 1, ["SHORT"])},
    "VIN twice in one declaration": lambda lic, m: {"lines": line(m, 2, ["DUP", "DUP"])},
    "VIN count below quantity": lambda lic, m: {"lines": line(m, 2, [fresh_vin()])},
    "VIN count above quantity": lambda lic, m: {"lines": line(m, 1, [fresh_vin(), fresh_vin()])},
    "unknown model line": lambda lic, m: {"lines": line(999999, 1, [fresh_vin()])},
    "negative quantity": lambda lic, m: {"lines": line(m, -1, [])},
    "zero quantity": lambda lic, m: {"lines": line(m, 0, [])},
    "no lines": lambda lic, m: {"lines": []},
    "same model twice": lambda lic, m: {
        "lines": line(m, 1, [fresh_vin()]) + line(m, 1, [fresh_vin()])
    },
    "malformed declaration number": lambda lic, m: {"number": "ABC"},
    "missing date": lambda lic, m: {"declared_on": None},
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_declarations_are_400_and_draw_nothing(licence, applicant, api_as, case):
    model = model_ids(licence)[0]
    data = body(licence, **BAD_INPUT[case](licence, model))
    if case == "VIN twice in one declaration":
        vin = fresh_vin()
        data["lines"][0]["vins"] = [vin, vin]
    response = api_as(applicant).post(
        f"/api/v1/licences/{licence.pk}/declarations/", data, format="json"
    )
    assert response.status_code == 400, response.json()
    assert remaining(licence) == [5, 3]
    assert Declaration.objects.count() == 0


def test_a_vin_already_declared_is_400_and_draws_nothing(licence, applicant, api_as):
    vin = fresh_vin()
    first = body(licence, lines=line(model_ids(licence)[0], 1, [vin]))
    assert (
        api_as(applicant)
        .post(f"/api/v1/licences/{licence.pk}/declarations/", first, format="json")
        .status_code
        == 201
    )
    again = body(licence, lines=line(model_ids(licence)[1], 1, [vin]))
    response = api_as(applicant).post(
        f"/api/v1/licences/{licence.pk}/declarations/", again, format="json"
    )
    assert response.status_code == 400
    assert remaining(licence) == [4, 3]
    assert DeclaredVehicle.objects.filter(vin=vin).count() == 1


def test_a_duplicate_declaration_number_is_400_and_draws_nothing(licence, applicant, api_as):
    number = fresh_declaration_number()
    url = f"/api/v1/licences/{licence.pk}/declarations/"
    assert (
        api_as(applicant).post(url, body(licence, number=number), format="json").status_code == 201
    )
    response = api_as(applicant).post(url, body(licence, number=number), format="json")
    assert response.status_code == 400
    assert "number" in response.json()
    assert remaining(licence) == [3, 3]


def test_a_date_outside_validity_is_409_not_usable(licence, applicant, api_as):
    response = api_as(applicant).post(
        f"/api/v1/licences/{licence.pk}/declarations/",
        body(licence, declared_on="2026-12-01"),
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "licence_not_usable"
    assert remaining(licence) == [5, 3]


def test_an_overdraw_through_the_api_is_409_quantity_exceeded(licence, applicant, api_as):
    vins = [fresh_vin() for _ in range(6)]
    response = api_as(applicant).post(
        f"/api/v1/licences/{licence.pk}/declarations/",
        body(licence, lines=line(model_ids(licence)[0], 6, vins)),
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "quantity_exceeded"


def test_another_enterprises_licence_is_404_and_draws_nothing(licence, rival, api_as):
    response = api_as(rival).post(
        f"/api/v1/licences/{licence.pk}/declarations/", body(licence), format="json"
    )
    assert response.status_code == 404
    assert remaining(licence) == [5, 3]


def test_a_viewer_of_the_holder_may_not_declare(licence, api_as):
    viewer = MembershipFactory(enterprise=licence.holder, role="viewer").user
    response = api_as(viewer).post(
        f"/api/v1/licences/{licence.pk}/declarations/", body(licence), format="json"
    )
    assert response.status_code == 403
    assert remaining(licence) == [5, 3]


def line_problems(caught) -> list[tuple[int, str, str]]:  # type: ignore[no-untyped-def]
    """Each line error as (line index, VIN or "", message)."""
    return [
        (error.params["line"], error.params["vin"], error.message % error.params)
        for error in caught.value.error_dict["lines"]
    ]


def test_line_errors_name_the_line_and_the_vin_they_concern(licence, applicant):
    first, second = model_ids(licence)
    repeated, bad = fresh_vin(), fresh_vin()[:-1] + "I"
    with pytest.raises(ValidationError) as caught:
        declare(
            licence,
            applicant,
            lines=[
                DeclaredLine(first, 2, [repeated, bad]),
                DeclaredLine(second, 2, [repeated]),
            ],
        )
    problems = line_problems(caught)
    assert (0, bad, f"{bad}: {VIN_SHAPE}") in problems
    assert (1, repeated, f"{repeated} appears more than once in this declaration.") in problems
    model = licence.lines.get(vehicle_model_id=second).vehicle_model
    assert (1, "", f"Model {model}: 1 VINs for a quantity of 2.") in problems
    assert Declaration.objects.count() == 0


def test_a_vin_declared_before_is_named_on_its_line(licence, applicant):
    first, second = model_ids(licence)
    vin = fresh_vin()
    declare(licence, applicant, lines=[DeclaredLine(first, 1, [vin])])
    with pytest.raises(ValidationError) as caught:
        declare(licence, applicant, lines=[DeclaredLine(second, 1, [vin])])
    assert line_problems(caught) == [(0, vin, f"{vin} is already declared.")]
    assert remaining(licence) == [4, 3]


# --- concurrency ------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_single_unit_declarations_never_overdraw():
    with time_machine.travel(TODAY, tick=False):
        # A second line keeps the licence active, so every loser sees the overdraw itself.
        licence = issue_licence(quantities=(7, 1), valid_from=TODAY)
    applicant = MembershipFactory(enterprise=licence.holder).user
    model = model_ids(licence)[0]
    threads = 11
    barrier = threading.Barrier(threads)
    outcomes: list[str] = []

    def one_unit() -> None:
        try:
            barrier.wait()
            declare(licence, applicant, model=model)
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    workers = [threading.Thread(target=one_unit) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    close_old_connections()
    assert outcomes.count("ok") == 7
    assert outcomes.count("quantity_exceeded") == threads - 7
    assert remaining(licence) == [0, 1]
    assert DeclaredVehicle.objects.count() == 7
    assert Licence.objects.get(pk=licence.pk).uses_left == 12 - 7
