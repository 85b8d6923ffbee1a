"""Recording a customs declaration from the portal: all or nothing, errors where they belong."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from licensing.models import Declaration, DeclaredVehicle, Licence
from tests.licensing.licence_factories import (
    fresh_declaration_number,
    fresh_vin,
    issue_licence,
    vin_with_check_digit,
)
from tests.registry.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def licence(manufacturer):  # type: ignore[no-untyped-def]
    return issue_licence(applicant=manufacturer, quantities=(5, 3))


@pytest.fixture
def applicant(manufacturer):  # type: ignore[no-untyped-def]
    return MembershipFactory(enterprise=manufacturer, role="applicant").user


def url(licence: Licence) -> str:
    return f"/portal/licences/{licence.pk}/declarations/new/"


def form_data(licence: Licence, rows: dict[int, tuple], **fields):  # type: ignore[no-untyped-def]
    """POST data: rows maps a row position to (quantity, pasted VINs)."""
    lines = list(licence.lines.order_by("pk"))
    data = {
        "number": fresh_declaration_number(),
        "declared_on": licence.valid_from.isoformat(),
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": str(len(lines)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "100",
    }
    for index, line in enumerate(lines):
        quantity, vins = rows.get(index, ("", ""))
        data[f"lines-{index}-line"] = str(line.pk)
        data[f"lines-{index}-quantity"] = str(quantity)
        data[f"lines-{index}-vins"] = vins
    data.update(fields)
    return data


def remaining(licence: Licence) -> list[int]:
    return list(licence.lines.order_by("pk").values_list("remaining", flat=True))


def wrong_check_digit() -> str:
    vin = fresh_vin()
    return vin[:8] + ("0" if vin[8] != "0" else "1") + vin[9:]


def test_the_form_offers_one_row_per_licence_line(client, applicant, licence):  # type: ignore[no-untyped-def]
    client.force_login(applicant)
    response = client.get(url(licence))
    page = response.content.decode()
    assert response.status_code == 200
    for line in licence.lines.all():
        assert f'value="{line.pk}"' in page and str(line.vehicle_model) in page
    assert 'enctype="multipart/form-data"' in page and "csrfmiddlewaretoken" in page


def test_pasted_vins_separated_by_newlines_and_commas_record_a_declaration(
    client, applicant, licence
):  # type: ignore[no-untyped-def]
    vins = [fresh_vin() for _ in range(3)]
    pasted = f"{vins[0].lower()}\n{vins[1]}, {vins[2]}\n"
    data = form_data(licence, {0: (3, pasted)})
    client.force_login(applicant)
    response = client.post(url(licence), data)
    assert response.status_code == 302
    assert response["Location"] == f"/portal/licences/{licence.pk}/"
    assert remaining(licence) == [2, 3]
    assert set(DeclaredVehicle.objects.values_list("vin", flat=True)) == set(vins)
    followed = client.get(response["Location"]).content.decode()
    assert data["number"] in followed and "recorded" in followed


def test_a_csv_file_with_a_byte_order_mark_records_a_declaration(client, maker, licence):  # type: ignore[no-untyped-def]
    vins = [fresh_vin(), fresh_vin()]
    body = "\ufeffVIN,colour\n" + "".join(f"{vin},white\n" for vin in vins)
    data = form_data(licence, {1: (2, "")})
    data["lines-1-vins_file"] = SimpleUploadedFile("vins.csv", body.encode(), "text/csv")
    client.force_login(maker)
    assert client.post(url(licence), data).status_code == 302
    assert remaining(licence) == [5, 1]
    assert DeclaredVehicle.objects.filter(vin__in=vins).count() == 2


BAD_FILES = {
    "GBK text": ("vin\n车辆\n".encode("gbk"), "not UTF-8"),
    "binary": (b"MZ\x90\x00\x03\x00\x00\x00", "not a CSV text file"),
    "no vin header": (b"chassis\nLJR0A1B2XT0000001\n", "column"),
    "oversize": (b"vin\n" + b"A" * (600 * 1024), "larger than"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_csv_file_is_a_clear_field_error_and_saves_nothing(client, maker, licence, case):  # type: ignore[no-untyped-def]
    content, words = BAD_FILES[case]
    data = form_data(licence, {0: (1, "")})
    data["lines-0-vins_file"] = SimpleUploadedFile("vins.csv", content, "text/csv")
    client.force_login(maker)
    response = client.post(url(licence), data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert Declaration.objects.count() == 0 and remaining(licence) == [5, 3]


BAD_ROWS = {
    "wrong check digit": (lambda: {0: (1, wrong_check_digit())}, "check digit"),
    "malformed VIN": (lambda: {0: (1, "SHORT")}, "17 characters"),
    "fewer VINs than the quantity": (lambda: {0: (2, fresh_vin())}, "1 VINs for a quantity of 2"),
    "VINs without a quantity": (lambda: {0: ("", fresh_vin())}, "Give the number of vehicles"),
    "zero quantity": (lambda: {0: (0, "")}, "greater than or equal to 1"),
    "more than remain": (
        lambda: {1: (4, "\n".join(fresh_vin() for _ in range(4)))},
        "does not have that many vehicles left",
    ),
    "nothing declared": (lambda: {}, "at least one line"),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_a_bad_row_shows_its_error_keeps_the_input_and_saves_nothing(client, maker, licence, case):  # type: ignore[no-untyped-def]
    rows, words = BAD_ROWS[case]
    data = form_data(licence, rows())
    client.force_login(maker)
    response = client.post(url(licence), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert words in page
    assert data["number"] in page
    assert Declaration.objects.count() == 0 and remaining(licence) == [5, 3]


def test_a_duplicate_vin_is_marked_on_the_row_where_it_repeats(client, maker, licence):  # type: ignore[no-untyped-def]
    vin = fresh_vin()
    data = form_data(licence, {0: (1, vin), 1: (1, vin)})
    client.force_login(maker)
    response = client.post(url(licence), data)
    assert response.status_code == 400
    second_row = response.content.decode().split('name="lines-1-line"')[1]
    assert f"{vin} appears more than once in this declaration." in second_row
    assert Declaration.objects.count() == 0


def test_a_vin_declared_before_is_named_and_nothing_is_saved(client, maker, licence):  # type: ignore[no-untyped-def]
    vin = fresh_vin()
    client.force_login(maker)
    assert client.post(url(licence), form_data(licence, {0: (1, vin)})).status_code == 302
    response = client.post(url(licence), form_data(licence, {1: (1, vin)}))
    assert response.status_code == 400
    assert f"{vin} is already declared." in response.content.decode()
    assert remaining(licence) == [4, 3] and Declaration.objects.count() == 1


def test_a_malformed_or_reused_declaration_number_is_a_field_error(client, maker, licence):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    bad = client.post(url(licence), form_data(licence, {0: (1, fresh_vin())}, number="12AB"))
    assert bad.status_code == 400 and "18 digits" in bad.content.decode()
    first = form_data(licence, {0: (1, fresh_vin())})
    assert client.post(url(licence), first).status_code == 302
    again = form_data(licence, {0: (1, fresh_vin())}, number=first["number"])
    response = client.post(url(licence), again)
    assert response.status_code == 400 and "already recorded" in response.content.decode()
    assert remaining(licence) == [4, 3]


def test_a_date_outside_the_validity_is_a_plain_message(client, maker, licence):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    late = licence.valid_until.replace(year=licence.valid_until.year + 1).isoformat()
    response = client.post(
        url(licence), form_data(licence, {0: (1, fresh_vin())}, declared_on=late)
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "cannot take a declaration now" in page and "licence_not_usable" not in page
    assert Declaration.objects.count() == 0


def test_a_forged_line_of_another_licence_is_a_field_error_and_saves_nothing(
    client, maker, licence, manufacturer
):  # type: ignore[no-untyped-def]
    other = issue_licence(applicant=manufacturer, quantities=(9,))
    data = form_data(licence, {0: (1, fresh_vin())})
    data["lines-0-line"] = str(other.lines.get().pk)
    client.force_login(maker)
    response = client.post(url(licence), data)
    assert response.status_code == 400
    assert "This line is not on this licence." in response.content.decode()
    assert Declaration.objects.count() == 0
    assert other.lines.get().remaining == 9 and remaining(licence) == [5, 3]


def test_a_viewer_may_not_open_or_post_the_form(client, viewer, licence):  # type: ignore[no-untyped-def]
    client.force_login(viewer)
    assert client.get(url(licence)).status_code == 403
    assert client.post(url(licence), form_data(licence, {0: (1, fresh_vin())})).status_code == 403
    assert Declaration.objects.count() == 0


def test_another_enterprises_licence_form_is_the_same_404_as_a_missing_one(client, rival, licence):  # type: ignore[no-untyped-def]
    client.force_login(rival)
    data = form_data(licence, {0: (1, fresh_vin())})
    missing = f"/portal/licences/{licence.pk + 1000}/declarations/new/"
    assert client.get(url(licence)).status_code == client.get(missing).status_code == 404
    other = client.post(url(licence), data)
    assert other.status_code == 404
    assert other.content == client.post(missing, data).content
    assert Declaration.objects.count() == 0


def test_an_anonymous_visitor_is_sent_to_log_in(client, licence):  # type: ignore[no-untyped-def]
    response = client.post(url(licence), form_data(licence, {0: (1, fresh_vin())}))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Declaration.objects.count() == 0


def test_the_form_refuses_a_post_without_a_csrf_token(maker, licence):  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(maker)
    response = client.post(url(licence), form_data(licence, {0: (1, fresh_vin())}))
    assert response.status_code == 403
    assert Declaration.objects.count() == 0


def test_vins_read_from_a_file_stay_in_the_form_when_something_else_is_wrong(
    client, maker, licence
):  # type: ignore[no-untyped-def]
    vin = vin_with_check_digit("LJR0A1B20T9999991")
    data = form_data(licence, {0: (1, "")}, number="123")
    data["lines-0-vins_file"] = SimpleUploadedFile("v.csv", f"vin\n{vin}\n".encode(), "text/csv")
    client.force_login(maker)
    page = client.post(url(licence), data).content.decode()
    assert f"\n{vin}</textarea>" in page
    assert "need not choose the file again" in page


def test_an_exchange_of_a_used_licence_marks_an_off_schedule_vin_on_its_row(client, frozen_today):  # type: ignore[no-untyped-def]
    from aftersales.models import ExportedVehicle
    from tests.licensing.used_factories import exchange_of, used_licence, used_world, vin_for

    world = used_world()
    new = exchange_of(used_licence(world, frozen_today), frozen_today)
    stranger = vin_for("LSV")
    client.force_login(world.exporter_user)
    response = client.post(url(new), form_data(new, {0: (1, stranger)}))
    assert response.status_code == 400
    assert f"{stranger} is not on the licence" in str(response.context["rows"].forms[0].errors)
    scheduled = new.schedule_case.vehicles.first().vin
    assert client.post(url(new), form_data(new, {0: (1, scheduled)})).status_code == 302
    assert ExportedVehicle.objects.get(vin=scheduled).registered_in_china_on is not None
