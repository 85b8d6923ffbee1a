"""Admin: letters per manufacturer, revoked with a reason; requests read-only; VIN prefixes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from aftersales.models import ConfirmationLetter
from audit.models import AuditEvent
from registry.models import WorldManufacturerIdentifier
from registry.services import wmi_create, wmi_update
from tests.aftersales.factories import ServiceOutletFactory
from tests.aftersales.letter_factories import letter_world
from tests.registry.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
LETTERS = "/admin/aftersales/confirmationletter/"
REQUESTS = "/admin/aftersales/letterrequest/"
WMIS = "/admin/registry/worldmanufactureridentifier/"


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return letter_world()


def test_letters_are_listed_filtered_by_manufacturer_and_found_by_vin(client, caseworker, world):  # type: ignore[no-untyped-def]
    mine = world.issue()
    rival_outlet = ServiceOutletFactory(
        enterprise=world.rival, country=world.france, brand=world.rival_model.brand
    )
    theirs = world.issue(
        world.rival_vin(),
        actor=world.rival_user,
        vehicle_model=world.rival_model,
        outlet=rival_outlet,
    )
    client.force_login(caseworker)
    page = client.get(LETTERS, {"manufacturer__id__exact": world.maker.pk}).content.decode()
    assert mine.number in page and "Jade River Motors" in page
    assert client.get(LETTERS, {"q": mine.vin}).content.decode().count(mine.number) >= 1
    other = client.get(LETTERS, {"manufacturer__id__exact": world.rival.pk}).content.decode()
    assert mine.number not in other and theirs.number in other


def test_an_officer_revokes_with_a_reason(client, officer, world):  # type: ignore[no-untyped-def]
    letter = world.issue(request=world.request())
    client.force_login(officer)
    data = {"action": "revoke_letters", "_selected_action": [letter.pk]}
    asked = client.post(LETTERS, data)
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    letter.refresh_from_db()
    assert letter.in_force
    client.post(LETTERS, {**data, "apply": "1", "reason": "The outlet closed in May"})
    letter.refresh_from_db()
    assert letter.status == "revoked" and letter.revoked_by == officer
    assert letter.revocation_reason == "The outlet closed in May"


def test_revoking_twice_in_the_admin_reports_the_refusal(client, officer, world):  # type: ignore[no-untyped-def]
    letter = world.issue()
    client.force_login(officer)
    data = {"action": "revoke_letters", "_selected_action": [letter.pk], "apply": "1"}
    client.post(LETTERS, {**data, "reason": "First"})
    page = client.post(LETTERS, {**data, "reason": "Second"}, follow=True).content.decode()
    assert "already revoked" in page
    letter.refresh_from_db()
    assert letter.revocation_reason == "First"


def test_the_revoke_action_is_offered_only_to_those_who_may_revoke(
    client, caseworker, officer, world
):  # type: ignore[no-untyped-def]
    world.issue()
    client.force_login(caseworker)
    assert "revoke_letters" not in client.get(LETTERS).content.decode()
    client.force_login(officer)
    assert "revoke_letters" in client.get(LETTERS).content.decode()


def test_letters_and_requests_cannot_be_added_or_edited(client, officer, world):  # type: ignore[no-untyped-def]
    letter = world.issue(request=world.request())
    client.force_login(officer)
    assert client.get(f"{LETTERS}add/").status_code == 403
    change = reverse("admin:aftersales_confirmationletter_change", args=[letter.pk])
    assert client.post(change, {"vin": "LJR00000000000000"}).status_code == 403
    request_page = reverse("admin:aftersales_letterrequest_change", args=[letter.request_id])
    assert client.get(request_page).status_code == 200
    assert client.post(request_page, {}).status_code == 403
    assert ConfirmationLetter.objects.get().vin == letter.vin


def test_the_registrar_records_a_vin_prefix_through_the_service(client, registrar):  # type: ignore[no-untyped-def]
    maker = EnterpriseFactory(kind="manufacturer")
    client.force_login(registrar)
    response = client.post(f"{WMIS}add/", {"code": "LSV", "manufacturer": maker.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    identifier = WorldManufacturerIdentifier.objects.get()
    assert (identifier.code, identifier.manufacturer) == ("LSV", maker)
    assert AuditEvent.objects.filter(verb="registry.world_manufacturer_identifier.created").exists()


def test_a_vin_prefix_needs_a_manufacturer_and_a_valid_code(registrar):  # type: ignore[no-untyped-def]
    trader = EnterpriseFactory(kind="other")
    with pytest.raises(ValidationError) as exc:
        wmi_create(actor=registrar, code="LSV", manufacturer=trader)
    assert "manufacturer" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        wmi_create(actor=registrar, code="LIO", manufacturer=EnterpriseFactory())
    assert "code" in exc.value.message_dict
    assert not WorldManufacturerIdentifier.objects.exists()


def test_a_vin_prefix_can_be_moved_to_another_manufacturer(registrar, world):  # type: ignore[no-untyped-def]
    identifier = WorldManufacturerIdentifier.objects.get(code="LJR")
    wmi_update(actor=registrar, identifier=identifier, data={"manufacturer": world.rival})
    identifier.refresh_from_db()
    assert identifier.manufacturer == world.rival
    with pytest.raises(ValidationError):
        wmi_update(actor=registrar, identifier=identifier, data={"manufacturer": world.exporter})
    identifier.refresh_from_db()
    assert identifier.manufacturer == world.rival
