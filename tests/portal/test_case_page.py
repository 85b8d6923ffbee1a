"""The case page: screening before submission, submit, withdraw, evidence, answers, history."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import strip_tags

from audit.models import AuditEvent
from licensing.models import Case, Document
from tests.licensing.factories import (
    PDF_BYTES,
    CaseFactory,
    CaseLineFactory,
    QualificationCaseFactory,
    case_in_status,
    draft_case,
)
from tests.registry.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

STATES = (
    "draft",
    "submitted",
    "under_review",
    "info_requested",
    "recommended",
    "approved",
    "refused",
    "withdrawn",
)


def pdf(name: str = "contract.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def events(case: Case, verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb, target_id=str(case.pk)).count()


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ["admin", "applicant", "viewer"])
def test_every_role_reads_the_case_page_in_every_state(
    client, manufacturer, caseworker, officer, state, role
):  # type: ignore[no-untyped-def]
    applicant = MembershipFactory(enterprise=manufacturer, role="applicant").user
    case = case_in_status(state, applicant_user=applicant, caseworker=caseworker, officer=officer)
    reader = MembershipFactory(enterprise=manufacturer, role=role).user
    client.force_login(reader)
    response = client.get(f"/portal/cases/{case.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert case.get_status_display() in page
    acts = role != "viewer"
    assert ("Submit the application" in page) is (acts and state == "draft")
    assert ('name="reason"' in page) is (acts and state in STATES[:4])
    assert ('name="answer"' in page) is (acts and state == "info_requested")
    for raw in (
        "models_bev",
        "negative_list",
        "licensing.",
        "info_requested",
        "under_review",
        "{'",
    ):
        assert raw not in page


def test_a_draft_shows_what_screening_finds_before_submitting_with_links_to_fix(
    client, maker, manufacturer
):  # type: ignore[no-untyped-def]
    case = draft_case(maker, eligible=False)
    client.force_login(maker)
    page = client.get(f"/portal/cases/{case.pk}/").content.decode()
    assert "What screening finds now, before you submit." in page
    assert "Export qualification for the year" in page
    assert "No granted export qualification for 2026." in page
    assert "Apply for this year&#x27;s export qualification" in page
    assert 'href="/portal/apply/qualification/">Fix this' in page
    assert "Service outlets in the destination" in page
    assert not case.eligibility_checks.exists()


def test_submitting_a_complete_draft_screens_it_and_says_so(client, maker):  # type: ignore[no-untyped-def]
    case = draft_case(maker)
    client.force_login(maker)
    response = client.post(f"/portal/cases/{case.pk}/submit/", {"version": case.version})
    case.refresh_from_db()
    assert response.status_code == 302
    assert case.status == "submitted"
    assert case.eligibility_checks.exists()
    assert "Your application was submitted" in client.get(response["Location"]).content.decode()


def test_submitting_an_incomplete_draft_lists_what_is_missing_and_changes_nothing(
    client, maker, manufacturer
):  # type: ignore[no-untyped-def]
    case = CaseFactory(applicant=manufacturer, contract_number="")
    CaseLineFactory(case=case)
    client.force_login(maker)
    response = client.post(f"/portal/cases/{case.pk}/submit/", {"version": case.version})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Contract number: Required before submission." in page
    assert "Documents: Upload: Export contract." in page
    case.refresh_from_db()
    assert (case.status, events(case, "licensing.case.submitted")) == ("draft", 0)


def test_withdrawing_with_a_reason_records_it(client, maker, caseworker, officer):  # type: ignore[no-untyped-def]
    case = case_in_status("submitted", applicant_user=maker, caseworker=caseworker, officer=officer)
    client.force_login(maker)
    body = {"version": case.version, "reason": "Contract cancelled by the buyer"}
    response = client.post(f"/portal/cases/{case.pk}/withdraw/", body)
    case.refresh_from_db()
    assert response.status_code == 302
    assert case.status == "withdrawn"
    event = AuditEvent.objects.get(verb="licensing.case.withdrawn")
    assert event.payload["reason"] == "Contract cancelled by the buyer"
    assert "The application was withdrawn." in client.get(response["Location"]).content.decode()


def test_withdrawing_without_a_reason_is_a_field_error(client, maker, caseworker, officer):  # type: ignore[no-untyped-def]
    case = case_in_status("submitted", applicant_user=maker, caseworker=caseworker, officer=officer)
    client.force_login(maker)
    response = client.post(f"/portal/cases/{case.pk}/withdraw/", {"version": case.version})
    assert response.status_code == 400
    assert response.context["withdraw_form"].errors["reason"]
    case.refresh_from_db()
    assert case.status == "submitted"


def test_withdrawing_a_decided_case_is_refused(client, maker, caseworker, officer):  # type: ignore[no-untyped-def]
    case = case_in_status("approved", applicant_user=maker, caseworker=caseworker, officer=officer)
    client.force_login(maker)
    body = {"version": case.version, "reason": "Too late"}
    response = client.post(f"/portal/cases/{case.pk}/withdraw/", body)
    assert response.status_code == 409
    assert events(case, "licensing.case.withdrawn") == 0


def upload(client: Client, case: Case, file: SimpleUploadedFile, doc_type: str = "contract"):  # type: ignore[no-untyped-def]
    return client.post(f"/portal/cases/{case.pk}/documents/", {"doc_type": doc_type, "file": file})


def test_uploading_evidence_adds_a_document(client, maker, manufacturer):  # type: ignore[no-untyped-def]
    case = CaseFactory(applicant=manufacturer)
    client.force_login(maker)
    response = upload(client, case, pdf("sales-contract.pdf"))
    assert response.status_code == 302
    document = case.documents.get()
    assert (document.doc_type, document.original_name) == ("contract", "sales-contract.pdf")
    assert "sales-contract.pdf" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "contract.pdf",
            b"MZ\x90\x00" + b"\x00" * 200,
            "Only PDF, JPEG and PNG files are accepted.",
        ),
        ("contract.pdf", b"%PDF-1.7\n1 0 obj <<", "The PDF file is damaged or incomplete."),
        ("contract.pdf", PDF_BYTES + b"0" * 4096, "The file is larger than 2048 bytes."),
    ],
    ids=["renamed-executable", "broken-pdf", "oversize"],
)
def test_a_bad_upload_is_a_clear_field_error_and_nothing_is_stored(
    client, maker, manufacturer, settings, name, content, message
):  # type: ignore[no-untyped-def]
    settings.DOCUMENT_MAX_BYTES = 2048
    case = CaseFactory(applicant=manufacturer)
    client.force_login(maker)
    response = upload(client, case, pdf(name, content))
    assert response.status_code == 400
    assert response.context["evidence_form"].errors["file"] == [message]
    assert not Document.objects.exists()
    assert events(case, "licensing.document.added") == 0


def test_an_upload_without_a_document_type_is_a_field_error(client, maker, manufacturer):  # type: ignore[no-untyped-def]
    case = CaseFactory(applicant=manufacturer)
    client.force_login(maker)
    response = upload(client, case, pdf(), doc_type="selfie")
    assert response.status_code == 400
    assert "doc_type" in response.context["evidence_form"].errors
    assert not Document.objects.exists()


@pytest.fixture
def asked(maker, caseworker, officer) -> Case:  # type: ignore[no-untyped-def]
    return case_in_status(
        "info_requested", applicant_user=maker, caseworker=caseworker, officer=officer
    )


def answer(client: Client, case: Case, request_id=None, files=()):  # type: ignore[no-untyped-def]
    question = case.information_requests.get(answered_at__isnull=True)
    body = {
        "version": case.version,
        "answer": "Terms attached.",
        "information_request": request_id or question.pk,
        "attachments": list(files),
    }
    return client.post(f"/portal/cases/{case.pk}/respond/", body)


def test_the_open_question_and_its_due_date_are_shown_first(client, asked, maker):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    page = client.get(f"/portal/cases/{asked.pk}/").content.decode()
    due = asked.information_requests.get().due_on.strftime("%Y-%m-%d")
    assert f"Answer by {due}" in page
    assert page.index("The ministry asks") < page.index("Eligibility checklist")


def test_an_answer_with_attachments_stores_them_on_the_request_and_keeps_it_visible(
    client, asked, maker
):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = answer(client, asked, files=[pdf("terms.pdf"), pdf("parts.pdf")])
    assert response.status_code == 302
    question = asked.information_requests.get()
    assert sorted(d.original_name for d in question.attachments.all()) == ["parts.pdf", "terms.pdf"]
    assert {d.doc_type for d in question.attachments.all()} == {"response"}
    page = client.get(f"/portal/cases/{asked.pk}/").content.decode()
    assert "Questions and answers" in page
    assert "Terms attached." in page and "terms.pdf" in page


def test_a_bad_attachment_refuses_the_whole_answer(client, asked, maker):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    bad = SimpleUploadedFile("terms.pdf", b"MZ" + b"\x00" * 100)
    response = answer(client, asked, files=[pdf("ok.pdf"), bad])
    assert response.status_code == 400
    assert response.context["respond_form"].errors["attachments"] == [
        "Only PDF, JPEG and PNG files are accepted."
    ]
    asked.refresh_from_db()
    assert asked.status == "info_requested"
    assert not Document.objects.filter(doc_type="response").exists()


def test_a_foreign_information_request_is_a_field_error_and_nothing_is_saved(
    client, asked, maker, rival, caseworker, officer
):  # type: ignore[no-untyped-def]
    foreign = case_in_status(
        "info_requested", applicant_user=rival, caseworker=caseworker, officer=officer
    )
    client.force_login(maker)
    response = answer(client, asked, request_id=foreign.information_requests.get().pk)
    assert response.status_code == 400
    assert response.context["respond_form"].errors["information_request"] == [
        "This is not the open information request of this case."
    ]
    asked.refresh_from_db()
    assert asked.status == "info_requested"


def test_the_history_is_told_in_sentences_without_internal_steps(
    client, maker, caseworker, officer
):  # type: ignore[no-untyped-def]
    case = case_in_status("refused", applicant_user=maker, caseworker=caseworker, officer=officer)
    client.force_login(maker)
    page = client.get(f"/portal/cases/{case.pk}/").content.decode()
    assert "You submitted the application" in page
    assert "The ministry assigned the case" in page
    assert "The ministry decided the case" in page and "Outcome: Refuse" in page
    assert "Complete and eligible" not in page  # the recommendation's reasons stay internal
    words = re.findall(r"\w+", strip_tags(page))  # tokens in attributes may contain any letters
    assert "licensing.case" not in page and caseworker.username not in words


def test_a_refusal_shows_its_reasons_and_how_to_appeal(client, maker, caseworker, officer):  # type: ignore[no-untyped-def]
    case = case_in_status("refused", applicant_user=maker, caseworker=caseworker, officer=officer)
    client.force_login(maker)
    page = client.get(f"/portal/cases/{case.pk}/").content.decode()
    assert "Not convinced" in page
    assert "How to appeal" in page and "administrative reconsideration" in page


def test_an_approval_links_to_the_licence_it_produced(client, maker, caseworker, officer):  # type: ignore[no-untyped-def]
    case = case_in_status("approved", applicant_user=maker, caseworker=caseworker, officer=officer)
    client.force_login(maker)
    page = client.get(f"/portal/cases/{case.pk}/").content.decode()
    number = case.issued_licence.number
    assert "Licence issued:" in page and number in page
    assert f"Licence {number} was issued." in page


def test_the_time_limit_shows_working_days_left_and_pauses_for_an_answer(
    client, asked, maker, caseworker, officer
):  # type: ignore[no-untyped-def]
    running = case_in_status(
        "submitted", applicant_user=maker, caseworker=caseworker, officer=officer
    )
    client.force_login(maker)
    assert "working days left (due" in client.get(f"/portal/cases/{running.pk}/").content.decode()
    assert (
        "Paused while the ministry waits for your answer"
        in client.get(f"/portal/cases/{asked.pk}/").content.decode()
    )


def test_a_qualification_draft_page_renders_its_own_checks(client, maker, manufacturer):  # type: ignore[no-untyped-def]
    case = QualificationCaseFactory(applicant=manufacturer)
    client.force_login(maker)
    page = client.get(f"/portal/cases/{case.pk}/").content.decode()
    assert "No qualification for the year yet" in page
    assert "Qualification year" in page


CASE_URLS = [
    ("get", "/portal/cases/{pk}/"),
    ("get", "/portal/cases/{pk}/edit/"),
    ("post", "/portal/cases/{pk}/edit/"),
    ("post", "/portal/cases/{pk}/submit/"),
    ("post", "/portal/cases/{pk}/withdraw/"),
    ("post", "/portal/cases/{pk}/documents/"),
    ("post", "/portal/cases/{pk}/respond/"),
]


@pytest.mark.parametrize(("method", "url"), CASE_URLS)
def test_another_enterprises_case_is_the_same_404_as_a_missing_one_on_every_url(
    client, rival, maker, caseworker, officer, method, url
):  # type: ignore[no-untyped-def]
    case = case_in_status(
        "info_requested", applicant_user=maker, caseworker=caseworker, officer=officer
    )
    client.force_login(rival)
    body = {"version": case.version, "reason": "x", "answer": "x", "doc_type": "contract"}
    send = getattr(client, method)
    other = send(url.format(pk=case.pk), body) if method == "post" else send(url.format(pk=case.pk))
    missing = (
        send(url.format(pk=case.pk + 999), body)
        if method == "post"
        else send(url.format(pk=case.pk + 999))
    )
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content
    refreshed = Case.objects.get(pk=case.pk)
    assert (refreshed.status, refreshed.version) == (case.status, case.version)


@pytest.mark.parametrize(
    "url",
    [
        "/portal/apply/licence/",
        "/portal/cases/{pk}/submit/",
        "/portal/cases/{pk}/withdraw/",
        "/portal/cases/{pk}/documents/",
        "/portal/cases/{pk}/respond/",
        "/portal/cases/{pk}/edit/",
    ],
)
def test_every_form_refuses_a_post_without_the_csrf_token(maker, manufacturer, url):  # type: ignore[no-untyped-def]
    case = draft_case(maker)
    client = Client(enforce_csrf_checks=True)
    client.force_login(maker)
    response = client.post(url.format(pk=case.pk), {"version": case.version, "reason": "x"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert (case.status, case.version) == ("draft", 1)
    assert Case.objects.count() == 1


def test_a_viewers_refused_withdrawal_is_recorded_in_the_audit_trail(
    client, viewer, maker, caseworker, officer
):  # type: ignore[no-untyped-def]
    case = case_in_status("submitted", applicant_user=maker, caseworker=caseworker, officer=officer)
    client.force_login(viewer)
    body = {"version": case.version, "reason": "Not mine to withdraw"}
    response = client.post(f"/portal/cases/{case.pk}/withdraw/", body)
    assert response.status_code == 403
    assert AuditEvent.objects.get(verb="auth.permission.refused").actor == viewer
    case.refresh_from_db()
    assert case.status == "submitted"
