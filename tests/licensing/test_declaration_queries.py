"""Query counts of a customs declaration: the same whatever its lines and VINs.

Counted inside the test's transaction, so the declaration's own atomic block adds a
SAVEPOINT and its RELEASE; called from a view it is a transaction of its own and they go.
"""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from licensing.models import Case, Licence
from licensing.services.declarations import DeclaredLine, declaration_record
from tests import round_trips
from tests.licensing.licence_factories import fresh_declaration_number, fresh_vin, issue_licence
from tests.registry.factories import MembershipFactory

TODAY = date(2026, 3, 4)


def fixed() -> int:
    # savepoint, locked licence and lines (with the warranty the cars get), every line drawn
    # down, licence uses, the declaration with its lines and vehicles, register, fleet of the
    # market, cover in force, obligation, obligation upsert, the chain, release
    return 10 + round_trips.declaration_store() + round_trips.audit_append()


def _declare(licence: Licence, actor, lines: list[DeclaredLine]) -> int:  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False), CaptureQueriesContext(connection) as captured:
        declaration_record(
            licence=licence,
            actor=actor,
            number=fresh_declaration_number(),
            declared_on=TODAY,
            lines=lines,
        )
    return len(captured)


def _lines(licence: Licence, count: int, vins: int) -> list[DeclaredLine]:
    models = [line.vehicle_model_id for line in licence.lines.order_by("pk")][:count]
    return [DeclaredLine(m, vins, [fresh_vin() for _ in range(vins)]) for m in models]


@pytest.mark.django_db
@pytest.mark.parametrize(("lines", "vins"), [(1, 1), (1, 20), (3, 1), (3, 20)])
def test_a_declaration_takes_the_same_queries_whatever_its_lines_and_vins(lines, vins):
    with time_machine.travel(TODAY, tick=False):
        licence = issue_licence(quantities=(60, 60, 60), valid_from=TODAY)
    applicant = MembershipFactory(enterprise=licence.holder, role="applicant").user
    # The first declaration opens the market's obligation; the one measured updates it.
    _declare(licence, applicant, _lines(licence, 3, 1))
    licence = Licence.objects.get(pk=licence.pk)

    count = _declare(licence, applicant, _lines(licence, lines, vins))

    assert count == fixed()
    # The register's and the declaration's events, chained in that order by one write.
    verbs = list(AuditEvent.objects.order_by("-seq").values_list("verb", flat=True)[:2])
    assert verbs == ["licensing.declaration.recorded", "aftersales.exported_vehicles.registered"]
    assert licence.uses_left == 10 and licence.version == 3


def test_a_used_vehicle_declaration_adds_the_schedule_and_its_warranty_reads(  # type: ignore[no-untyped-def]
    frozen_today, caseworker, officer
):
    from tests.licensing.factories import case_in_status
    from tests.licensing.used_factories import used_case, used_world

    world = used_world()
    case = case_in_status(
        "approved",
        applicant_user=world.exporter_user,
        caseworker=caseworker,
        officer=officer,
        case=used_case(world, frozen_today, rows=3, use_mode=Case.UseMode.MULTI),
    )
    licence = Licence.objects.get(case=case)
    first, second, _third = case.vehicles.values_list("vin", flat=True)
    declared = []
    for vin in (first, second):
        with CaptureQueriesContext(connection) as captured:
            declaration_record(
                licence=licence,
                actor=world.exporter_user,
                number=fresh_declaration_number(),
                declared_on=licence.valid_from,
                lines=[DeclaredLine(world.model.pk, 1, [vin])],
            )
        declared.append(len(captured))

    # the second updates the maker's obligation the first opened; the schedule is read, and
    # the warranty of each brand on it (a used licence's schedule may mix brands)
    assert declared[1] == fixed() + 2
