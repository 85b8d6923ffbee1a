"""Portal used-vehicle licence application: the schedule edited row by row or from CSV."""

from datetime import timedelta

import pytest
from django.urls import reverse

from licensing.models import Case, ScheduledVehicle
from tests.licensing.used_factories import letter_for, used_case, used_world, vin_for
from tests.pagecheck import assert_reads_in_chinese
from tests.registry.factories import MembershipFactory

pytestmark = [pytest.mark.django_db]
APPLY = "/portal/apply/used_licence/"


@pytest.fixture
def world(frozen_today):  # type: ignore[no-untyped-def]
    return used_world()


def contract(**fields):  # type: ignore[no-untyped-def]
    data = {
        "contract_number": "HUC-2026-01",
        "customs_port": "Shanghai",
        "trade_mode": "general",
        "transport_mode": "sea",
        "payment_terms": "T/T",
        "use_mode": "single",
        "valid_from": "2026-02-25",
        "valid_until": "2026-05-31",
        "vehicles-TOTAL_FORMS": "0",
        "vehicles-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


def with_rows(world, data, rows):  # type: ignore[no-untyped-def]
    data = {**data, "destination": world.destination.code, "vehicles-TOTAL_FORMS": str(len(rows))}
    for index, row in enumerate(rows):
        values = {
            "brand": str(world.brand.pk),
            "vehicle_model": str(world.model.pk),
            "first_registered_on": "2025-11-27",
            "transferred_on": "2026-02-10",
            "unit_price_usd": "18000",
            **row,
        }
        data.update({f"vehicles-{index}-{name}": value for name, value in values.items()})
    return data


def test_a_qualified_exporter_saves_a_draft_with_its_schedule(client, world):
    client.force_login(world.exporter_user)
    vins = [vin_for("LSV"), vin_for("LSV")]
    data = with_rows(world, contract(), [{"vin": vins[0]}, {"vin": vins[1].lower()}])
    response = client.post(APPLY, data)
    assert response.status_code == 302, (
        response.context["schedule_errors"],
        response.context["form"].errors,
    )
    case = Case.objects.get()
    assert (case.kind, case.brand) == (Case.Kind.USED_LICENCE, None)
    assert sorted(case.vehicles.values_list("vin", flat=True)) == sorted(vins)


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"vin": "rival"}, "vin"),
        ({"transferred_on": "2025-10-01"}, "transferred_on"),
        ({"first_registered_on": "2026-13-01"}, "first_registered_on"),
        ({"vehicle_model": ""}, "vehicle_model"),
    ],
)
def test_a_bad_row_is_marked_on_its_field_the_input_kept_and_nothing_saved(
    client, world, row, field
):
    client.force_login(world.exporter_user)
    if row.get("vin") == "rival":
        row["vin"] = vin_for("LRV")
        from registry.models import WorldManufacturerIdentifier
        from tests.registry.factories import EnterpriseFactory

        WorldManufacturerIdentifier.objects.create(code="LRV", manufacturer=EnterpriseFactory())
    good = vin_for("LSV")
    data = with_rows(world, contract(), [{"vin": good}, {"vin": vin_for("LSV"), **row}])
    response = client.post(APPLY, data)
    assert response.status_code == 400
    forms = response.context["rows"].forms
    assert forms[1].errors[field]
    assert not forms[0].errors
    assert good in response.content.decode()
    assert not Case.objects.exists() and not ScheduledVehicle.objects.exists()


def test_the_same_vin_twice_is_refused_on_the_second_row(client, world):
    client.force_login(world.exporter_user)
    vin = vin_for("LSV")
    response = client.post(APPLY, with_rows(world, contract(), [{"vin": vin}, {"vin": vin}]))
    assert response.status_code == 400
    assert response.context["rows"].forms[1].errors["vin"]
    assert not Case.objects.exists()


def test_an_empty_schedule_is_refused(client, world):
    client.force_login(world.exporter_user)
    response = client.post(APPLY, with_rows(world, contract(), []))
    assert response.status_code == 400
    assert response.context["schedule_errors"]
    assert not Case.objects.exists()


def test_a_pasted_csv_fills_the_schedule_without_saving(client, world):
    client.force_login(world.exporter_user)
    vin = vin_for("LSV")
    text = (
        "vin,brand,model,first_registered_on,transferred_on,price_fob_usd\n"
        f"{vin},{world.brand.name},{world.model.name},2025-11-27,2026-02-10,18000\n"
        f"{vin_for('LSV')},{world.brand.name},No Such Model,2025-11-27,2026-02-10,18000\n"
    )
    response = client.post(APPLY, {**contract(), "schedule_text": text, "read_csv": "1"})
    assert response.status_code == 400  # the second line names an unknown model
    rows = response.context["rows"]
    assert rows.forms[0]["vin"].value() == vin
    assert str(rows.forms[0]["vehicle_model"].value()) == str(world.model.pk)
    assert "No Such Model" in response.context["schedule_errors"][0]
    assert not Case.objects.exists()


def test_a_csv_without_the_header_is_refused(client, world):
    client.force_login(world.exporter_user)
    response = client.post(APPLY, {**contract(), "schedule_text": "a,b\n1,2", "read_csv": "1"})
    assert response.status_code == 400
    assert "vin,brand,model" in response.context["schedule_errors"][0]


def test_an_unqualified_enterprise_is_not_offered_the_used_licence(client, world, maker):
    client.force_login(maker)
    assert client.get(APPLY).status_code == 403
    assert APPLY not in client.get("/portal/apply/licence/").content.decode()
    client.force_login(world.exporter_user)
    assert APPLY in client.get("/portal/apply/licence/").content.decode()


