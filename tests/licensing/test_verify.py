"""Public verification: no login, minimal fields, 404 for unknown, rate limited."""

from datetime import date

import pytest
import time_machine
from django.core.cache import cache

from licensing.models import Licence
from tests.licensing.licence_factories import issue_licence

TODAY = date(2026, 3, 4)


@pytest.fixture(autouse=True)
def fresh_rate_budget():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def licence(db) -> Licence:
    with time_machine.travel(TODAY, tick=False):
        return issue_licence(valid_from=TODAY)


def test_the_api_answers_with_the_minimal_fields_only(licence, api):
    response = api.get(f"/api/v1/verify/{licence.number}/")
    assert response.status_code == 200
    assert response.json() == {
        "number": licence.number,
        "holder": licence.holder.name_en,
        "destination": "FR",
        "valid_from": "2026-03-04",
        "valid_until": "2026-09-03",
        "status": "active",
    }


def test_the_api_shows_the_current_status(licence, api):
    Licence.objects.filter(pk=licence.pk).update(status=Licence.Status.REVOKED)
    assert api.get(f"/api/v1/verify/{licence.number}/").json()["status"] == "revoked"


@pytest.mark.parametrize("number", ["26-31-999999", "not-a-number", "26-31-00001", "x" * 300])
def test_unknown_and_malformed_numbers_are_404(db, api, client, number):
    assert api.get(f"/api/v1/verify/{number}/").status_code == 404
    assert client.get(f"/verify/{number}/").status_code == 404


def test_a_logged_in_token_is_not_needed_nor_used(licence, api):
    api.credentials(HTTP_AUTHORIZATION="Token nonsense")
    assert api.get(f"/api/v1/verify/{licence.number}/").status_code == 200


def test_the_page_shows_the_licence_without_private_details(licence, client):
    response = client.get(f"/verify/{licence.number}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert licence.number in page and licence.holder.name_en in page
    assert "2026-09-03" in page and "Active" in page
    assert licence.holder.uscc not in page
    assert licence.contract_number not in page
    assert "25000" not in page


def test_the_api_is_rate_limited_per_client(licence, api):
    # The test settings allow 5 checks a minute.
    statuses = [api.get(f"/api/v1/verify/{licence.number}/").status_code for _ in range(7)]
    assert statuses[:5] == [200] * 5
    assert statuses[5:] == [429, 429]


def test_the_page_and_the_api_share_one_budget(licence, api, client):
    for _ in range(5):
        client.get(f"/verify/{licence.number}/")
    assert client.get(f"/verify/{licence.number}/").status_code == 429
    assert api.get(f"/api/v1/verify/{licence.number}/").status_code == 429
