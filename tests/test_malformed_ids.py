"""Ids that cannot exist, in paths, filters and bodies: a 404 or a 400, never a 500."""

import pytest

from config.ids import MAX_ID, parse_id

pytestmark = pytest.mark.django_db

HUGE = "72208862232061861888"
NOT_IDS = ["null,null", "true", "-1", "0", HUGE, "1e3", "١٢"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), (12, 12), (MAX_ID, MAX_ID), (MAX_ID + 1, None), (True, None), ("null", None)]
    + [(v, None) for v in NOT_IDS],
)
def test_parse_id_accepts_only_possible_database_ids(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases/{}/",
        "/api/v1/cases/{}/eligibility/",
        "/api/v1/cases/{}/documents/",
        "/api/v1/licences/{}/",
        "/api/v1/licences/{}/certificate.pdf",
    ],
)
def test_an_impossible_id_in_a_path_is_not_found(api_as, maker, path, value):
    response = api_as(maker).get(path.format(value))
    assert response.status_code == 404


@pytest.mark.parametrize("action", ["submit", "withdraw", "respond"])
def test_an_impossible_case_id_in_an_action_is_not_found(api_as, maker, action):
    response = api_as(maker).post(f"/api/v1/cases/null,null/{action}/", {}, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/authorisations/?exporter=-{HUGE}",
        f"/api/v1/brands/?manufacturer={HUGE}",
        f"/api/v1/vehicle-models/?brand={HUGE}",
        f"/api/v1/qualifications/?enterprise={HUGE}",
        f"/api/v1/licences/?holder={HUGE}",
        "/api/v1/brands/?manufacturer=true",
    ],
)
def test_an_impossible_id_in_a_filter_is_a_bad_request(api_as, maker, url):
    assert api_as(maker).get(url).status_code == 400


def test_an_impossible_id_in_a_case_body_is_a_field_error(api_as, maker):
    body = {"kind": "licence", "brand": int(HUGE), "applicant": "null"}
    response = api_as(maker).post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400
    assert "brand" in response.json()
