"""Portal confirmation letter pages: the exporter asks, the manufacturer answers or revokes."""

import pytest
from django.urls import reverse

from aftersales.models import ConfirmationLetter, LetterRequest
from tests.aftersales.letter_factories import letter_world
from tests.pagecheck import assert_reads_in_chinese
from tests.registry.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

LIST = "/portal/letters/"
NEW_REQUEST = "/portal/letters/requests/new/"


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return letter_world()


def request_data(world, **fields):  # type: ignore[no-untyped-def]
    data = {
        "vin": world.vin(),
        "brand": str(world.brand.pk),
        "vehicle_model": str(world.model.pk),
        "country": "FR",
        "note": "Bought at auction in Shanghai.",
    }
    data.update(fields)
    return data


def test_exporter_asks_for_a_letter_and_sees_it_pending(client, world):
    client.force_login(world.exporter_user)
    vin = world.vin()
    response = client.post(NEW_REQUEST, request_data(world, vin=vin))
    assert response.status_code == 302
    made = LetterRequest.objects.get()
    assert (made.vin, made.manufacturer, made.requester) == (vin, world.maker, world.exporter)
    page = client.get(LIST).content.decode()
    assert vin in page and "Jade River Motors" in page


def test_the_request_form_is_prefilled_from_the_link(client, world):
    client.force_login(world.exporter_user)
    vin = world.vin()
    response = client.get(NEW_REQUEST, {"vin": vin, "model": world.model.pk, "destination": "FR"})
    form = response.context["form"]
    assert form.initial["vin"] == vin
    assert form.initial["vehicle_model"] == world.model
    assert form.initial["country"] == "FR"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"vin": "NOT-A-VIN"}, "vin"),
        ({"vin": "rival"}, "vin"),
        ({"vehicle_model": "999999"}, "vehicle_model"),
        ({"country": ""}, "country"),
    ],
)
def test_a_bad_request_keeps_the_input_shows_the_field_error_and_saves_nothing(
    client, world, fields, field
):
    client.force_login(world.exporter_user)
    if fields.get("vin") == "rival":
        fields["vin"] = world.rival_vin()
    data = request_data(world, **fields)
    response = client.post(NEW_REQUEST, data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert data["note"] in response.content.decode()
    assert not LetterRequest.objects.exists()


def test_a_second_pending_request_for_the_same_vehicle_is_refused(client, world):
    client.force_login(world.exporter_user)
    vin = world.vin()
    world.request(vin)
    response = client.post(NEW_REQUEST, request_data(world, vin=vin))
    assert response.status_code == 400
    assert "pending" in response.context["form"].errors["vin"][0]
    assert LetterRequest.objects.count() == 1


def test_a_viewer_may_read_the_letters_but_not_ask(client, world):
    viewer = MembershipFactory(enterprise=world.exporter, role="viewer").user
    client.force_login(viewer)
    assert client.get(LIST).status_code == 200
    assert client.get(NEW_REQUEST).status_code == 403
    assert client.post(NEW_REQUEST, request_data(world)).status_code == 403
    assert not LetterRequest.objects.exists()


def test_the_maker_answers_a_request_with_one_of_its_verified_outlets(client, world):
    asked = world.request()
    client.force_login(world.maker_user)
    page = client.get(reverse("portal:letter_request", args=[asked.pk]))
    assert list(page.context["issue_form"].fields["outlet"].queryset) == [world.outlet]
    response = client.post(
        reverse("portal:letter_request_issue", args=[asked.pk]), {"outlet": world.outlet.pk}
    )
    assert response.status_code == 302
    letter = ConfirmationLetter.objects.get()
    assert (letter.request, letter.outlet, letter.requester) == (
        asked,
        world.outlet,
        world.exporter,
    )
    asked.refresh_from_db()
    assert asked.status == LetterRequest.Status.ISSUED


def test_issuing_without_an_outlet_or_with_an_unoffered_one_issues_nothing(client, world):
    asked = world.request()
    other = type(world.outlet).objects.create(
        enterprise=world.rival,
        country=world.france,
        city="Paris",
        address="1 rue de Rivoli",
        operator_name="Garage Rival",
        operator_kind="partner",
        contract_valid_from=world.outlet.contract_valid_from,
        contract_valid_until=world.outlet.contract_valid_until,
    )
    client.force_login(world.maker_user)
    url = reverse("portal:letter_request_issue", args=[asked.pk])
    for data in ({}, {"outlet": other.pk}):
        response = client.post(url, data)
        assert response.status_code == 400
        assert response.context["issue_form"].errors["outlet"]
    assert not ConfirmationLetter.objects.exists()


def test_the_maker_refuses_with_a_reason_and_the_exporter_reads_it(client, world):
    asked = world.request()
    client.force_login(world.maker_user)
    url = reverse("portal:letter_request_refuse", args=[asked.pk])
    empty = client.post(url, {"reason": "  "})
    assert empty.status_code == 400 and empty.context["refuse_form"].errors["reason"]
    asked.refresh_from_db()
    assert asked.status == LetterRequest.Status.PENDING
    assert client.post(url, {"reason": "Not sold through our network."}).status_code == 302
    client.force_login(world.exporter_user)
    assert "Not sold through our network." in client.get(LIST).content.decode()


def test_the_exporter_withdraws_a_pending_request_but_the_maker_cannot(client, world):
    asked = world.request()
    url = reverse("portal:letter_request_withdraw", args=[asked.pk])
    client.force_login(world.maker_user)
    assert client.post(url).status_code == 404
    client.force_login(world.exporter_user)
    assert client.post(url).status_code == 302
    asked.refresh_from_db()
    assert asked.status == LetterRequest.Status.WITHDRAWN


def test_a_rival_finds_neither_requests_nor_letters(client, world):
    asked = world.request()
    letter = world.issue()
    client.force_login(world.rival_user)
    page = client.get(LIST).content.decode()
    assert asked.vin not in page and letter.number not in page
    for url in (
        reverse("portal:letter_request", args=[asked.pk]),
        reverse("portal:letter_pdf", args=[letter.pk]),
        reverse("portal:letter_revoke", args=[letter.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("portal:letter_request_issue", args=[asked.pk])).status_code == 404


def test_the_maker_issues_a_letter_unasked_after_choosing_the_vehicle(client, world):
    client.force_login(world.maker_user)
    vin = world.vin()
    data = {"vin": vin, "brand": world.brand.pk, "vehicle_model": world.model.pk, "country": "FR"}
    shown = client.post("/portal/letters/new/", {**data, "show_outlets": "1"})
    assert list(shown.context["form"].fields["outlet"].queryset) == [world.outlet]
    missing = client.post("/portal/letters/new/", data)
    assert missing.status_code == 400 and missing.context["form"].errors["outlet"]
    response = client.post("/portal/letters/new/", {**data, "outlet": world.outlet.pk})
    assert response.status_code == 302
    assert ConfirmationLetter.objects.get().vin == vin


def test_an_exporter_may_not_issue_letters(client, world):
    client.force_login(world.exporter_user)
    assert client.get("/portal/letters/new/").status_code == 403


def test_the_maker_revokes_with_a_reason_and_both_sides_can_download(client, world):
    letter = world.issue(vin=world.vin())
    client.force_login(world.maker_user)
    url = reverse("portal:letter_revoke", args=[letter.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Outlet contract ended."}).status_code == 302
    letter.refresh_from_db()
    assert letter.status == ConfirmationLetter.Status.REVOKED
    again = client.post(url, {"reason": "Twice."})
    assert again.status_code == 409
    pdf = client.get(reverse("portal:letter_pdf", args=[letter.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_maker_filters_issued_letters_by_status_and_vin(client, world):
    kept = world.issue()
    other = world.issue()
    client.force_login(world.maker_user)
    page = client.get(LIST, {"vin": kept.vin[-6:], "status": "in_force"})
    assert [letter.pk for letter in page.context["page"]] == [kept.pk]
    assert other.number not in page.content.decode()


def test_the_letter_pages_read_in_chinese(client, world):
    asked = world.request(note="")
    world.issue()
    names = ["Jade River Motors", "Harbour Used Cars", "Garage Lumière", "Lyon", "Jade", "Sky EV"]
    names += [world.rival_model.name, world.rival_model.brand.name]
    client.force_login(world.maker_user)
    assert_reads_in_chinese(client, LIST, data=names)
    assert_reads_in_chinese(client, reverse("portal:letter_request", args=[asked.pk]), data=names)
    assert_reads_in_chinese(client, "/portal/letters/new/", data=names)
    client.force_login(world.exporter_user)
    assert_reads_in_chinese(client, LIST, data=names)
    assert_reads_in_chinese(client, NEW_REQUEST, data=names)


def test_the_makers_home_lists_pending_requests_and_the_exporters_shows_the_answer(client, world):
    asked = world.request()
    client.force_login(world.maker_user)
    home = client.get("/portal/")
    assert [r.pk for r in home.context["letter_inbox"]] == [asked.pk]
    assert reverse("portal:letter_request", args=[asked.pk]) in home.content.decode()
    world.issue(request=asked)
    assert client.get("/portal/").context["letter_inbox_count"] == 0
    client.force_login(world.exporter_user)
    exporter_home = client.get("/portal/")
    assert exporter_home.context["letter_inbox"] is None
    assert asked.vin in exporter_home.content.decode()  # the unread notice of the letter