def test_a_viewer_may_not_apply(client, world):
    viewer = MembershipFactory(enterprise=world.exporter, role="viewer").user
    client.force_login(viewer)
    assert (
        client.post(APPLY, with_rows(world, contract(), [{"vin": vin_for("LSV")}])).status_code
        == 403
    )
    assert not Case.objects.exists()


def test_the_draft_is_edited_with_its_schedule(client, world, frozen_today):
    case = used_case(world, frozen_today, rows=2)
    client.force_login(world.exporter_user)
    url = reverse("portal:case_edit", args=[case.pk])
    page = client.get(url)
    assert len(page.context["rows"].initial) == 2
    kept = case.vehicles.first()
    data = with_rows(world, contract(version=str(case.version)), [{"vin": kept.vin}])
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(case.vehicles.values_list("vin", flat=True)) == [kept.vin]


def test_the_case_page_says_which_vehicles_need_a_letter_and_links_to_ask(
    client, world, frozen_today
):
    case = used_case(world, frozen_today, rows=2)
    recent, old = case.vehicles.order_by("pk")
    recent.first_registered_on = frozen_today - timedelta(days=100)
    recent.save()
    client.force_login(world.exporter_user)
    rows = client.get(reverse("portal:case_detail", args=[case.pk])).context["schedule"]
    assert [(r.needs_letter, bool(r.request_url)) for r in rows] == [(True, True), (False, False)]
    assert f"vin={recent.vin}" in rows[0].request_url
    letter = letter_for(world, recent)
    page = client.get(reverse("portal:case_detail", args=[case.pk]))
    assert page.context["schedule"][0].letter == letter
    assert reverse("letter-verify", args=[letter.number]) in page.content.decode()
    checks = {c.label: c.passed for c in page.context["checks"]}
    assert checks["Manufacturers' after-sales confirmation letters"] is True


def test_used_pages_read_in_chinese(client, world, frozen_today):
    case = used_case(world, frozen_today, rows=1)
    client.force_login(world.exporter_user)
    names = [world.brand.name, world.model.name, world.exporter.name_en, world.destination.name]
    assert_reads_in_chinese(client, APPLY, data=names)
    assert_reads_in_chinese(client, reverse("portal:case_edit", args=[case.pk]), data=names)
    assert_reads_in_chinese(client, reverse("portal:case_detail", args=[case.pk]), data=names)


def test_an_uploaded_csv_fills_the_schedule_and_a_bad_date_is_marked(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.exporter_user)
    vin = vin_for("LSV")
    text = (
        "vin,brand,model,first_registered_on,transferred_on,price_fob_usd\n"
        f"{vin},{world.brand.name},{world.model.name},2025-11-31,2026-02-10,18000\n"
    )
    upload = SimpleUploadedFile("schedule.csv", text.encode(), content_type="text/csv")
    response = client.post(APPLY, {**contract(), "schedule_file": upload, "read_csv": "1"})
    row = response.context["rows"].forms[0]
    assert row["vin"].value() == vin
    assert row.errors["first_registered_on"]
    assert not Case.objects.exists()


def test_a_missing_letter_fails_screening_with_a_link_to_the_letters(client, world, frozen_today):
    case = used_case(world, frozen_today, rows=1)
    case.vehicles.update(first_registered_on=frozen_today - timedelta(days=30))
    client.force_login(world.exporter_user)
    page = client.get(reverse("portal:case_detail", args=[case.pk]))
    failed = [c for c in page.context["checks"] if not c.passed]
    assert [c.fix_url for c in failed] == [reverse("portal:letter_list")]
    assert "letter missing" in failed[0].detail


def test_add_a_vehicle_without_javascript_keeps_the_rows_and_saves_nothing(client, world):
    client.force_login(world.exporter_user)
    vin = vin_for("LSV")
    data = with_rows(world, contract(), [{"vin": vin}])
    response = client.post(APPLY, {**data, "add_vehicle": "1"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows.forms) == 2 and rows.forms[0]["vin"].value() == vin
    assert not Case.objects.exists()


def test_a_rival_cannot_open_or_edit_the_used_draft(client, world, frozen_today, rival):
    case = used_case(world, frozen_today, rows=1)
    client.force_login(rival)
    assert client.get(reverse("portal:case_detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("portal:case_edit", args=[case.pk])).status_code == 404


def test_a_vin_still_to_export_under_a_licence_is_marked_on_its_row(client, world, frozen_today):
    from tests.licensing.used_factories import used_licence

    licensed = used_licence(world, frozen_today, rows=1).schedule_case.vehicles.get().vin
    client.force_login(world.exporter_user)
    data = with_rows(world, contract(), [{"vin": vin_for("LSV")}, {"vin": licensed}])
    response = client.post(APPLY, data)
    assert response.status_code == 400
    forms = response.context["rows"].forms
    assert forms[1].errors["vin"] == ["The VIN is still to be exported under a licence in force."]
    assert not forms[0].errors
    assert "still to be exported under a licence in force" in response.content.decode()
    assert not Case.objects.filter(status=Case.Status.DRAFT).exists()


def test_the_licensed_vin_error_reads_in_chinese(client, world, frozen_today):
    from tests.licensing.used_factories import used_licence

    licensed = used_licence(world, frozen_today, rows=1).schedule_case.vehicles.get().vin
    client.force_login(world.exporter_user)
    data = with_rows(world, contract(), [{"vin": licensed}])
    response = client.post(APPLY, data, headers={"accept-language": "zh-hans"})
    assert response.status_code == 400
    assert "该车辆识别代号仍在一份有效许可证下待出口。" in response.content.decode()
