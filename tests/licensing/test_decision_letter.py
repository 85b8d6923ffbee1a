"""The bilingual decision letter and the printable case summary."""

import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from config.errors import TransitionNotAllowed
from licensing.services.letters import decision_letter_pdf
from tests.licensing.factories import case_in_status

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@time_machine.travel("2026-02-24 10:00 +0800", tick=True)
def test_an_approved_case_letter_names_the_licence_in_both_languages(maker, caseworker, officer):
    case = case_in_status("approved", applicant_user=maker, caseworker=caseworker, officer=officer)
    text = pdf_text(decision_letter_pdf(case))
    assert case.reference in text and case.issued_licence.number in text
    assert "Approved" in text and "已批准" in text
    assert case.applicant.uscc in text


def test_a_refused_case_letter_gives_reasons_and_appeal_rights(maker, caseworker, officer):
    case = case_in_status("refused", applicant_user=maker, caseworker=caseworker, officer=officer)
    text = pdf_text(decision_letter_pdf(case))
    assert "Refused" in text and "不予批准" in text
    assert "Your rights" in text and "administrative reconsideration" in text.replace("\n", " ")


def test_an_undecided_case_has_no_letter(maker, caseworker, officer):
    case = case_in_status(
        "recommended", applicant_user=maker, caseworker=caseworker, officer=officer
    )
    with pytest.raises(TransitionNotAllowed):
        decision_letter_pdf(case)


def test_staff_download_the_letter_from_the_case_page(client, maker, caseworker, officer):
    case = case_in_status("refused", applicant_user=maker, caseworker=caseworker, officer=officer)
    client.force_login(officer)
    page = client.get(reverse("admin:licensing_case_change", args=[case.pk])).content.decode()
    url = reverse("admin:licensing_case_decision_letter", args=[case.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_letter_of_an_undecided_case_is_not_found_and_not_offered(
    client, maker, caseworker, officer
):
    case = case_in_status(
        "under_review", applicant_user=maker, caseworker=caseworker, officer=officer
    )
    client.force_login(caseworker)
    url = reverse("admin:licensing_case_decision_letter", args=[case.pk])
    assert (
        url
        not in client.get(reverse("admin:licensing_case_change", args=[case.pk])).content.decode()
    )
    assert client.get(url).status_code == 404


def test_applicants_cannot_reach_the_staff_letter(client, maker, caseworker, officer):
    case = case_in_status("refused", applicant_user=maker, caseworker=caseworker, officer=officer)
    client.force_login(maker)
    response = client.get(reverse("admin:licensing_case_decision_letter", args=[case.pk]))
    assert response.status_code == 403 and "/portal/" in response.content.decode()


def test_the_printable_summary_lists_the_case_in_plain_words(client, maker, caseworker, officer):
    case = case_in_status("refused", applicant_user=maker, caseworker=caseworker, officer=officer)
    client.force_login(caseworker)
    response = client.get(reverse("admin:licensing_case_summary", args=[case.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and case.reference in html
    assert "decided the case" in html and "@media print" in html
    assert "{&#x27;" not in html and "licensing.case." not in html


def test_the_summary_of_a_missing_case_is_not_found(client, caseworker):
    client.force_login(caseworker)
    assert client.get("/admin/licensing/case/999999/summary/").status_code == 404
