"""Licence numbers YY-CC-NNNNNN: gap-free per office and year, safe under concurrency."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from licensing.models import LicenceNumberSequence
from licensing.numbering import (
    format_licence_number,
    is_licence_number,
    licence_number_allocate,
)
from tests.registry.factories import IssuingOfficeFactory


def test_numbers_are_two_digit_year_office_and_six_digit_sequence():
    assert format_licence_number(year=2026, office_code="31", sequence=7) == "26-31-000007"
    assert is_licence_number("26-31-000007")
    assert not is_licence_number("2026-31-7")
    assert not is_licence_number("26-31-00000A")


@pytest.mark.django_db
def test_each_office_and_year_counts_from_one():
    shanghai = IssuingOfficeFactory(code="31")
    guangdong = IssuingOfficeFactory(code="44", name="Guangdong", province="Guangdong")
    with transaction.atomic():
        numbers = [
            licence_number_allocate(office=shanghai, year=2026),
            licence_number_allocate(office=shanghai, year=2026),
            licence_number_allocate(office=guangdong, year=2026),
            licence_number_allocate(office=shanghai, year=2027),
        ]
    assert numbers == ["26-31-000001", "26-31-000002", "26-44-000001", "27-31-000001"]


@pytest.mark.django_db
def test_a_rolled_back_issuance_gives_its_number_back():
    office = IssuingOfficeFactory(code="31")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert licence_number_allocate(office=office, year=2026) == "26-31-000001"
        raise RuntimeError("approval failed later in the transaction")
    with transaction.atomic():
        assert licence_number_allocate(office=office, year=2026) == "26-31-000001"


@pytest.mark.django_db(transaction=True)
def test_a_number_is_only_allocated_inside_a_transaction():
    office = IssuingOfficeFactory(code="31")
    with pytest.raises(RuntimeError):
        licence_number_allocate(office=office, year=2026)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_concurrent_issuances_get_consecutive_numbers_without_gaps_or_duplicates():
    office = IssuingOfficeFactory(code="31")
    threads, results, errors = 16, [], []
    per_thread = 5
    barrier = threading.Barrier(threads)

    def issue() -> None:
        try:
            barrier.wait()
            for index in range(per_thread):
                with transaction.atomic():
                    number = licence_number_allocate(office=office, year=2026)
                    if index == 2:
                        # Every thread rolls back one issuance: its number must be reused.
                        transaction.set_rollback(True)
                        continue
                    results.append(number)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=issue) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    close_old_connections()
    assert errors == []
    expected = threads * (per_thread - 1)
    assert sorted(results) == [f"26-31-{n:06d}" for n in range(1, expected + 1)]
    assert (
        LicenceNumberSequence.objects.get(issuing_office=office, year=2026).last_number == expected
    )
