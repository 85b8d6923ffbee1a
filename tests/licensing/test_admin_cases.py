"""The caseworker admin: buttons per role and state, each calling the service; bulk assign."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from licensing.models import Case
from tests.licensing.factories import EligibilityCheckFactory, case_in_status

pytestmark = pytest.mark.django_db

ALL_ACTIONS = ("assign", "request_info", "recommend", "decide", "return")


def change_url(case: Case) -> str:
    return reverse("admin:licensing_case_change", args=[case.pk])


def act_url(case: Case, action: str) -> str:
    return reverse("admin:licensing_case_transition", args=[case.pk, action])


def buttons_on_page(client, case: Case) -> set[str]:  # type: ignore[no-untyped-def]
    html = client.get(change_url(case)).content.decode()
    return {a for a in ALL_ACTIONS if f'id="case-action-{a}"' in html}


def message_texts(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [text for _level, text in messages_of(response)]


def messages_of(response) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def events(case: Case, verb: str) -> int:
    return AuditEvent.objects.for_target(case).filter(verb=verb).count()


@pytest.fixture
def in_status(maker, caseworker, officer):  # type: ignore[no-untyped-def]
    """Build a case in a status, assessed by `caseworker` and decided by `officer`."""

    def build(status: str) -> Case:
        return case_in_status(status, applicant_user=maker, caseworker=caseworker, officer=officer)

    return build


# ---- which buttons appear ----------------------------------------------------------------

EXPECTED_BUTTONS = {
    # (status, who): the buttons that user sees
    ("submitted", "caseworker"): {"assign"},
    ("submitted", "caseworker2"): {"assign"},
    ("submitted", "officer2"): {"assign"},
    ("submitted", "auditor"): set(),
    ("under_review", "caseworker"): {"request_info", "recommend"},
    ("under_review", "caseworker2"): set(),
    ("under_review", "officer2"): set(),
    ("info_requested", "caseworker"): set(),
    ("recommended", "caseworker"): set(),
    ("recommended", "officer2"): {"decide", "return"},
    ("recommended", "auditor"): set(),
    ("approved", "officer2"): set(),
    ("refused", "caseworker"): set(),
    ("withdrawn", "caseworker"): set(),
    ("draft", "caseworker"): set(),
}


@pytest.mark.parametrize(("status", "who"), list(EXPECTED_BUTTONS))
def test_case_page_shows_exactly_the_buttons_this_user_may_use_now(
    request, client, in_status, status, who
):
    case = in_status(status)
    client.force_login(request.getfixturevalue(who))
    assert buttons_on_page(client, case) == EXPECTED_BUTTONS[(status, who)]


def test_case_page_shows_applicant_goods_screening_documents_sla_and_timeline(
    client, caseworker, in_status
):
    case = in_status("under_review")
    client.force_login(caseworker)
    html = client.get(change_url(case)).content.decode()
    for panel in ("case-sla", "case-lines", "case-screening", "case-documents", "case-timeline"):
        assert f'id="{panel}"' in html
    assert str(case.applicant) in html
    assert "assigned the case" in html
    document = case.documents.get()
    assert reverse("admin:licensing_case_document", args=[case.pk, document.pk]) in html


def test_case_page_has_no_save_button_and_refuses_a_form_post(client, caseworker, in_status):
    case = in_status("under_review")
    client.force_login(caseworker)
    assert 'name="_save"' not in client.get(change_url(case)).content.decode()
    response = client.post(change_url(case), {"status": "approved", "version": case.version})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == Case.Status.UNDER_REVIEW


def test_no_one_may_add_or_delete_cases_in_the_admin(admin_client, in_status):
    case = in_status("submitted")
    assert admin_client.get(reverse("admin:licensing_case_add")).status_code == 403
    delete = reverse("admin:licensing_case_delete", args=[case.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Case.objects.filter(pk=case.pk).exists()


# ---- buttons call the services ---------------------------------------------------------------


def test_assign_button_puts_the_case_under_review_with_an_audit_event(
    client, caseworker, caseworker2, in_status
):
    case = in_status("submitted")
    client.force_login(caseworker)
    data = {"version": case.version, "assignee": caseworker2.pk}
    response = client.post(act_url(case, "assign"), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.assigned_to) == (Case.Status.UNDER_REVIEW, caseworker2)
    assert events(case, "licensing.case.assigned") == 1
    assert any("Under review" in m for m in message_texts(response))


def test_request_info_button_asks_the_question_and_pauses_the_case(client, caseworker, in_status):
    case = in_status("under_review")
    client.force_login(caseworker)
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    data = {"version": case.version, "question": "Send the outlet contract", "due_on": due}
    client.post(act_url(case, "request_info"), data)
    case.refresh_from_db()
    assert case.status == Case.Status.INFO_REQUESTED
    assert case.information_requests.get().question == "Send the outlet contract"
    assert events(case, "licensing.case.info_requested") == 1


@time_machine.travel("2026-02-24 10:00 +0800", tick=True)
def test_recommend_and_decide_buttons_take_a_case_to_approval(
    client, caseworker, officer2, in_status
):
    case = in_status("under_review")  # eligible, and its validity starts in the future
    client.force_login(caseworker)
    data = {"version": case.version, "outcome": "approve", "reasons": "Eligible"}
    client.post(act_url(case, "recommend"), data)
    case.refresh_from_db()
    assert (case.status, case.recommended_by) == (Case.Status.RECOMMENDED, caseworker)
    client.force_login(officer2)
    data = {"version": case.version, "outcome": "approve", "reasons": "Agreed"}
    response = client.post(act_url(case, "decide"), data)
    case.refresh_from_db()
    assert (case.status, case.decided_by) == (Case.Status.APPROVED, officer2), message_texts(
        response
    )
    assert events(case, "licensing.case.decided") == 1


def test_return_button_sends_the_case_back_with_the_reason(client, officer2, in_status):
    case = in_status("recommended")
    client.force_login(officer2)
    client.post(act_url(case, "return"), {"version": case.version, "reason": "Check prices"})
    case.refresh_from_db()
    assert (case.status, case.return_reason) == (Case.Status.UNDER_REVIEW, "Check prices")
    assert events(case, "licensing.case.returned") == 1


def test_officer_deciding_their_own_recommendation_gets_an_error_and_nothing_changes(
    client, maker, officer, officer2
):
    case = case_in_status("recommended", applicant_user=maker, caseworker=officer, officer=officer2)
    client.force_login(officer)
    before_seq = AuditEvent.objects.order_by("seq").last().seq
    data = {"version": case.version, "outcome": "approve", "reasons": "Mine"}
    response = client.post(act_url(case, "decide"), data)
    case.refresh_from_db()
    assert case.status == Case.Status.RECOMMENDED and case.decided_by is None
    [refusal] = AuditEvent.objects.filter(seq__gt=before_seq)
    assert (refusal.verb, refusal.actor_id) == ("auth.permission.refused", officer.pk)
    assert refusal.payload["path"] == act_url(case, "decide")
    assert "another officer must decide" in refusal.payload["reason"]
    assert messages_of(response) == [
        ("error", "You recommended this case; another officer must decide it.")
    ]


def test_a_stale_page_gets_a_conflict_message_instead_of_overwriting(
    client, caseworker, caseworker2, in_status
):
    case = in_status("submitted")
    seen_version = case.version
    other = Client()
    other.force_login(caseworker2)
    other.post(act_url(case, "assign"), {"version": seen_version, "assignee": caseworker2.pk})
    client.force_login(caseworker)
    response = client.post(
        act_url(case, "assign"), {"version": seen_version, "assignee": caseworker.pk}
    )
    case.refresh_from_db()
    assert case.assigned_to == caseworker2
    assert events(case, "licensing.case.assigned") == 1
    [(level, text)] = messages_of(response)
    assert level == "error" and "Under review" in text


def test_a_stale_version_on_an_unchanged_status_is_a_conflict_too(client, caseworker, in_status):
    case = in_status("under_review")
    client.force_login(caseworker)
    data = {"version": case.version - 1, "outcome": "refuse", "reasons": "No"}
    response = client.post(act_url(case, "recommend"), data)
    case.refresh_from_db()
    assert case.status == Case.Status.UNDER_REVIEW
    assert any("changed since you loaded it" in m for m in message_texts(response))


def test_a_user_who_may_not_act_gets_an_error_even_by_posting_directly(
    client, caseworker2, in_status
):
    case = in_status("under_review")  # assigned to `caseworker`
    client.force_login(caseworker2)
    data = {"version": case.version, "outcome": "refuse", "reasons": "Not mine"}
    response = client.post(act_url(case, "recommend"), data)
    case.refresh_from_db()
    assert case.status == Case.Status.UNDER_REVIEW
    assert any("assigned" in m for m in message_texts(response))
    refusal = AuditEvent.objects.get(verb="auth.permission.refused")
    assert refusal.actor_id == caseworker2.pk


def test_an_incomplete_form_is_reported_and_changes_nothing(client, caseworker, in_status):
    case = in_status("under_review")
    client.force_login(caseworker)
    response = client.post(act_url(case, "recommend"), {"version": case.version})
    case.refresh_from_db()
    assert case.status == Case.Status.UNDER_REVIEW
    assert message_texts(response) == ["Please correct the errors below."]
    page = client.get(change_url(case)).content.decode()
    assert 'id="id_recommend_reasons_error"' in page


def test_an_applicant_action_or_unknown_action_has_no_admin_endpoint(client, caseworker, in_status):
    case = in_status("info_requested")
    client.force_login(caseworker)
    assert client.post(act_url(case, "respond"), {"version": case.version}).status_code == 404
    assert client.post(act_url(case, "approve"), {"version": case.version}).status_code == 404


def test_action_endpoints_refuse_get(client, caseworker, in_status):
    case = in_status("submitted")
    client.force_login(caseworker)
    assert client.get(act_url(case, "assign")).status_code == 405


def test_portal_users_cannot_reach_the_case_admin(client, maker, in_status):
    case = in_status("submitted")
    client.force_login(maker)
    response = client.post(act_url(case, "assign"), {"version": case.version})
    assert response.status_code == 403  # refused with a page pointing to the portal
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED


# ---- screening override ------------------------------------------------------------------


def test_assigned_caseworker_overrides_a_failed_check_with_a_reason(client, caseworker, in_status):
    case = in_status("under_review")
    EligibilityCheckFactory(case=case, code="spare_parts_demo", passed=False, detail="missing")
    client.force_login(caseworker)
    assert 'id="case-override-spare_parts_demo"' in client.get(change_url(case)).content.decode()
    url = reverse("admin:licensing_case_override", args=[case.pk])
    data = {"version": case.version, "code": "spare_parts_demo", "reason": "Depot contract seen"}
    client.post(url, data)
    check = case.eligibility_checks.get(code="spare_parts_demo")
    assert check.overridden and check.override_reason == "Depot contract seen"
    assert events(case, "licensing.eligibility.overridden") == 1


def test_another_caseworker_sees_no_override_form_and_cannot_override(
    client, caseworker2, in_status
):
    case = in_status("under_review")
    EligibilityCheckFactory(case=case, code="spare_parts_demo", passed=False)
    client.force_login(caseworker2)
    assert "case-override-" not in client.get(change_url(case)).content.decode()
    url = reverse("admin:licensing_case_override", args=[case.pk])
    data = {"version": case.version, "code": "spare_parts_demo", "reason": "Why not"}
    response = client.post(url, data)
    assert not case.eligibility_checks.get(code="spare_parts_demo").overridden
    assert any("assigned" in m for m in message_texts(response))


# ---- documents -----------------------------------------------------------------------------


def test_staff_download_a_document_through_the_case(client, auditor, in_status):
    case = in_status("submitted")
    document = case.documents.get()
    client.force_login(auditor)
    response = client.get(reverse("admin:licensing_case_document", args=[case.pk, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]


def test_a_document_of_another_case_is_not_found(client, caseworker, in_status):
    case, other = in_status("submitted"), in_status("submitted")
    client.force_login(caseworker)
    url = reverse("admin:licensing_case_document", args=[case.pk, other.documents.get().pk])
    assert client.get(url).status_code == 404


# ---- bulk actions ------------------------------------------------------------------------


def test_bulk_assign_to_me_assigns_what_it_can_and_reports_the_rest(client, caseworker, in_status):
    submitted = [in_status("submitted") for _ in range(3)]
    reviewed = in_status("under_review")
    client.force_login(caseworker)
    response = client.post(
        reverse("admin:licensing_case_changelist"),
        {"action": "assign_to_me", "_selected_action": [c.pk for c in [*submitted, reviewed]]},
    )
    assert response.status_code == 302
    for case in submitted:
        case.refresh_from_db()
        assert (case.status, case.assigned_to) == (Case.Status.UNDER_REVIEW, caseworker)
    texts = message_texts(response)
    assert any("Assigned 3" in t for t in texts)
    assert any(reviewed.reference in t for t in texts)


def test_bulk_assign_to_asks_whom_then_assigns_each_through_the_service(
    client, caseworker, caseworker2, in_status
):
    cases = [in_status("submitted") for _ in range(2)]
    client.force_login(caseworker)
    url = reverse("admin:licensing_case_changelist")
    selected = {"action": "assign_to", "_selected_action": [c.pk for c in cases]}
    page = client.post(url, selected)
    assert page.status_code == 200 and b'id="assign-to-form"' in page.content
    client.post(url, {**selected, "apply": "1", "assignee": caseworker2.pk})
    for case in cases:
        case.refresh_from_db()
        assert case.assigned_to == caseworker2
        assert events(case, "licensing.case.assigned") == 1


def test_bulk_assign_is_not_offered_to_an_auditor(client, auditor, in_status):
    case = in_status("submitted")
    client.force_login(auditor)
    response = client.post(
        reverse("admin:licensing_case_changelist"),
        {"action": "assign_to_me", "_selected_action": [case.pk]},
    )
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED
    assert b"assign_to_me" not in client.get(reverse("admin:licensing_case_changelist")).content
    assert response.status_code in (200, 302)
