"""Exporters' letter requests: asking, withdrawing, refusing and issuing on a request."""

import pytest
from django.core.exceptions import ValidationError

from aftersales.models import ConfirmationLetter, LetterRequest
from aftersales.services import (
    letter_request_refuse,
    letter_request_withdraw,
)
from audit.models import AuditEvent
from config.errors import ActionForbidden, TransitionNotAllowed
from notifications.models import Notification
from tests.aftersales.letter_factories import letter_world
from tests.registry.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return letter_world()


def _field_error(call, field: str) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        call()
    assert field in exc.value.message_dict, exc.value.message_dict
    return exc.value.message_dict[field][0]


def test_an_exporter_asks_the_models_manufacturer_and_its_members_are_told(world) -> None:  # type: ignore[no-untyped-def]
    viewer = MembershipFactory(enterprise=world.maker, role="viewer").user
    request = world.request(note="  Shipping in May  ")
    assert request.manufacturer == world.maker and request.requester == world.exporter
    assert request.status == "pending" and request.note == "Shipping in May"
    notices = Notification.objects.filter(kind="aftersales.letter_request.received")
    assert [n.recipient for n in notices] == [world.maker_user]
    assert viewer not in [n.recipient for n in notices]
    assert request.vin in notices[0].subject and "Harbour Used Cars" in notices[0].subject
    assert AuditEvent.objects.filter(verb="aftersales.letter_request.requested").count() == 1


def test_a_lower_case_vin_is_stored_in_capitals(world) -> None:  # type: ignore[no-untyped-def]
    vin = world.vin()
    assert world.request(vin.lower()).vin == vin


@pytest.mark.parametrize(
    ("vin", "expected"),
    [
        ("LJR123", "17 characters"),
        ("WDB12345678901234", "This VIN was not built by Jade River Motors."),
    ],
)
def test_a_bad_vin_is_refused_and_nothing_saved(world, vin, expected) -> None:  # type: ignore[no-untyped-def]
    assert expected in _field_error(lambda: world.request(vin), "vin")
    assert not LetterRequest.objects.exists() and not Notification.objects.exists()


def test_a_vin_of_another_manufacturer_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    message = _field_error(lambda: world.request(world.rival_vin()), "vin")
    assert message == "This VIN was not built by Jade River Motors."
    assert not LetterRequest.objects.exists()


def test_a_second_pending_request_for_the_same_vin_and_destination_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    first = world.request()
    assert "pending" in _field_error(lambda: world.request(first.vin), "vin")
    assert LetterRequest.objects.count() == 1


