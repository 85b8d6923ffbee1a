"""The public check of a confirmation letter: valid, revoked with its date, or unknown."""

import pytest
import time_machine
from django.core.cache import cache

from aftersales.services import letter_revoke
from tests.aftersales.letter_factories import letter_world
from tests.pagecheck import assert_reads_in_chinese

pytestmark = pytest.mark.django_db
FIELDS = {
    "number",
    "status",
    "revoked_on",
    "vin",
    "brand",
    "model",
    "destination",
    "issuer",
    "outlet_name",
    "outlet_city",
    "outlet_phone",
}


@pytest.fixture(autouse=True)
def fresh_rate_budget():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return letter_world()


@pytest.fixture
def letter(world):  # type: ignore[no-untyped-def]
    return world.issue(request=world.request(note="Buyer: Mr Secret"))


def test_a_valid_letter_shows_vehicle_issuer_and_outlet_only(client, letter) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/verify/letter/{letter.number}/")
    assert response.status_code == 200
    page = response.content.decode()
    for expected in ("This letter is valid.", letter.vin, "Jade Sky EV", "Jade River Motors",
                     "Garage Lumière", "Lyon", "+33 4 72 00 00 00", "France"):  # fmt: skip
        assert expected in page, expected
    for hidden in ("Harbour Used Cars", "Mr Secret", letter.requester.uscc):
        assert hidden not in page


def test_the_api_answers_the_same_fields_and_no_others(api, letter) -> None:  # type: ignore[no-untyped-def]
    answer = api.get(f"/api/v1/verify/letter/{letter.number}/").json()
    assert set(answer) == FIELDS
    assert answer["status"] == "in_force" and answer["revoked_on"] is None
    assert (answer["vin"], answer["outlet_city"]) == (letter.vin, "Lyon")


def test_a_revoked_letter_says_so_with_the_date(client, api, letter, world) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-05-06 10:00:00+08:00", tick=False):
        letter_revoke(actor=world.maker_user, letter=letter, reason="Secret internal reason")
    page = client.get(f"/verify/letter/{letter.number}/").content.decode()
    assert "This letter was revoked on 2026-05-06." in page
    assert "Secret internal reason" not in page
    answer = api.get(f"/api/v1/verify/letter/{letter.number}/").json()
    assert (answer["status"], answer["revoked_on"]) == ("revoked", "2026-05-06")


@pytest.mark.parametrize("number", ["CL-2026-999999", "hello", "<script>", "CL-2026-1"])
def test_an_unknown_or_malformed_number_is_a_404(client, api, number) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/verify/letter/{number}/")
    assert response.status_code == 404
    assert "No confirmation letter with the number" in response.content.decode()
    assert "<script>" not in response.content.decode()
    assert api.get(f"/api/v1/verify/letter/{number}/").status_code == 404


def test_the_check_is_rate_limited_and_shares_the_licence_budget(client, api, letter) -> None:  # type: ignore[no-untyped-def]
    # The test settings allow 5 checks a minute per client, pages and API together.
    codes = [client.get(f"/verify/letter/{letter.number}/").status_code for _ in range(5)]
    assert codes == [200] * 5
    assert client.get(f"/verify/letter/{letter.number}/").status_code == 429
    assert api.get(f"/api/v1/verify/letter/{letter.number}/").status_code == 429
    assert api.get("/api/v1/verify/26-31-000001/").status_code == 429


def test_the_page_reads_in_chinese(client, letter) -> None:  # type: ignore[no-untyped-def]
    data = ["Jade River Motors", "Garage Lumière", "Lyon", "Jade", "Sky EV"]
    text = assert_reads_in_chinese(client, f"/verify/letter/{letter.number}/", data=data)
    assert "法国" in text and letter.vin in text


def test_the_unknown_page_reads_in_chinese(client) -> None:  # type: ignore[no-untyped-def]
    text = assert_reads_in_chinese(client, "/verify/letter/CL-2026-999999/", status=404)
    assert "CL-2026-999999" in text
