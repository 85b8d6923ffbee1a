"""Obligations follow the fleet and the network: status across dates and changes."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from aftersales.models import ExportedVehicle, Obligation
from aftersales.services import obligations_recompute, outlet_reject, warranty_commitment_withdraw
from aftersales.services.obligations import (
    CoverEnds,
    obligation_assess,
    obligation_recompute_market,
)
from aftersales.tasks import recompute_obligations
from audit.models import AuditEvent
from tests.aftersales.factories import ExportedVehicleFactory, export_vehicles, serve_market
from tests.registry.factories import (
    AuthorisationFactory,
    BrandFactory,
    CountryFactory,
    EnterpriseFactory,
)

O = Obligation.Status  # noqa: E741
TODAY = date(2026, 3, 4)
pytestmark = pytest.mark.django_db


def obligation(enterprise) -> Obligation:  # type: ignore[no-untyped-def]
    return Obligation.objects.get(enterprise=enterprise)


@pytest.fixture
def travel():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize(
    ("ends", "expected"),
    [
        (CoverEnds(date(2030, 1, 1), date(2030, 1, 1), date(2030, 1, 1)), O.COVERED),
        (CoverEnds(None, date(2030, 1, 1), date(2030, 1, 1)), O.BREACHED),
        (CoverEnds(date(2030, 1, 1), None, date(2030, 1, 1)), O.BREACHED),
        (CoverEnds(date(2030, 1, 1), date(2030, 1, 1), None), O.BREACHED),
        (CoverEnds(date(2026, 5, 1), date(2030, 1, 1), date(2030, 1, 1)), O.AT_RISK),
        # Ends before the horizon but beyond the warning window: still covered for now.
        (CoverEnds(date(2027, 1, 1), date(2030, 1, 1), date(2030, 1, 1)), O.COVERED),
    ],
)
def test_the_rules_give_each_status_from_what_is_in_force(ends, expected):
    found = obligation_assess(horizon=date(2028, 3, 3), today=TODAY, ends=ends, window_days=90)
    assert found.status == expected
    assert bool(found.gaps) == (expected != O.COVERED)


def test_every_warranty_ended_means_fulfilled_whatever_is_missing():
    ends = CoverEnds(None, None, None)
    found = obligation_assess(horizon=date(2026, 3, 3), today=TODAY, ends=ends, window_days=90)
    assert found.status == O.FULFILLED


def test_registered_vehicles_get_the_warranty_in_force_and_open_a_covered_obligation(travel):
    maker = EnterpriseFactory(kind="manufacturer")
    serve_market(enterprise=maker)
    [vehicle] = export_vehicles(enterprise=maker)
    assert vehicle.warranty_months == 24
    assert vehicle.warranty_ends_on == date(2028, 3, 3)
    found = obligation(maker)
    assert (found.status, found.horizon, found.vehicles) == (O.COVERED, date(2028, 3, 3), 1)


def test_without_a_commitment_the_statutory_minimum_applies_and_the_market_is_breached(travel):
    maker = EnterpriseFactory(kind="manufacturer")
    [vehicle] = export_vehicles(enterprise=maker)
    assert vehicle.warranty_months == 24
    assert obligation(maker).status == O.BREACHED


def test_the_status_moves_from_covered_to_at_risk_to_breached_to_fulfilled_as_days_pass():
    maker = EnterpriseFactory(kind="manufacturer")
    with time_machine.travel(TODAY, tick=False):
        serve_market(enterprise=maker, until=date(2027, 6, 30))
        export_vehicles(enterprise=maker)
        assert obligation(maker).status == O.COVERED
    for day, expected in [
        (date(2027, 4, 15), O.AT_RISK),
        (date(2027, 7, 1), O.BREACHED),
        (date(2028, 3, 4), O.FULFILLED),
    ]:
        with time_machine.travel(day, tick=False):
            obligations_recompute()
            assert obligation(maker).status == expected, day


def test_a_rejected_outlet_turns_the_market_breached_at_once_and_is_audited(travel, registrar):
    maker = EnterpriseFactory(kind="manufacturer")
    outlet, _w, _p = serve_market(enterprise=maker)
    export_vehicles(enterprise=maker)
    outlet_reject(actor=registrar, outlet=outlet, reason="Closed down")
    found = obligation(maker)
    assert found.status == O.BREACHED
    assert "outlet" in found.reason
    event = AuditEvent.objects.filter(verb="aftersales.obligation.assessed").order_by("seq").last()
    [change] = event.payload["changes"]
    assert (change["old"], change["new"], event.target_id) == ("covered", "breached", str(found.pk))


def test_an_outlet_contract_ending_soon_turns_the_market_at_risk(travel, registrar):
    maker = EnterpriseFactory(kind="manufacturer")
    serve_market(enterprise=maker, until=date(2026, 5, 1))
    export_vehicles(enterprise=maker)
    found = obligation(maker)
    assert (found.status, found.gap_ends_on) == (O.AT_RISK, date(2026, 5, 1))
    assert "2026-05-01" in found.reason


def test_withdrawing_the_warranty_commitment_breaches_the_market(travel, maker):
    enterprise = maker.membership.enterprise
    _o, warranty, _p = serve_market(enterprise=enterprise)
    export_vehicles(enterprise=enterprise)
    warranty_commitment_withdraw(actor=maker, commitment=warranty)
    assert obligation(enterprise).status == O.BREACHED


def test_the_manufacturers_network_serves_its_authorised_exporters_market(travel):
    maker = EnterpriseFactory(kind="manufacturer")
    brand = BrandFactory(manufacturer=maker)
    exporter = EnterpriseFactory(kind="authorised_exporter")
    AuthorisationFactory(manufacturer=maker, exporter=exporter, brands=[brand])
    outlet, _w, _p = serve_market(enterprise=maker, brand=brand)
    export_vehicles(enterprise=exporter, brand=brand)
    assert obligation(exporter).status == O.COVERED


def test_a_full_recompute_changes_nothing_when_nothing_changed(travel):
    maker = EnterpriseFactory(kind="manufacturer")
    serve_market(enterprise=maker)
    export_vehicles(enterprise=maker, count=3)
    assert obligations_recompute() == 0
    assert ExportedVehicle.objects.count() == 3


def test_the_command_reassesses_every_market_as_of_a_day(travel):
    maker = EnterpriseFactory(kind="manufacturer")
    serve_market(enterprise=maker)
    export_vehicles(enterprise=maker)
    out = StringIO()
    call_command("recompute_obligations", "--as-of", "2028-03-04", stdout=out)
    assert obligation(maker).status == O.FULFILLED
    assert "1 obligations changed" in out.getvalue()


def test_the_daily_task_reassesses_markets_as_days_pass():
    maker = EnterpriseFactory(kind="manufacturer")
    with time_machine.travel(TODAY, tick=False):
        serve_market(enterprise=maker)
        export_vehicles(enterprise=maker)
    with time_machine.travel(date(2028, 3, 4), tick=False):
        assert recompute_obligations.run()["obligations_changed"] == 1
    assert obligation(maker).status == O.FULFILLED


def _market_update_queries(maker, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Add cars to the FR market without the service, then time its incremental update."""
    ExportedVehicleFactory.create_batch(count, enterprise=maker, country=CountryFactory(code="FR"))
    brand = maker.brands.get()
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        obligation_recompute_market(enterprise_id=maker.pk, brand_id=brand.pk, country_id="FR")
    return [q["sql"] for q in captured.captured_queries]


