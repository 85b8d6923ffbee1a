"""The warranty outliving the after-sales network: the last commitment of a market ends
while cars exported there are still under warranty."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from aftersales import sweeps
from notifications.discovery import discover_sweeps
from notifications.kinds import kind_label
from notifications.models import Notification
from registry.models import UserProfile
from tests.aftersales.factories import (
    ExportedVehicleFactory,
    SparePartsCommitmentFactory,
    WarrantyCommitmentFactory,
)
from tests.registry.factories import BrandFactory, EnterpriseFactory, MembershipFactory

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 6, 1)
END = AS_OF + timedelta(days=60)
HORIZON = date(2028, 3, 3)


@pytest.fixture
def brand(manufacturer):
    return BrandFactory(manufacturer=manufacturer)


def market(enterprise, brand, *, until=END, horizon=HORIZON, model=WarrantyCommitmentFactory):
    """A last commitment ending on `until` and a car under warranty until `horizon`."""
    commitment = model(enterprise=enterprise, brand=brand, valid_until=until)
    if horizon:
        ExportedVehicleFactory(
            enterprise=enterprise,
            brand=brand,
            country=commitment.country,
            warranty_ends_on=horizon,
        )
    return commitment


def sweep_queries(as_of: date) -> int:
    with CaptureQueriesContext(connection) as captured:
        sweeps.warranty_outlives_warranty_commitment(as_of)
    return len(captured.captured_queries)


def test_members_who_can_act_hear_once_that_cars_outlive_the_last_warranty_commitment(
    maker, manufacturer, brand
):
    applicant = MembershipFactory(enterprise=manufacturer, role="applicant").user
    MembershipFactory(enterprise=manufacturer, role="viewer")
    commitment = market(manufacturer, brand)
    assert sweeps.warranty_outlives_warranty_commitment(AS_OF) == 2
    assert sweeps.warranty_outlives_warranty_commitment(AS_OF + timedelta(days=1)) == 0
    notices = Notification.objects.filter(kind__startswith="aftersales.warranty_gap")
    assert {n.recipient for n in notices} == {maker, applicant}
    assert {n.kind for n in notices} == {"aftersales.warranty_gap.warranty.90d"}
    assert {n.due_on for n in notices} == {commitment.valid_until}
    notice = notices.first()
    assert notice.subject == f"{brand.name} cars in France outlive your warranty commitment"
    assert "until 2028-03-03" in notice.body and END.isoformat() in notice.body


def test_each_stage_is_its_own_reminder_and_the_day_itself_is_the_last(maker, manufacturer, brand):
    market(manufacturer, brand)
    added = []
    for days_left in (60, 45, 30, 7, 0):
        day = END - timedelta(days=days_left)
        with time_machine.travel(day, tick=False):
            added.append(sweeps.warranty_outlives_warranty_commitment(day))
    assert added == [1, 0, 1, 1, 0]
    kinds = sorted(Notification.objects.values_list("kind", flat=True))
    assert kinds == [
        "aftersales.warranty_gap.warranty.30d",
        "aftersales.warranty_gap.warranty.7d",
        "aftersales.warranty_gap.warranty.90d",
    ]


def test_the_reminder_is_in_the_recipients_language(maker, manufacturer, brand):
    UserProfile.objects.create(user=maker, language="zh-hans")
    market(manufacturer, brand, model=SparePartsCommitmentFactory)
    assert sweeps.warranty_outlives_spare_parts_commitment(AS_OF) == 1
    notice = Notification.objects.get()
    assert notice.kind == "aftersales.warranty_gap.spare_parts.90d"
    assert notice.language == "zh-hans"
    assert "备件供应承诺" in notice.subject
    assert "2028-03-03" in notice.body and "质保期" in notice.body


@pytest.mark.parametrize(
    ("until", "horizon"),
    [
        (END, END),  # the last car's warranty ends with the commitment
        (END, END - timedelta(days=1)),  # ... or before it
        (END, None),  # nothing exported there
        (AS_OF + timedelta(days=91), HORIZON),  # ends beyond the first stage
        (AS_OF - timedelta(days=1), HORIZON),  # already ended: that is a breach, not a reminder
    ],
)
def test_no_reminder_when_the_warranty_does_not_outlive_a_commitment_due_now(
    maker, manufacturer, brand, until, horizon
):
    market(manufacturer, brand, until=until, horizon=horizon)
    assert sweeps.warranty_outlives_warranty_commitment(AS_OF) == 0


def test_a_continued_withdrawn_or_other_markets_commitment_is_not_reminded(
    maker, manufacturer, brand
):
    ending = market(manufacturer, brand)
    WarrantyCommitmentFactory(
        enterprise=manufacturer,
        brand=brand,
        country=ending.country,
        valid_from=END + timedelta(days=1),
        valid_until=date(2031, 1, 1),
    )
    withdrawn = market(manufacturer, brand)
    withdrawn.withdrawn_at = "2026-05-01T00:00Z"
    withdrawn.save()
    other = EnterpriseFactory(kind="manufacturer")
    MembershipFactory(enterprise=other, role="admin")
    elsewhere = WarrantyCommitmentFactory(enterprise=other, brand=BrandFactory(manufacturer=other))
    elsewhere.valid_until = END
    elsewhere.save()
    ExportedVehicleFactory(enterprise=manufacturer, brand=brand, country=elsewhere.country)
    assert sweeps.warranty_outlives_warranty_commitment(AS_OF) == 0


def test_the_query_count_does_not_grow_with_the_due_markets(maker, manufacturer, brand):
    market(manufacturer, brand)
    one = sweep_queries(AS_OF)
    for _ in range(5):
        market(manufacturer, BrandFactory(manufacturer=manufacturer))
    Notification.objects.all().delete()
    assert sweep_queries(AS_OF) == one
    assert Notification.objects.count() == 6
    assert sweep_queries(AS_OF) == one  # a rerun: same few queries, nothing added
    assert Notification.objects.count() == 6


def test_send_reminders_runs_and_counts_the_warranty_gap_sweeps(maker, manufacturer, brand, capsys):
    names = {name for name, _sweep in discover_sweeps()}
    assert {
        "aftersales.warranty_outlives_warranty_commitment",
        "aftersales.warranty_outlives_spare_parts_commitment",
    } <= names
    market(manufacturer, brand)
    with time_machine.travel(AS_OF, tick=False):
        call_command("send_reminders", "--dry-run")
        assert not Notification.objects.filter(kind__startswith="aftersales.warranty_gap").exists()
        preview = capsys.readouterr().out
        call_command("send_reminders")
    out = capsys.readouterr().out
    assert "aftersales.warranty_outlives_warranty_commitment: 1" in preview
    assert "aftersales.warranty_outlives_warranty_commitment: 1" in out
    assert "aftersales.warranty_outlives_spare_parts_commitment: 0" in out
    assert Notification.objects.filter(kind__startswith="aftersales.warranty_gap").count() == 1


def test_staff_read_the_warranty_gap_kinds_by_name_in_both_languages():
    assert (
        kind_label("aftersales.warranty_gap.warranty.30d")
        == "Cars under warranty after the warranty commitment ends, 30 days ahead"
    )
    with translation.override("zh-hans"):
        assert kind_label("aftersales.warranty_gap.spare_parts.7d").startswith(
            "备件供应承诺到期后仍有车辆在质保期内"
        )


def test_a_manufacturers_commitment_counts_the_cars_its_authorised_exporters_sent(
    maker, manufacturer, brand
):
    commitment = market(manufacturer, brand, horizon=None)
    exporter = EnterpriseFactory(kind="authorised_exporter")
    ExportedVehicleFactory(
        enterprise=exporter, brand=brand, country=commitment.country, warranty_ends_on=HORIZON
    )
    assert sweeps.warranty_outlives_warranty_commitment(AS_OF) == 1
    assert Notification.objects.get().recipient == maker


def test_an_exporters_own_commitment_counts_only_the_cars_it_sent(maker, manufacturer, brand):
    exporter = EnterpriseFactory(kind="authorised_exporter")
    MembershipFactory(enterprise=exporter, role="admin")
    commitment = market(exporter, brand, horizon=None)
    ExportedVehicleFactory(
        enterprise=manufacturer, brand=brand, country=commitment.country, warranty_ends_on=HORIZON
    )
    assert sweeps.warranty_outlives_warranty_commitment(AS_OF) == 0
    ExportedVehicleFactory(
        enterprise=exporter, brand=brand, country=commitment.country, warranty_ends_on=HORIZON
    )
    assert sweeps.warranty_outlives_warranty_commitment(AS_OF) == 1
