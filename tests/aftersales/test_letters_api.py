"""The letters API: scoped lists and details, requests answered, letters issued and revoked."""

import pytest

from aftersales.models import ConfirmationLetter, LetterRequest
from tests.aftersales.factories import ServiceOutletFactory
from tests.aftersales.letter_factories import letter_world
from tests.registry.factories import EnterpriseFactory, MembershipFactory

pytestmark = pytest.mark.django_db
REQUESTS = "/api/v1/letter-requests/"
LETTERS = "/api/v1/confirmation-letters/"


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return letter_world()


def _ask(api_as, world, **overrides):  # type: ignore[no-untyped-def]
    body = {"vin": world.vin(), "vehicle_model": world.model.pk, "country": "FR", **overrides}
    return api_as(world.exporter_user).post(REQUESTS, body, format="json")


def test_an_exporter_asks_and_the_manufacturer_issues_on_the_request(api_as, world) -> None:  # type: ignore[no-untyped-def]
    asked = _ask(api_as, world, note="For the May ship")
    assert asked.status_code == 201, asked.json()
    assert asked.json()["manufacturer_name"] == "Jade River Motors"
    assert asked.json()["status"] == "pending"
    pk = asked.json()["id"]
    maker = api_as(world.maker_user)
    inbox = maker.get(REQUESTS, {"status": "pending"}).json()["results"]
    assert [row["id"] for row in inbox] == [pk]
    issued = maker.post(f"{REQUESTS}{pk}/issue/", {"outlet": world.outlet.pk}, format="json")
    assert issued.status_code == 201, issued.json()
    assert issued.json()["number"].startswith("CL-") and issued.json()["brand"] == "Jade"
    mine = api_as(world.exporter_user).get(LETTERS).json()["results"]
    assert [row["number"] for row in mine] == [issued.json()["number"]]
    assert api_as(world.exporter_user).get(f"{REQUESTS}{pk}/").json()["letter"] == mine[0]["number"]


def test_bad_requests_are_field_errors_and_save_nothing(api_as, world) -> None:  # type: ignore[no-untyped-def]
    assert _ask(api_as, world, vin=world.rival_vin()).json() == {
        "vin": ["This VIN was not built by Jade River Motors."]
    }
    assert "vehicle_model" in _ask(api_as, world, vehicle_model="abc").json()
    assert "country" in _ask(api_as, world, country="ZZZ").json()
    assert "vin" in _ask(api_as, world, vin="").json()
    assert not LetterRequest.objects.exists()


def test_a_rival_sees_no_letter_or_request_and_gets_404(api_as, world) -> None:  # type: ignore[no-untyped-def]
    pk = _ask(api_as, world).json()["id"]
    letter = world.issue()
    rival = api_as(world.rival_user)
    assert rival.get(REQUESTS).json()["results"] == []
    assert rival.get(LETTERS).json()["results"] == []
    assert rival.get(f"{REQUESTS}{pk}/").status_code == 404
    assert rival.get(f"{LETTERS}{letter.pk}/").status_code == 404
    refused = rival.post(f"{REQUESTS}{pk}/refuse/", {"reason": "No"}, format="json")
    assert refused.status_code == 404
    revoked = rival.post(f"{LETTERS}{letter.pk}/revoke/", {"reason": "No"}, format="json")
    assert revoked.status_code == 404
    outsider = MembershipFactory(enterprise=EnterpriseFactory(kind="other")).user
    assert api_as(outsider).get(LETTERS).json()["results"] == []


def test_the_requester_sees_its_letter_but_one_issued_unasked_stays_with_the_maker(
    api_as, world
) -> None:  # type: ignore[no-untyped-def]
    unasked = world.issue()
    assert api_as(world.exporter_user).get(f"{LETTERS}{unasked.pk}/").status_code == 404
    assert api_as(world.maker_user).get(f"{LETTERS}{unasked.pk}/").status_code == 200


