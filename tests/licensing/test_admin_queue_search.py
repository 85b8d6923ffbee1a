"""Queue search by licence number and VIN, and garbage searches and filters answer calmly."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from tests.licensing.factories import CaseFactory
from tests.licensing.licence_factories import issue_licence
from tests.licensing.test_declarations import declare
from tests.registry.factories import MembershipFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:licensing_case_changelist")
TODAY = date(2026, 3, 4)


def found(client, **params) -> set[int]:  # type: ignore[no-untyped-def]
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return {case.pk for case in response.context["cl"].result_list}


@pytest.fixture
def declared(db):  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        licence = issue_licence(quantities=(2,), valid_from=TODAY)
        applicant = MembershipFactory(enterprise=licence.holder, role="applicant").user
        declaration = declare(licence, applicant, quantity=1)
    CaseFactory.create_batch(2)
    return licence, declaration.vehicles.get().vin


def test_search_finds_the_case_behind_a_licence_number(client, caseworker, declared):
    licence, _vin = declared
    client.force_login(caseworker)
    assert found(client, q=licence.number) == {licence.case_id}


def test_search_finds_the_case_behind_a_declared_vin_in_any_case(client, caseworker, declared):
    licence, vin = declared
    client.force_login(caseworker)
    assert found(client, q=vin.lower()) == {licence.case_id}
    assert found(client, q=vin[:10]) == set()


@pytest.mark.parametrize("term", ["%00", "x" * 10_000, "' OR 1=1 --", "😀", "\u202e"])
def test_a_garbage_search_finds_nothing_and_is_no_server_error(client, caseworker, term):
    CaseFactory.create_batch(2)
    client.force_login(caseworker)
    assert found(client, q=term) == set()


@pytest.mark.parametrize(
    "params", [{"queue": "nonsense"}, {"priority": "whenever"}, {"status": "x" * 5000}]
)
def test_an_unknown_filter_value_is_no_server_error(client, caseworker, params):
    CaseFactory.create_batch(2)
    client.force_login(caseworker)
    response = client.get(CHANGELIST, params)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("term", ["\x00", "LC\x00-2026"])
def test_a_search_with_a_null_character_is_ignored_with_a_message(client, caseworker, term):
    CaseFactory.create_batch(2)
    client.force_login(caseworker)
    response = client.get(CHANGELIST, {"q": term})
    assert response.status_code == 200
    assert "The search contained a null character and was ignored." in response.content.decode()
