"""`seed_bench`: a consistent world with a valid audit chain, through the bulk paths."""

from io import StringIO

import pytest
from django.core.management import call_command

from aftersales.models import ExportedVehicle, Obligation
from audit.models import AuditEvent, ChainHead
from audit.verification import verify_database
from licensing.models import (
    Case,
    CaseLine,
    Declaration,
    DeclarationLine,
    DeclaredVehicle,
    Licence,
    LicenceLine,
    LicenceNumberSequence,
)
from notifications.models import Notification
from registry.validators import validate_vin


def seed(cases: int, chunk: int = 150) -> str:
    out = StringIO()
    call_command("seed_bench", cases=cases, chunk=chunk, stdout=out)
    return out.getvalue()


def assert_world_is_consistent(cases: int) -> None:
    assert Case.objects.count() == cases
    approved = Case.objects.filter(status=Case.Status.APPROVED, kind=Case.Kind.LICENCE)
    assert Licence.objects.count() == approved.count() > 0
    assert LicenceLine.objects.count() == CaseLine.objects.filter(case__in=approved).count()
    assert Notification.objects.count() == Licence.objects.count()
    assert 0 < Declaration.objects.count() < Licence.objects.count()
    head = ChainHead.objects.get(pk=1)
    assert head.seq == AuditEvent.objects.count() > cases
    assert head.hash == AuditEvent.objects.get(seq=head.seq).hash
    numbers = sum(LicenceNumberSequence.objects.values_list("last_number", flat=True))
    assert numbers == Licence.objects.count()
    assert_register_is_consistent()


def assert_register_is_consistent() -> None:
    """Every declared car is in the register once, and every market has its obligation."""
    declared = sum(DeclarationLine.objects.values_list("quantity", flat=True))
    assert DeclaredVehicle.objects.count() == ExportedVehicle.objects.count() == declared > 0
    assert set(DeclaredVehicle.objects.values_list("vin", flat=True)) == set(
        ExportedVehicle.objects.values_list("vin", flat=True)
    )
    for vin in ExportedVehicle.objects.values_list("vin", flat=True)[:50]:
        validate_vin(vin)
    markets = set(ExportedVehicle.objects.values_list("enterprise_id", "brand_id", "country_id"))
    obligations = Obligation.objects.values_list("enterprise_id", "brand_id", "country_id")
    assert set(obligations) == markets
    statuses = set(Obligation.objects.values_list("status", flat=True))
    assert Obligation.Status.COVERED in statuses


def assert_trail_verifies() -> None:
    report = verify_database(key="")
    assert report.ok, report.problems
    assert report.checked == AuditEvent.objects.count()


def test_seed_bench_builds_a_world_whose_audit_chain_verifies(db):
    output = seed(400)

    assert_world_is_consistent(400)
    assert_trail_verifies()
    assert "Ready in" in output


def test_seed_bench_reuses_a_dataset_of_that_size_and_grows_a_smaller_one(db):
    seed(200)
    events = AuditEvent.objects.count()

    seed(200)
    assert AuditEvent.objects.count() == events

    seed(350)
    assert_world_is_consistent(350)
    assert_trail_verifies()


def test_seeded_rows_leave_the_id_sequences_past_the_loaded_keys(db, caseworker):
    seed(120)
    last = Case.objects.order_by("-pk").first()

    created = Case.objects.create(
        reference="LC-2026-NEXT", kind=Case.Kind.QUALIFICATION, applicant=last.applicant
    )

    assert created.pk > last.pk


def test_seed_bench_refuses_a_size_that_is_not_positive(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        seed(0)


@pytest.mark.postgres
def test_seed_bench_loads_through_copy_on_postgresql(db):
    seed(300, chunk=100)

    assert_world_is_consistent(300)
    assert_trail_verifies()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_seed_bench_writes_chunks_beside_the_generator_and_keeps_the_chain_in_order():
    seed(500, chunk=60)  # nine chunks through the writer threads, each its own transaction

    assert_world_is_consistent(500)
    assert_trail_verifies()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_chunk_refuses_to_append_when_the_chain_moved_while_it_was_built():
    from django.core.management.base import CommandError

    from licensing.seeding import load as loading

    seed(60, chunk=60)
    events = AuditEvent.objects.count()
    stale = loading._keys()
    ChainHead.objects.filter(pk=1).update(seq=stale.seq + 1)

    with pytest.raises(CommandError):
        loading._write_chunk({}, stale, stale, None, False)
    assert AuditEvent.objects.count() == events


@pytest.mark.postgres
def test_the_set_based_reference_check_finds_a_row_pointing_at_nothing(db):
    from django.db import IntegrityError, connection, transaction

    from licensing.seeding import bulk

    seed(40, chunk=40)
    line = CaseLine.objects.order_by("pk").first()
    with transaction.atomic():
        bulk.relax_checks()  # as a chunk's transaction: no per-row check before the commit
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE licensing_caseline SET case_id = %s WHERE id = %s", [10**9, line.pk]
            )
        with pytest.raises(IntegrityError, match="points at no row"):
            bulk.check_references({CaseLine: (line.pk, line.pk + 1)})
        transaction.set_rollback(True)
    bulk.check_references({CaseLine: (line.pk, line.pk + 1)})
