"""The case page reads like a case: plain check names, sentences, the licence it produced."""

import re
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from aftersales.models import SparePartsCommitment
from licensing.models import Case
from tests.licensing.factories import case_in_status
from tests.pagecheck import assert_reads_in_chinese

pytestmark = pytest.mark.django_db

SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
DICT_REPR = re.compile(r"[{\[]\s*'|\{\s*\"")


def change_url(case: Case) -> str:
    return reverse("admin:licensing_case_change", args=[case.pk])


def visible_text(html: str) -> str:
    """What a reader sees: the page without scripts, styles, tags and attributes."""
    body = html.split("<body", 1)[1]
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<textarea\b.*?</textarea>", " ", body, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", body))


def test_a_reviewed_case_page_shows_no_snake_case_code_or_python_structure(
    client, maker, caseworker, officer
):
    case = case_in_status(
        "info_requested", applicant_user=maker, caseworker=caseworker, officer=officer
    )
    case.eligibility_checks.update_or_create(
        code="spare_parts", defaults={"passed": False, "detail": "No depot"}
    )
    client.force_login(caseworker)
    text = visible_text(client.get(change_url(case)).content.decode())
    assert SNAKE_CASE.findall(text) == []
    assert DICT_REPR.findall(text) == []
    assert "Spare-parts supply" in text
    assert "Record or renew a spare-parts commitment" in text


def test_the_detector_catches_a_raw_code_and_a_dict_repr():
    text = visible_text("<body><td>models_bev</td><td>{'new_status': 'submitted'}</td></body>")
    assert SNAKE_CASE.findall(text) and DICT_REPR.findall(text)


def test_the_timeline_tells_who_did_what_and_the_status_before_and_after(
    client, maker, caseworker, officer
):
    case = case_in_status(
        "under_review", applicant_user=maker, caseworker=caseworker, officer=officer
    )
    client.force_login(caseworker)
    text = visible_text(client.get(change_url(case)).content.decode())
    assert f"{caseworker.get_username()} assigned the case" in text
    assert "Status: Submitted → Under review" in text
    assert "Beijing time" in text


def test_the_timeline_reads_in_chinese_for_a_chinese_reader(client, maker, caseworker, officer):
    case = case_in_status(
        "under_review", applicant_user=maker, caseworker=caseworker, officer=officer
    )
    client.force_login(caseworker)
    html = client.get(change_url(case), headers={"accept-language": "zh-hans"}).content.decode()
    assert "已提交 → 审查中" in visible_text(html)


@time_machine.travel("2026-02-24 10:00 +0800", tick=True)
def test_an_approved_case_shows_and_links_the_licence_it_produced(
    client, maker, caseworker, officer
):
    case = case_in_status("approved", applicant_user=maker, caseworker=caseworker, officer=officer)
    licence = case.issued_licence
    client.force_login(caseworker)
    html = client.get(change_url(case)).content.decode()
    assert 'id="case-licence"' in html
    assert licence.number in html
    assert reverse("admin:licensing_licence_change", args=[licence.pk]) in html


def test_a_case_under_review_has_no_licence_panel(client, maker, caseworker, officer):
    case = case_in_status(
        "under_review", applicant_user=maker, caseworker=caseworker, officer=officer
    )
    client.force_login(caseworker)
    assert 'id="case-licence"' not in client.get(change_url(case)).content.decode()


def test_the_officer_who_recommended_is_not_offered_the_decide_button(
    client, maker, officer, officer2
):
    case = case_in_status("recommended", applicant_user=maker, caseworker=officer, officer=officer2)
    client.force_login(officer)
    html = client.get(change_url(case)).content.decode()
    assert 'id="case-action-decide"' not in html
    client.force_login(officer2)
    assert 'id="case-action-decide"' in client.get(change_url(case)).content.decode()


def test_a_refused_request_for_information_keeps_the_typed_question_and_names_the_due_date(
    client, maker, caseworker, officer
):
    case = case_in_status(
        "under_review", applicant_user=maker, caseworker=caseworker, officer=officer
    )
    client.force_login(caseworker)
    url = reverse("admin:licensing_case_transition", args=[case.pk, "request_info"])
    question = "Send the signed depot contract for Norway"
    client.post(url, {"version": case.version, "question": question, "due_on": "not a date"})
    html = client.get(change_url(case)).content.decode()
    assert question in html
    assert 'id="id_request_info_due_on_error"' in html
    assert "Due date" in html and "Due_on" not in html and "due_on:" not in html
    case.refresh_from_db()
    assert case.status == Case.Status.UNDER_REVIEW


def test_a_due_date_the_service_refuses_comes_back_on_the_field_with_the_question(
    client, maker, caseworker, officer
):
    case = case_in_status(
        "under_review", applicant_user=maker, caseworker=caseworker, officer=officer
    )
    client.force_login(caseworker)
    url = reverse("admin:licensing_case_transition", args=[case.pk, "request_info"])
    past = (timezone.localdate() - timedelta(days=3)).isoformat()
    client.post(url, {"version": case.version, "question": "Which depot?", "due_on": past})
    html = client.get(change_url(case)).content.decode()
    assert "Which depot?" in html
    assert 'id="id_request_info_due_on_error"' in html
    assert case.information_requests.count() == 0


def test_a_kept_draft_is_shown_once_then_forgotten(client, maker, caseworker, officer):
    case = case_in_status(
        "under_review", applicant_user=maker, caseworker=caseworker, officer=officer
    )
    client.force_login(caseworker)
    url = reverse("admin:licensing_case_transition", args=[case.pk, "request_info"])
    client.post(url, {"version": case.version, "question": "Once only", "due_on": ""})
    assert "Once only" in client.get(change_url(case)).content.decode()
    assert "Once only" not in client.get(change_url(case)).content.decode()


def _written_in_english(case: Case) -> list[str]:
    """What people typed for this case (names, terms, questions): English by nature."""
    return [
        case.applicant.name_en,
        case.brand.name,
        case.customs_port,
        case.payment_terms,
        *case.lines.values_list("vehicle_model__name", flat=True),
        *case.documents.values_list("original_name", flat=True),
        *case.information_requests.values_list("question", flat=True),
        *SparePartsCommitment.objects.filter(brand=case.brand).values_list("depot", flat=True),
    ]


def test_the_queue_and_the_case_page_read_in_chinese(
    client, maker, caseworker, officer, frozen_today
):
    # Screening stores its details in the language of the request that ran it: here a
    # Chinese-speaking applicant's.
    with translation.override("zh-hans"):
        case = case_in_status(
            "info_requested", applicant_user=maker, caseworker=caseworker, officer=officer
        )
    client.force_login(caseworker)
    data = [*_written_in_english(case), caseworker.username, maker.username]
    changelist = reverse("admin:licensing_case_changelist")
    sidebar = assert_reads_in_chinese(client, changelist + "?queue=mine", data=data)
    assert "模型名称" in sidebar
    assert_reads_in_chinese(client, changelist, data=data)
    page = assert_reads_in_chinese(client, change_url(case), data=data)
    assert "纯电动" in page
