"""Portal cases: the member's own list and detail, and answering an information request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from licensing.models import Case
from tests.licensing.factories import CaseFactory, add_document, case_in_status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def asked(maker, caseworker, officer) -> Case:  # type: ignore[no-untyped-def]
    """A case of the maker's enterprise waiting for an answer."""
    return case_in_status(
        "info_requested", applicant_user=maker, caseworker=caseworker, officer=officer
    )


def respond(client, case: Case, answer: str = "Warranty terms attached.", version=None):  # type: ignore[no-untyped-def]
    body = {
        "answer": answer,
        "version": case.version if version is None else version,
        "information_request": getattr(case.information_requests.first(), "pk", ""),
    }
    return client.post(f"/portal/cases/{case.pk}/respond/", body)


@pytest.mark.parametrize(
    "path",
    [
        "/portal/cases/",
        "/portal/cases/1/",
        "/portal/licences/",
        "/portal/licences/1/certificate.pdf",
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, path):  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")


def test_the_list_shows_the_enterprises_cases_and_not_anothers(
    client, maker, manufacturer, rival_enterprise
):  # type: ignore[no-untyped-def]
    own = CaseFactory(applicant=manufacturer)
    other = CaseFactory(applicant=rival_enterprise)
    client.force_login(maker)
    page = client.get("/portal/cases/").content.decode()
    assert own.reference in page
    assert other.reference not in page


def test_the_list_shows_status_submission_and_sla_due_date(
    client, asked, maker, caseworker, officer
):  # type: ignore[no-untyped-def]
    submitted = case_in_status(
        "submitted", applicant_user=maker, caseworker=caseworker, officer=officer
    )
    client.force_login(maker)
    page = client.get("/portal/cases/").content.decode()
    assert "Information requested" in page
    assert "Paused" in page
    assert submitted.submitted_at.strftime("%Y-%m-%d") in page
    assert submitted.sla_due_on.strftime("%Y-%m-%d") in page


def test_the_list_filters_by_status(client, maker, manufacturer):  # type: ignore[no-untyped-def]
    draft = CaseFactory(applicant=manufacturer)
    withdrawn = CaseFactory(applicant=manufacturer, status=Case.Status.WITHDRAWN)
    client.force_login(maker)
    page = client.get("/portal/cases/?status=withdrawn").content.decode()
    assert withdrawn.reference in page
    assert draft.reference not in page


def test_an_unknown_status_filter_lists_every_case(client, maker, manufacturer):  # type: ignore[no-untyped-def]
    draft = CaseFactory(applicant=manufacturer)
    client.force_login(maker)
    assert draft.reference in client.get("/portal/cases/?status=bogus").content.decode()


def test_the_list_is_paginated(client, maker, manufacturer):  # type: ignore[no-untyped-def]
    CaseFactory.create_batch(26, applicant=manufacturer)
    client.force_login(maker)
    first = client.get("/portal/cases/")
    second = client.get("/portal/cases/?page=2")
    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 1


def test_staff_without_membership_see_no_cases_on_the_portal(client, caseworker, manufacturer):  # type: ignore[no-untyped-def]
    case = CaseFactory(applicant=manufacturer)
    client.force_login(caseworker)
    assert case.reference not in client.get("/portal/cases/").content.decode()
    # Staff are refused the portal outright (a page sends them to the admin).
    assert client.get(f"/portal/cases/{case.pk}/").status_code == 403


def test_the_list_query_count_does_not_grow_with_rows(client, maker, caseworker, officer):  # type: ignore[no-untyped-def]
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/portal/cases/").status_code == 200
        return len(queries)

    statuses = ("submitted", "info_requested", "under_review")
    case_in_status(statuses[0], applicant_user=maker, caseworker=caseworker, officer=officer)
    client.force_login(maker)
    few = count()
    for status in statuses:
        case_in_status(status, applicant_user=maker, caseworker=caseworker, officer=officer)
    assert count() == few


def test_the_detail_shows_status_lines_checklist_documents_and_questions(client, asked, maker):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = client.get(f"/portal/cases/{asked.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Information requested" in page
    assert str(asked.lines.get().vehicle_model) in page
    assert asked.eligibility_checks.first().label in page
    assert "contract.pdf" in page
    assert "Send the warranty terms" in page
    assert 'name="answer"' in page


def test_another_enterprises_case_is_the_same_404_as_a_missing_one(
    client, rival, maker, manufacturer
):  # type: ignore[no-untyped-def]
    case = CaseFactory(applicant=manufacturer)
    client.force_login(rival)
    other = client.get(f"/portal/cases/{case.pk}/")
    missing = client.get(f"/portal/cases/{case.pk + 1000}/")
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content
    client.force_login(maker)
    assert client.get(f"/portal/cases/{case.pk}/").status_code == 200


def test_a_document_link_downloads_the_file_as_an_attachment(client, maker, manufacturer):  # type: ignore[no-untyped-def]
    case = CaseFactory(applicant=manufacturer)
    document = add_document(case, maker)
    client.force_login(maker)
    page = client.get(f"/portal/cases/{case.pk}/")
    link = f"/api/v1/cases/{case.pk}/documents/{document.pk}/download/"
    assert f'href="{link}"' in page.content.decode()
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_answering_puts_the_case_back_under_review_with_an_audit_event(client, asked, maker):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = respond(client, asked)
    assert response.status_code == 302
    assert response["Location"] == f"/portal/cases/{asked.pk}/"
    asked.refresh_from_db()
    assert asked.status == Case.Status.UNDER_REVIEW
    assert asked.information_requests.get().answer == "Warranty terms attached."
    event = AuditEvent.objects.filter(verb="licensing.case.responded", target_id=str(asked.pk))
    assert event.get().actor == maker
    assert "back under review" in client.get(response["Location"]).content.decode()


def _unchanged(case: Case) -> bool:
    before = (case.status, case.version)
    case.refresh_from_db()
    responded = AuditEvent.objects.filter(verb="licensing.case.responded", target_id=str(case.pk))
    return (case.status, case.version) == before and not responded.exists()


def test_an_empty_answer_is_refused_with_a_message_and_changes_nothing(client, asked, maker):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = respond(client, asked, answer="   ")
    assert response.status_code == 400
    assert "Give an answer." in response.content.decode()
    assert _unchanged(asked)


def test_answering_a_case_that_is_not_waiting_is_refused(client, maker, caseworker, officer):  # type: ignore[no-untyped-def]
    case = case_in_status(
        "under_review", applicant_user=maker, caseworker=caseworker, officer=officer
    )
    client.force_login(maker)
    assert 'name="answer"' not in client.get(f"/portal/cases/{case.pk}/").content.decode()
    response = respond(client, case)
    assert response.status_code == 409
    assert "Cannot respond a case that is Under review." in response.content.decode()
    assert _unchanged(case)


def test_a_viewer_sees_no_answer_form_and_is_refused(client, asked, viewer):  # type: ignore[no-untyped-def]
    client.force_login(viewer)
    assert 'name="answer"' not in client.get(f"/portal/cases/{asked.pk}/").content.decode()
    response = respond(client, asked)
    assert response.status_code == 403
    assert "You may not Respond this case." in response.content.decode()
    assert _unchanged(asked)


def test_an_answer_written_on_an_old_version_is_a_conflict(client, asked, maker):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = respond(client, asked, version=asked.version - 1)
    assert response.status_code == 409
    assert "Someone changed this case while you were working on it" in response.content.decode()
    assert _unchanged(asked)


def test_a_missing_version_is_refused_without_calling_the_service(client, asked, maker):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = client.post(f"/portal/cases/{asked.pk}/respond/", {"answer": "Here."})
    assert response.status_code == 400
    assert _unchanged(asked)


def test_answering_another_enterprises_case_is_a_404(client, asked, rival):  # type: ignore[no-untyped-def]
    client.force_login(rival)
    assert respond(client, asked).status_code == 404
    assert _unchanged(asked)


def test_the_case_pages_read_in_chinese(client, asked, maker):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    chinese = {"accept-language": "zh-hans"}
    listing = client.get("/portal/cases/", headers=chinese).content.decode()
    detail = client.get(f"/portal/cases/{asked.pk}/", headers=chinese).content.decode()
    assert "本企业的申请案件" in listing
    assert "资格审查清单" in detail
    assert "提交答复" in detail