def test_issuing_directly_checks_the_outlet(api_as, world) -> None:  # type: ignore[no-untyped-def]
    maker = api_as(world.maker_user)
    body = {"vin": world.vin(), "vehicle_model": world.model.pk, "country": "FR"}
    foreign = ServiceOutletFactory(enterprise=world.rival, country=world.france, brand=world.brand)
    unverified = ServiceOutletFactory(
        enterprise=world.maker, country=world.france, brand=world.brand,
        verification_status="pending",
    )  # fmt: skip
    assert "outlet" in maker.post(LETTERS, {**body, "outlet": foreign.pk}, format="json").json()
    answer = maker.post(LETTERS, {**body, "outlet": unverified.pk}, format="json")
    assert answer.json() == {"outlet": ["This outlet is not verified."]}
    assert not ConfirmationLetter.objects.exists()
    created = maker.post(LETTERS, {**body, "outlet": world.outlet.pk}, format="json")
    assert created.status_code == 201, created.json()
    again = maker.post(LETTERS, {**body, "outlet": world.outlet.pk}, format="json")
    assert again.status_code == 400 and "already in force" in again.json()["vin"][0]


def test_refuse_needs_a_reason_and_answered_requests_conflict(api_as, world) -> None:  # type: ignore[no-untyped-def]
    pk = _ask(api_as, world).json()["id"]
    maker = api_as(world.maker_user)
    assert maker.post(f"{REQUESTS}{pk}/refuse/", {"reason": ""}, format="json").json() == {
        "reason": ["Give the reason."]
    }
    assert (
        maker.post(f"{REQUESTS}{pk}/refuse/", {"reason": "Not ours"}, format="json").status_code
        == 200
    )
    again = maker.post(f"{REQUESTS}{pk}/refuse/", {"reason": "Not ours"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    withdrawn = api_as(world.exporter_user).post(f"{REQUESTS}{pk}/withdraw/")
    assert withdrawn.status_code == 409


def test_the_requester_withdraws_but_cannot_answer_its_own_request(api_as, world) -> None:  # type: ignore[no-untyped-def]
    pk = _ask(api_as, world).json()["id"]
    exporter = api_as(world.exporter_user)
    refused = exporter.post(f"{REQUESTS}{pk}/refuse/", {"reason": "x"}, format="json")
    assert refused.status_code == 403
    assert exporter.post(f"{REQUESTS}{pk}/withdraw/").json()["status"] == "withdrawn"


def test_revoke_through_the_api_and_filters(api_as, world) -> None:  # type: ignore[no-untyped-def]
    letter = world.issue()
    world.issue()
    maker = api_as(world.maker_user)
    answer = maker.post(f"{LETTERS}{letter.pk}/revoke/", {"reason": "Recalled"}, format="json")
    assert answer.json()["status"] == "revoked"
    again = maker.post(f"{LETTERS}{letter.pk}/revoke/", {"reason": "Recalled"}, format="json")
    assert again.status_code == 409
    assert len(maker.get(LETTERS, {"status": "in_force"}).json()["results"]) == 1
    assert len(maker.get(LETTERS, {"vin": letter.vin.lower()}).json()["results"]) == 1
    assert maker.get(LETTERS, {"country": "de"}).json()["results"] == []
    assert maker.get(LETTERS, {"status": "lost"}).status_code == 400


def test_viewers_read_but_do_not_write(api_as, world) -> None:  # type: ignore[no-untyped-def]
    letter = world.issue()
    viewer = api_as(MembershipFactory(enterprise=world.maker, role="viewer").user)
    assert viewer.get(f"{LETTERS}{letter.pk}/").status_code == 200
    revoked = viewer.post(f"{LETTERS}{letter.pk}/revoke/", {"reason": "x"}, format="json")
    assert revoked.status_code == 403


def test_list_queries_do_not_grow_with_rows(api_as, world, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(6):
        world.issue(request=world.request())
    maker = api_as(world.maker_user)
    with django_assert_max_num_queries(8):
        assert len(maker.get(LETTERS).json()["results"]) == 6
    with django_assert_max_num_queries(8):
        assert len(maker.get(REQUESTS).json()["results"]) == 6
