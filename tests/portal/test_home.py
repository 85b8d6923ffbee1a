"""The home page: what needs the member's attention now, counted and linked, in both languages."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from licensing.models import Case
from tests.aftersales.factories import (
    ServiceOutletFactory,
    SparePartsCommitmentFactory,
    WarrantyCommitmentFactory,
)
from tests.licensing.factories import CaseFactory, case_in_status
from tests.licensing.licence_factories import issue_licence
from tests.notifications.factories import NotificationFactory
from tests.pagecheck import assert_reads_in_chinese

pytestmark = pytest.mark.django_db
SOON = date(2026, 4, 30)  # within 90 days of the frozen day, 2026-02-25


@pytest.fixture
def busy(frozen_today, maker, manufacturer, caseworker, officer):  # type: ignore[no-untyped-def]
    """An enterprise with something in every block of the home page."""
    world = {
        "draft": CaseFactory(applicant=manufacturer),
        "asked": case_in_status(
            "info_requested", applicant_user=maker, caseworker=caseworker, officer=officer
        ),
        "licence": issue_licence(
            applicant=manufacturer, valid_until=frozen_today + timedelta(days=20)
        ),
        "outlet": ServiceOutletFactory(enterprise=manufacturer, contract_valid_until=SOON),
        "warranty": WarrantyCommitmentFactory(enterprise=manufacturer, valid_until=SOON),
        "parts": SparePartsCommitmentFactory(enterprise=manufacturer, valid_until=SOON),
        "notice": NotificationFactory(recipient=maker, subject="Compliance report due"),
    }
    return world


def test_the_home_page_counts_and_links_what_needs_action(client, maker, busy):
    client.force_login(maker)
    response = client.get("/portal/")
    page = response.content.decode()
    assert response.context["draft_count"] == Case.objects.filter(status="draft").count()
    assert f"/portal/cases/{busy['draft'].pk}/" in page
    assert f"/portal/cases/{busy['asked'].pk}/" in page
    assert "answer by 2026-03-07" in page
    assert busy["licence"].number in page
    assert "10 vehicles still to ship" in page
    assert busy["outlet"].operator_name in page
    assert response.context["lapsing"].count == 3
    assert response.context["unread_count"] == maker.notifications.filter(read_at=None).count()
    assert "Compliance report due" in page


def test_a_licence_with_nothing_left_to_ship_is_not_listed(
    client, maker, manufacturer, frozen_today
):
    licence = issue_licence(applicant=manufacturer, valid_until=frozen_today + timedelta(days=20))
    licence.lines.update(remaining=0)
    client.force_login(maker)
    assert client.get("/portal/").context["licences"] == []


def test_records_ending_after_ninety_days_are_not_listed(client, maker, manufacturer, frozen_today):
    outlet = ServiceOutletFactory(enterprise=manufacturer, contract_valid_until=date(2026, 12, 31))
    client.force_login(maker)
    assert outlet.operator_name not in client.get("/portal/").content.decode()


def test_the_home_page_shows_nothing_of_another_enterprise(client, rival, busy):
    client.force_login(rival)
    response = client.get("/portal/")
    page = response.content.decode()
    assert busy["licence"].number not in page
    assert busy["outlet"].operator_name not in page
    assert response.context["draft_count"] == 0
    assert response.context["unread_count"] == 0


def test_the_home_page_queries_do_not_grow_with_rows(client, maker, manufacturer, busy):
    client.force_login(maker)
    with CaptureQueriesContext(connection) as before:
        client.get("/portal/")
    CaseFactory.create_batch(3, applicant=manufacturer)
    ServiceOutletFactory.create_batch(3, enterprise=manufacturer, contract_valid_until=SOON)
    NotificationFactory.create_batch(3, recipient=maker)
    with CaptureQueriesContext(connection) as after:
        client.get("/portal/")
    assert len(after) == len(before)


@pytest.mark.parametrize("role", ["admin", "applicant", "viewer"])
def test_every_role_reads_the_home_page_in_chinese(client, busy, manufacturer, role):
    from tests.registry.factories import MembershipFactory

    member = MembershipFactory(enterprise=manufacturer, role=role).user
    NotificationFactory(recipient=member, subject="提醒")
    client.force_login(member)
    text = assert_reads_in_chinese(client, "/portal/", data=_names(busy, manufacturer))
    assert "待答复的问题" in text


def _names(busy, manufacturer) -> list[str]:  # type: ignore[no-untyped-def]
    """What the page shows as the enterprise wrote it: names and the caseworker's question."""
    brands = list(manufacturer.brands.values_list("name", flat=True))
    question = busy["asked"].information_requests.get().question
    return [
        manufacturer.name_en,
        busy["outlet"].operator_name,
        busy["outlet"].city,
        question,
        *brands,
    ]
