"""Concurrent issuance on PostgreSQL: numbers never repeat, one letter per VIN and destination."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction

from aftersales.models import ConfirmationLetter, LetterNumberSequence
from aftersales.services.letters import letter_number_allocate
from tests.aftersales.letter_factories import letter_world


def _run_together(count: int, work) -> list:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(count)
    outcomes: list = []

    def run() -> None:
        try:
            barrier.wait()
            outcomes.append(work())
        except Exception as exc:  # noqa: BLE001
            outcomes.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    close_old_connections()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_get_consecutive_numbers() -> None:
    def allocate() -> str:
        with transaction.atomic():
            return letter_number_allocate(year=2026)

    numbers = _run_together(12, allocate)
    assert sorted(numbers) == [f"CL-2026-{n:06d}" for n in range(1, 13)]
    assert LetterNumberSequence.objects.get(year=2026).last_number == 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_letters_for_one_vin_at_once_leave_one_in_force_and_a_field_error() -> None:
    world = letter_world()
    vin = world.vin()
    outcomes = _run_together(6, lambda: world.issue(vin))
    letters = [o for o in outcomes if isinstance(o, ConfirmationLetter)]
    refusals = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(letters) == 1 and len(refusals) == 5, outcomes
    assert all("vin" in refusal.message_dict for refusal in refusals)
    assert ConfirmationLetter.objects.filter(vin=vin).count() == 1
    assert LetterNumberSequence.objects.get().last_number == 1
