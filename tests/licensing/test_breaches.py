"""Breaches: opened automatically or by hand, decided four-eyes, outcomes reach licences,
qualifications and screening, and the enterprise is told."""

from datetime import date

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from aftersales.models import Breach, ComplianceReport, Obligation
from aftersales.services import compliance_reports_open_due
from aftersales.services.breaches import (
    breach_add_note,
    breach_open,
    breach_recommend,
    breaches_open_automatic,
)
from config.errors import ActionForbidden, Conflict, FourEyesViolation, TransitionNotAllowed
from licensing.services.breach_outcomes import breach_decide_and_apply
from licensing.services.declarations import DeclaredLine, declaration_record
from licensing.services.screening import check_negative_list
from notifications.models import Notification
from registry.models import Qualification
from tests.aftersales.factories import export_vehicles
from tests.licensing.licence_factories import fresh_declaration_number, fresh_vin, issue_licence
from tests.registry.factories import MembershipFactory, QualificationFactory

OUT = Breach.Outcome
TODAY = date(2026, 3, 4)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def travel():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def licence():  # type: ignore[no-untyped-def]
    return issue_licence(quantities=(5,), valid_from=TODAY)


@pytest.fixture
def applicant(licence):  # type: ignore[no-untyped-def]
    return MembershipFactory(enterprise=licence.holder, role="applicant").user


@pytest.fixture
def breach(licence, caseworker):  # type: ignore[no-untyped-def]
    return breach_open(
        actor=caseworker,
        enterprise=licence.holder,
        brand=licence.brand,
        country=licence.destination,
        severity="high",
        finding="Owners in Lyon waited nine weeks for a battery module.",
    )


def recommended(breach, caseworker, outcome):  # type: ignore[no-untyped-def]
    breach_add_note(actor=caseworker, breach=breach, text="Confirmed with three owners.")
    return breach_recommend(actor=caseworker, breach=breach, outcome=outcome, reasons="Proven.")


def declare(licence, applicant):  # type: ignore[no-untyped-def]
    model_id = licence.lines.get().vehicle_model_id
    return declaration_record(
        licence=licence,
        actor=applicant,
        number=fresh_declaration_number(),
        declared_on=TODAY,
        lines=[DeclaredLine(model_id, 1, [fresh_vin()])],
    )


def test_a_licence_suspension_outcome_refuses_the_next_draw_down(
    breach, caseworker, officer, licence, applicant
):
    breach = recommended(breach, caseworker, OUT.LICENCE_SUSPENSION)
    breach = breach_decide_and_apply(actor=officer, breach=breach, reasons="Agreed.")
    licence.refresh_from_db()
    assert (breach.status, breach.outcome, licence.status) == (
        "decided",
        OUT.LICENCE_SUSPENSION,
        "suspended",
    )
    with pytest.raises(Conflict) as refused:
        declare(licence, applicant)
    assert refused.value.code == "licence_not_usable"


def test_a_qualification_suspension_outcome_suspends_the_enterprises_qualification(
    breach, caseworker, officer, licence
):
    qualification = QualificationFactory(enterprise=licence.holder)
    breach = recommended(breach, caseworker, OUT.QUALIFICATION_SUSPENSION)
    breach_decide_and_apply(actor=officer, breach=breach, reasons="Agreed.")
    qualification.refresh_from_db()
    assert qualification.status == Qualification.Status.SUSPENDED


def test_a_negative_list_outcome_makes_screening_refuse_the_enterprise(
    breach, caseworker, officer, licence
):
    breach = recommended(breach, caseworker, OUT.NEGATIVE_LIST)
    breach_decide_and_apply(actor=officer, breach=breach, reasons="Repeated.")
    licence.case.applicant.refresh_from_db()
    code, passed, _detail = check_negative_list(licence.case, TODAY)
    assert (code, passed) == ("negative_list", False)


def test_the_enterprise_is_told_of_the_decision(breach, caseworker, officer, applicant):
    breach = recommended(breach, caseworker, OUT.WARNING)
    breach_decide_and_apply(actor=officer, breach=breach, reasons="First time.")
    assert Notification.objects.filter(
        recipient=applicant, kind="aftersales.breach.decided"
    ).exists()


def test_the_recommender_may_not_decide(breach, officer, officer2):
    breach = recommended(breach, officer, OUT.WARNING)
    with pytest.raises(FourEyesViolation):
        breach_decide_and_apply(actor=officer, breach=breach, reasons="Mine.")
    breach.refresh_from_db()
    assert breach.status == Breach.Status.RECOMMENDED
    with pytest.raises(IntegrityError), transaction.atomic():
        Breach.objects.filter(pk=breach.pk).update(decided_by=officer)


def test_a_caseworker_may_not_decide_and_a_decided_breach_cannot_be_recommended_again(
    breach, caseworker, caseworker2, officer
):
    breach = recommended(breach, caseworker, OUT.WARNING)
    with pytest.raises(ActionForbidden):
        breach_decide_and_apply(actor=caseworker2, breach=breach, reasons="No.")
    breach = breach_decide_and_apply(actor=officer, breach=breach, reasons="Yes.")
    with pytest.raises(TransitionNotAllowed):
        breach_recommend(actor=caseworker, breach=breach, outcome=OUT.WARNING, reasons="Again.")


def test_a_portal_user_cannot_open_a_breach(licence, applicant):
    with pytest.raises(ActionForbidden):
        breach_open(actor=applicant, enterprise=licence.holder, severity="low", finding="x")


def test_breached_markets_and_long_overdue_reports_open_breaches_once(manufacturer, travel):
    export_vehicles(enterprise=manufacturer, exported_on=date(2026, 2, 1))
    assert Obligation.objects.get().status == Obligation.Status.BREACHED
    assert breaches_open_automatic() == 1
    travel.move_to(date(2026, 8, 15))
    compliance_reports_open_due()
    report = ComplianceReport.objects.get()
    assert breaches_open_automatic() == 0  # due 2026-07-30: not yet 30 days overdue
    travel.move_to(date(2026, 9, 1))
    assert breaches_open_automatic() == 1
    assert breaches_open_automatic() == 0
    assert Breach.objects.filter(report=report, source="report_overdue").exists()


def test_the_admin_offers_decisions_to_officers_only(client, caseworker, officer, breach):
    url = reverse("admin:aftersales_breach_changelist")
    client.force_login(caseworker)
    page = client.get(url).content.decode()
    assert "recommend_warning" in page and "decide_breaches" not in page
    client.force_login(officer)
    assert "decide_breaches" in client.get(url).content.decode()


def test_an_officer_decides_from_the_admin_and_the_licences_are_suspended(
    client, caseworker, officer, breach, licence
):
    recommended(breach, caseworker, OUT.LICENCE_SUSPENSION)
    client.force_login(officer)
    data = {"action": "decide_breaches", "_selected_action": [breach.pk], "apply": "1"}
    client.post(reverse("admin:aftersales_breach_changelist"), {**data, "reason": "Agreed."})
    licence.refresh_from_db()
    assert licence.status == "suspended"


def test_the_breach_actions_read_in_chinese(client, caseworker, breach):
    client.force_login(caseworker)
    url = reverse("admin:aftersales_breach_changelist")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "建议：警告" in page
