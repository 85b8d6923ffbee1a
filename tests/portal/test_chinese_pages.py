"""The application and case pages read wholly in Chinese (the shared page check)."""

import pytest
from django.utils import translation

from licensing.models import Case
from tests.licensing.factories import case_in_status, draft_case
from tests.pagecheck import assert_reads_in_chinese, problems_in, visible_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def case_data(case: Case) -> list[str]:
    """What is English because a person typed or named it so."""
    people = [case.applicant.name_en, case.brand.name if case.brand else ""]
    typed = [case.customs_port, case.payment_terms, case.contract_number]
    models = [str(line.vehicle_model) for line in case.lines.all()]
    files = [document.original_name for document in case.documents.all()]
    staff = ["Send the warranty terms", "Agreed", "Not convinced", "Complete and eligible"]
    parts = ["Rotterdam regional parts centre"]
    return [*people, *typed, *models, *files, *staff, *parts]


@pytest.mark.parametrize("kind", ["licence", "exchange", "qualification"])
def test_the_application_forms_read_in_chinese(client, maker, kind):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    text = assert_reads_in_chinese(client, f"/portal/apply/{kind}/")
    assert "保存草稿" in text


def test_a_refused_application_form_reads_in_chinese(client, maker):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    body = {
        "valid_from": "2026-03-01",
        "valid_until": "2026-12-31",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "brand": "999999",
    }
    response = client.post("/portal/apply/licence/", body, headers={"accept-language": "zh-hans"})
    text = visible_text(response.content.decode())
    assert response.status_code == 400
    assert "请选择贵企业可以出口的品牌。" in text
    assert problems_in(text) == []


@pytest.mark.parametrize("state", ["draft", "info_requested", "approved", "refused", "withdrawn"])
def test_the_case_page_reads_in_chinese_in_every_state(client, maker, caseworker, officer, state):  # type: ignore[no-untyped-def]
    with translation.override("en"):  # screened while people read English
        case = draft_case(maker, eligible=state != "draft")
        case = case_in_status(
            state, applicant_user=maker, caseworker=caseworker, officer=officer, case=case
        )
    client.force_login(maker)
    data = [*case_data(case), maker.username]
    text = assert_reads_in_chinese(client, f"/portal/cases/{case.pk}/", data=data)
    assert "办理记录" in text
