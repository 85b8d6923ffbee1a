"""Reads of letters: scoping branch by branch, the manufacturer's inbox, outlets to name."""

from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from aftersales.selectors import (
    letter_inbox,
    letter_outlets,
    letter_requests_visible_to,
    letters_for,
    letters_visible_to,
)
from aftersales.services import letter_request_withdraw, letter_revoke
from tests.aftersales.factories import ServiceOutletFactory
from tests.aftersales.letter_factories import letter_world
from tests.registry.factories import CountryFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return letter_world()


def test_staff_see_every_letter_and_request(world, caseworker) -> None:  # type: ignore[no-untyped-def]
    letter = world.issue(request=world.request())
    assert list(letters_visible_to(caseworker)) == [letter]
    assert [r.pk for r in letter_requests_visible_to(caseworker)] == [letter.request_id]


def test_issuer_and_requester_see_it_and_nobody_else_does(world) -> None:  # type: ignore[no-untyped-def]
    letter = world.issue(request=world.request())
    inactive = MembershipFactory(enterprise=world.maker, is_active=True).user
    inactive.is_active = False
    for user in (world.maker_user, world.exporter_user):
        assert list(letters_visible_to(user)) == [letter]
        assert len(letter_requests_visible_to(user)) == 1
    for user in (world.rival_user, AnonymousUser(), UserFactory(), inactive):
        assert list(letters_visible_to(user)) == []
        assert list(letter_requests_visible_to(user)) == []


def test_the_inbox_holds_only_pending_requests_addressed_to_the_enterprise(world) -> None:  # type: ignore[no-untyped-def]
    first, second = world.request(), world.request()
    letter_request_withdraw(actor=world.exporter_user, request=second)
    assert list(letter_inbox(world.maker.pk)) == [first]
    assert list(letter_inbox(world.rival.pk)) == []
    assert list(letter_inbox(None)) == []


@time_machine.travel(date(2026, 3, 2), tick=False)
def test_outlets_to_name_are_own_verified_in_country_serving_the_brand_today(world) -> None:  # type: ignore[no-untyped-def]
    ServiceOutletFactory(enterprise=world.maker, country=world.france, brand=world.brand,
                         verification_status="pending")  # fmt: skip
    ServiceOutletFactory(enterprise=world.rival, country=world.france, brand=world.brand)
    ServiceOutletFactory(
        enterprise=world.maker, country=CountryFactory(code="DE"), brand=world.brand
    )
    lapsed = {"contract_valid_from": date(2024, 1, 1), "contract_valid_until": date(2025, 1, 1)}
    ServiceOutletFactory(enterprise=world.maker, country=world.france, brand=world.brand, **lapsed)
    found = letter_outlets(world.maker, world.brand, world.france)
    assert list(found) == [world.outlet]


def test_letters_for_lists_in_force_and_revoked_per_vin_newest_first(world) -> None:  # type: ignore[no-untyped-def]
    old = world.issue()
    letter_revoke(actor=world.maker_user, letter=old, reason="Outlet closed")
    new = world.issue(old.vin)
    other = world.issue()
    found = letters_for([old.vin, other.vin, "LJR00000000000000"], "FR")
    assert found[old.vin] == [new, old] and found[other.vin] == [other]
    assert letters_for([old.vin], "DE") == {}
