"""Licences end to end: approval issues one; the API scopes, filters and acts."""

from datetime import date

import pytest
import time_machine

from licensing.models import Case, Licence
from tests.licensing.factories import case_in_status
from tests.licensing.licence_factories import issue_licence
from tests.registry.factories import CountryFactory

S = Licence.Status
TODAY = date(2026, 3, 4)
pytestmark = pytest.mark.django_db


@time_machine.travel(TODAY, tick=False)
def test_approving_a_licence_case_issues_its_licence_in_the_same_transaction(
    maker, caseworker, officer2
):
    case = case_in_status(
        Case.Status.APPROVED, applicant_user=maker, caseworker=caseworker, officer=officer2
    )
    licence = Licence.objects.get(case=case)
    assert licence.holder_id == case.applicant_id
    assert licence.status == S.ACTIVE
    assert licence.lines.get().licensed_quantity == case.lines.get().quantity
    assert licence.issued_by == officer2


@time_machine.travel(TODAY, tick=False)
def test_the_licence_json_carries_the_promised_fields(maker, api_as):
    licence = issue_licence(applicant=maker.membership.enterprise, valid_from=TODAY)
    data = api_as(maker).get(f"/api/v1/licences/{licence.pk}/").json()
    for name in (
        "id",
        "number",
        "case",
        "status",
        "holder",
        "destination",
        "valid_from",
        "valid_until",
        "uses_left",
    ):
        assert name in data
    assert data["case"] == licence.case_id
    assert data["destination"] == "FR"
    assert data["lines"][0]["remaining"] == 10


@time_machine.travel(TODAY, tick=False)
def test_members_see_only_their_own_enterprises_licences(maker, rival, officer, api_as):
    own = issue_licence(applicant=maker.membership.enterprise)
    other = issue_licence(applicant=rival.membership.enterprise)
    assert [row["id"] for row in api_as(maker).get("/api/v1/licences/").json()["results"]] == [
        own.pk
    ]
    assert api_as(maker).get(f"/api/v1/licences/{other.pk}/").status_code == 404
    assert api_as(maker).get(f"/api/v1/licences/{other.pk}/certificate.pdf").status_code == 404
    assert api_as(maker).get("/api/v1/licences/999999/").status_code == 404
    staff_ids = {row["id"] for row in api_as(officer).get("/api/v1/licences/").json()["results"]}
    assert staff_ids == {own.pk, other.pk}


def test_anonymous_callers_see_no_licences(api):
    assert api.get("/api/v1/licences/").status_code in (401, 403)


@time_machine.travel(TODAY, tick=False)
def test_the_list_filters_by_status_destination_and_holder(officer, api_as):
    first = issue_licence()
    second = issue_licence(destination=CountryFactory(code="DE"))
    Licence.objects.filter(pk=second.pk).update(status=S.SUSPENDED)
    client = api_as(officer)

    def ids(query: str) -> list[int]:
        return [row["id"] for row in client.get(f"/api/v1/licences/?{query}").json()["results"]]

    assert ids("status=suspended") == [second.pk]
    assert ids("destination=FR") == [first.pk]
    assert ids(f"holder={first.holder_id}") == [first.pk]


@time_machine.travel(TODAY, tick=False)
def test_the_list_query_count_does_not_grow_with_its_length(
    officer, api_as, django_assert_max_num_queries
):
    for _ in range(3):
        issue_licence(quantities=(1, 2))
    client = api_as(officer)
    with django_assert_max_num_queries(8):
        client.get("/api/v1/licences/")
    for _ in range(6):
        issue_licence(quantities=(1, 2))
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/licences/").json()["results"]) == 9


@time_machine.travel(TODAY, tick=False)
def test_an_officer_suspends_reinstates_and_revokes_through_the_api(officer, api_as):
    licence = issue_licence()
    client = api_as(officer)
    url = f"/api/v1/licences/{licence.pk}"
    response = client.post(f"{url}/suspend/", {"reason": "Outlet closed"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "suspended"
    assert client.post(f"{url}/reinstate/", {"reason": "Reopened"}).json()["status"] == "active"
    assert client.post(f"{url}/revoke/", {"reason": "False declaration"}).json()["status"] == (
        "revoked"
    )
    refused = client.post(f"{url}/reinstate/", {"reason": "x"})
    assert refused.status_code == 409 and refused.json()["code"] == "invalid_transition"


@time_machine.travel(TODAY, tick=False)
def test_an_officer_action_needs_a_reason_and_a_current_version(officer, api_as):
    licence = issue_licence()
    client = api_as(officer)
    assert client.post(f"/api/v1/licences/{licence.pk}/suspend/", {}).status_code == 400
    stale = client.post(
        f"/api/v1/licences/{licence.pk}/suspend/", {"reason": "x", "version": 7}, format="json"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"


@time_machine.travel(TODAY, tick=False)
def test_holders_and_caseworkers_may_not_take_officer_actions(maker, caseworker, api_as):
    licence = issue_licence(applicant=maker.membership.enterprise)
    for user in (maker, caseworker):
        response = api_as(user).post(
            f"/api/v1/licences/{licence.pk}/suspend/", {"reason": "x"}, format="json"
        )
        assert response.status_code == 403
    assert Licence.objects.get(pk=licence.pk).status == S.ACTIVE