def test_an_incremental_update_takes_four_queries_whatever_the_fleet_size(travel):
    maker = EnterpriseFactory(kind="manufacturer")
    serve_market(enterprise=maker)
    serve_market(enterprise=maker, country_code="DE")
    export_vehicles(enterprise=maker)
    small = _market_update_queries(maker, 1)
    export_vehicles(enterprise=maker, country_code="DE", count=40)
    large = _market_update_queries(maker, 40)
    # The market's horizon and count, the cover ends, the current row, one upsert.
    assert len(small) == len(large) == 4
    assert "UNION ALL" in large[1]
    assert Obligation.objects.get(enterprise=maker, country_id="FR").vehicles == 42


def test_a_declaration_that_moves_no_status_writes_no_assessment_event(travel):
    maker = EnterpriseFactory(kind="manufacturer")
    serve_market(enterprise=maker)
    export_vehicles(enterprise=maker)
    assessed = AuditEvent.objects.filter(verb="aftersales.obligation.assessed")
    before = assessed.count()
    export_vehicles(enterprise=maker, count=3)
    assert assessed.count() == before
    assert obligation(maker).vehicles == 4


def test_another_exporters_network_does_not_serve_a_market_of_the_same_brand(travel):
    maker = EnterpriseFactory(kind="manufacturer")
    brand = BrandFactory(manufacturer=maker)
    served, unserved = (EnterpriseFactory(kind="authorised_exporter") for _ in range(2))
    for exporter in (served, unserved):
        AuthorisationFactory(manufacturer=maker, exporter=exporter, brands=[brand])
    serve_market(enterprise=served, brand=brand)
    export_vehicles(enterprise=served, brand=brand)
    export_vehicles(enterprise=unserved, brand=brand)
    obligations_recompute()
    assert obligation(served).status == O.COVERED
    found = obligation(unserved)
    assert (found.status, found.gaps) == (O.BREACHED, "outlets warranty spare_parts")
