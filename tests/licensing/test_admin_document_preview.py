"""Document preview: inline for staff who may see the case, framable only by this site."""

import pytest
from django.urls import reverse

from licensing.models import Document
from tests.licensing.factories import add_document, case_in_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(maker, caseworker, officer):  # type: ignore[no-untyped-def]
    return case_in_status(
        "under_review", applicant_user=maker, caseworker=caseworker, officer=officer
    )


def preview_url(case, document) -> str:  # type: ignore[no-untyped-def]
    return reverse("admin:licensing_case_document_preview", args=[case.pk, document.pk])


def test_a_pdf_previews_inline_with_a_policy_that_loads_nothing_else(client, case, auditor):
    document = case.documents.get()
    client.force_login(auditor)
    response = client.get(preview_url(case, document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'self'" in policy


def test_an_image_preview_runs_in_a_csp_sandbox(client, case, maker, caseworker):
    document = add_document(case, maker, doc_type="outlets")
    Document.objects.filter(pk=document.pk).update(content_type="image/png")
    client.force_login(caseworker)
    response = client.get(preview_url(case, document))
    assert "sandbox" in response["Content-Security-Policy"]
    page = client.get(reverse("admin:licensing_case_change", args=[case.pk])).content.decode()
    assert f'src="{preview_url(case, document)}"' in page and 'sandbox=""' in page


def test_the_case_page_offers_a_preview_frame_and_allows_framing_only_itself(
    client, case, caseworker
):
    client.force_login(caseworker)
    response = client.get(reverse("admin:licensing_case_change", args=[case.pk]))
    html = response.content.decode()
    assert f'src="{preview_url(case, case.documents.get())}"' in html
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_a_document_of_another_case_does_not_preview(client, case, maker, caseworker, officer):
    other = case_in_status(
        "submitted", applicant_user=maker, caseworker=caseworker, officer=officer
    )
    client.force_login(caseworker)
    assert client.get(preview_url(case, other.documents.get())).status_code == 404


def test_an_applicant_cannot_reach_the_staff_preview(client, case, maker):
    client.force_login(maker)
    response = client.get(preview_url(case, case.documents.get()))
    assert response.status_code == 403 and "/portal/" in response.content.decode()


def test_a_garbage_document_id_is_not_found(client, case, caseworker):
    client.force_login(caseworker)
    url = f"/admin/licensing/case/{case.pk}/documents/99999999999999999999/preview/"
    assert client.get(url).status_code == 404
