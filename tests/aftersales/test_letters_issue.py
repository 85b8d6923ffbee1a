"""Issuing and revoking confirmation letters: every refusal is a field error, nothing saved."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from aftersales.models import ConfirmationLetter, LetterNumberSequence, ServiceOutlet
from aftersales.services import letter_revoke
from audit.models import AuditEvent
from config.errors import ActionForbidden, TransitionNotAllowed
from notifications.models import Notification
from tests.aftersales.factories import ServiceOutletFactory
from tests.aftersales.letter_factories import letter_world
from tests.registry.factories import CountryFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return letter_world()


def _refused(call, field: str) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        call()
    assert field in exc.value.message_dict, exc.value.message_dict
    assert ConfirmationLetter.objects.count() == 0 or field == "vin"
    return exc.value.message_dict[field][0]


@time_machine.travel("2026-03-02 09:00:00+08:00", tick=False)
def test_manufacturer_issues_a_numbered_letter_and_it_is_audited(world) -> None:  # type: ignore[no-untyped-def]
    first = world.issue()
    second = world.issue()
    assert (first.number, second.number) == ("CL-2026-000001", "CL-2026-000002")
    assert first.in_force and first.manufacturer == world.maker and first.requester is None
    assert LetterNumberSequence.objects.get(year=2026).last_number == 2
    event = AuditEvent.objects.get(verb="aftersales.confirmation_letter.issued", target_id=first.pk)
    assert event.payload["number"] == "CL-2026-000001"


def test_numbers_restart_each_year(world) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(date(2026, 12, 31), tick=False):
        world.issue()
    with time_machine.travel(date(2027, 1, 2), tick=False):
        assert world.issue().number == "CL-2027-000001"


def test_a_vin_of_another_manufacturer_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    message = _refused(lambda: world.issue(world.rival_vin()), "vin")
    assert message == "This VIN was not built by Jade River Motors."
    assert not ConfirmationLetter.objects.exists()


def test_a_vin_with_no_known_identifier_or_a_bad_shape_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    assert "not built by" in _refused(lambda: world.issue("WDB12345678901234"), "vin")
    assert "17 characters" in _refused(lambda: world.issue("LJR123"), "vin")
    assert not ConfirmationLetter.objects.exists()


def test_a_model_of_another_manufacturer_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    message = _refused(lambda: world.issue(vehicle_model=world.rival_model), "vehicle_model")
    assert "is not a model of Jade River Motors" in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"verification_status": ServiceOutlet.Status.PENDING, "verified_at": None},
            "not verified",
        ),
        (
            {"contract_valid_until": date(2025, 12, 31), "contract_valid_from": date(2024, 1, 1)},
            "contract",
        ),
    ],
)
@time_machine.travel("2026-03-02 09:00:00+08:00", tick=False)
def test_an_unverified_or_lapsed_outlet_is_refused(world, change, expected) -> None:  # type: ignore[no-untyped-def]
    ServiceOutlet.objects.filter(pk=world.outlet.pk).update(**change)
    world.outlet.refresh_from_db()
    assert expected in _refused(world.issue, "outlet")
    assert not ConfirmationLetter.objects.exists()


def test_a_withdrawn_outlet_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    ServiceOutlet.objects.filter(pk=world.outlet.pk).update(withdrawn_at="2026-01-01T00:00Z")
    world.outlet.refresh_from_db()
    assert "not verified" in _refused(world.issue, "outlet")


def test_an_outlet_of_another_enterprise_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    foreign = ServiceOutletFactory(enterprise=world.rival, country=world.france, brand=world.brand)
    assert "your own verified outlets" in _refused(lambda: world.issue(outlet=foreign), "outlet")


def test_an_outlet_in_another_country_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    german = ServiceOutletFactory(
        enterprise=world.maker, country=CountryFactory(code="DE"), brand=world.brand
    )
    message = _refused(lambda: world.issue(outlet=german), "outlet")
    assert message == "This outlet is not in the destination country."


def test_an_outlet_not_serving_the_brand_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    other_brand = ServiceOutletFactory(enterprise=world.maker, country=world.france, brands=[])
    assert "does not serve Jade" in _refused(lambda: world.issue(outlet=other_brand), "outlet")


def test_a_second_letter_in_force_for_the_same_vin_and_destination_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    first = world.issue()
    message = _refused(lambda: world.issue(first.vin), "vin")
    assert first.number in message
    assert ConfirmationLetter.objects.count() == 1


def test_the_same_vin_may_have_a_letter_for_another_destination(world) -> None:  # type: ignore[no-untyped-def]
    first = world.issue()
    germany = CountryFactory(code="DE")
    outlet = ServiceOutletFactory(enterprise=world.maker, country=germany, brand=world.brand)
    assert world.issue(first.vin, country=germany, outlet=outlet).in_force


def test_a_concurrent_second_letter_loses_on_the_database_constraint(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from aftersales.services import letters

    first = world.issue()
    # The race: the other letter was committed after this issuance checked.
    monkeypatch.setattr(letters, "letter_in_force_error", lambda vin, country: None)
    assert "already in force" in _refused(lambda: world.issue(first.vin), "vin")
    assert ConfirmationLetter.objects.count() == 1


def test_a_letter_can_be_issued_again_after_revocation(world) -> None:  # type: ignore[no-untyped-def]
    first = world.issue()
    letter_revoke(actor=world.maker_user, letter=first, reason="Sold to another market")
    assert world.issue(first.vin).in_force


def test_only_acting_members_of_a_manufacturer_issue_letters(world) -> None:  # type: ignore[no-untyped-def]
    viewer = MembershipFactory(enterprise=world.maker, role="viewer").user
    with pytest.raises(ActionForbidden):
        world.issue(actor=viewer)
    with pytest.raises(ActionForbidden):
        world.issue(actor=world.exporter_user)
    assert not ConfirmationLetter.objects.exists()


def test_revoking_needs_a_reason_and_happens_once(world) -> None:  # type: ignore[no-untyped-def]
    letter = world.issue()
    with pytest.raises(ValidationError) as exc:
        letter_revoke(actor=world.maker_user, letter=letter, reason="  ")
    assert "reason" in exc.value.message_dict
    letter_revoke(actor=world.maker_user, letter=letter, reason="Outlet closed")
    letter.refresh_from_db()
    assert letter.status == "revoked" and letter.revocation_reason == "Outlet closed"
    assert letter.revoked_by == world.maker_user and letter.revoked_at is not None
    with pytest.raises(TransitionNotAllowed, match="already revoked"):
        letter_revoke(actor=world.maker_user, letter=letter, reason="Again")
    letter.refresh_from_db()
    assert letter.revocation_reason == "Outlet closed"
    assert AuditEvent.objects.filter(verb="aftersales.confirmation_letter.revoked").count() == 1


def test_a_rival_or_staff_without_the_role_cannot_revoke(world, caseworker, officer) -> None:  # type: ignore[no-untyped-def]
    letter = world.issue()
    for actor in (world.rival_user, world.exporter_user, caseworker):
        with pytest.raises(ActionForbidden):
            letter_revoke(actor=actor, letter=letter, reason="No")
    letter_revoke(actor=officer, letter=letter, reason="Issuer is not the maker")
    letter.refresh_from_db()
    assert letter.status == "revoked" and letter.revoked_by == officer


def test_revocation_notifies_the_requester_only(world) -> None:  # type: ignore[no-untyped-def]
    request = world.request()
    letter = world.issue(request=request)
    Notification.objects.all().delete()
    letter_revoke(actor=world.maker_user, letter=letter, reason="Outlet closed")
    notice = Notification.objects.get()
    assert notice.recipient == world.exporter_user
    assert notice.kind == "aftersales.confirmation_letter.revoked"
    assert letter.number in notice.subject and "Outlet closed" in notice.body