def test_a_request_lost_to_a_concurrent_twin_is_a_field_error(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from aftersales.services import letter_requests

    first = world.request()
    monkeypatch.setattr(letter_requests, "_pending_exists", lambda request: False)
    assert "pending" in _field_error(lambda: world.request(first.vin), "vin")
    assert LetterRequest.objects.count() == 1


def test_a_request_for_a_vin_already_covered_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    letter = world.issue()
    message = _field_error(lambda: world.request(letter.vin), "vin")
    assert message == "A letter for this VIN and destination is already in force."


def test_a_manufacturer_cannot_ask_itself(world) -> None:  # type: ignore[no-untyped-def]
    from aftersales.services import letter_request_create

    def ask():  # type: ignore[no-untyped-def]
        return letter_request_create(
            actor=world.maker_user, vin=world.vin(), vehicle_model=world.model, country=world.france
        )

    assert "issue the letter yourself" in _field_error(ask, "vehicle_model")


def test_viewers_and_staff_cannot_ask(world, caseworker) -> None:  # type: ignore[no-untyped-def]
    viewer = MembershipFactory(enterprise=world.exporter, role="viewer").user
    for actor in (viewer, caseworker):
        world.exporter_user = actor
        with pytest.raises(ActionForbidden):
            world.request()
    assert not LetterRequest.objects.exists()


def test_the_requester_withdraws_a_pending_request_once(world) -> None:  # type: ignore[no-untyped-def]
    request = world.request()
    with pytest.raises(ActionForbidden):
        letter_request_withdraw(actor=world.maker_user, request=request)
    letter_request_withdraw(actor=world.exporter_user, request=request)
    assert request.status == "withdrawn"
    with pytest.raises(TransitionNotAllowed, match="withdrawn"):
        letter_request_withdraw(actor=world.exporter_user, request=request)
    # Withdrawn, it no longer blocks a new request.
    assert world.request(request.vin).status == "pending"


def test_refusing_needs_a_reason_and_tells_the_requester(world) -> None:  # type: ignore[no-untyped-def]
    request = world.request()
    Notification.objects.all().delete()
    with pytest.raises(ValidationError) as exc:
        letter_request_refuse(actor=world.maker_user, request=request, reason=" ")
    assert "reason" in exc.value.message_dict
    request.refresh_from_db()
    assert request.status == "pending" and not Notification.objects.exists()
    letter_request_refuse(actor=world.maker_user, request=request, reason="Not our export car")
    request.refresh_from_db()
    assert request.status == "refused" and request.refusal_reason == "Not our export car"
    notice = Notification.objects.get()
    assert notice.recipient == world.exporter_user
    assert "Not our export car" in notice.body


def test_only_the_addressee_refuses(world) -> None:  # type: ignore[no-untyped-def]
    request = world.request()
    for actor in (world.rival_user, world.exporter_user):
        with pytest.raises(ActionForbidden):
            letter_request_refuse(actor=actor, request=request, reason="No")
    request.refresh_from_db()
    assert request.status == "pending"


def test_issuing_on_a_request_uses_its_vehicle_and_answers_it(world) -> None:  # type: ignore[no-untyped-def]
    request = world.request()
    Notification.objects.all().delete()
    letter = world.issue(vin=world.vin(), request=request)
    request.refresh_from_db()
    assert request.status == "issued" and request.answered_by == world.maker_user
    assert (letter.vin, letter.requester, letter.request) == (request.vin, world.exporter, request)
    notice = Notification.objects.get()
    assert notice.recipient == world.exporter_user
    assert notice.kind == "aftersales.confirmation_letter.issued"
    assert letter.number in notice.subject


def test_issuing_on_a_request_addressed_to_another_manufacturer_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    request = world.request()
    outlet = world.outlet
    outlet.enterprise = world.rival
    message = _field_error(
        lambda: world.issue(actor=world.rival_user, request=request, outlet=outlet), "request"
    )
    assert message == "This request is addressed to another manufacturer."
    request.refresh_from_db()
    assert request.status == "pending" and not ConfirmationLetter.objects.exists()


def test_issuing_on_an_answered_request_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    request = world.request()
    letter_request_withdraw(actor=world.exporter_user, request=request)
    with pytest.raises(TransitionNotAllowed, match="withdrawn"):
        world.issue(request=request)
    assert not ConfirmationLetter.objects.exists()


def test_a_refused_issue_on_a_request_leaves_it_pending(world) -> None:  # type: ignore[no-untyped-def]
    request = world.request()
    world.outlet.verification_status = "pending"
    world.outlet.save()
    with pytest.raises(ValidationError):
        world.issue(request=request)
    request.refresh_from_db()
    assert request.status == "pending" and not ConfirmationLetter.objects.exists()


@pytest.mark.parametrize(
    ("status", "action", "allowed"),
    [
        (status, action, status == "pending")
        for status in LetterRequest.Status.values
        for action in LetterRequest.TRANSITIONS
    ],
)
def test_every_status_and_request_action(world, status, action, allowed) -> None:  # type: ignore[no-untyped-def]
    from aftersales.services.letter_requests import request_move

    request = world.request()
    LetterRequest.objects.filter(pk=request.pk).update(status=status)
    request.refresh_from_db()
    if allowed:
        request_move(actor=world.maker_user, request=request, action=action, fields={}, payload={})
        assert request.status == LetterRequest.TRANSITIONS[action][1]
    else:
        with pytest.raises(TransitionNotAllowed):
            request_move(
                actor=world.maker_user, request=request, action=action, fields={}, payload={}
            )
        request.refresh_from_db()
        assert request.status == status
