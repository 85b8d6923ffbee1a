"""The application and case pages in Chinese: no English catalogue text reaches them."""

import re
from html import unescape
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags

from tests.licensing.factories import case_in_status, draft_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
CHINESE = {"accept-language": "zh-hans"}


def english_msgids() -> list[str]:
    """Catalogue texts long enough that finding one on a page means it was not translated."""
    path = Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.po"
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale="zh_Hans")
    ids = [m.id for m in catalog if isinstance(m.id, str) and m.id]
    return [i for i in ids if " " in i and "%" not in i and len(i) >= 12]


def untranslated(html: str) -> list[str]:
    text = re.sub(r"\s+", " ", unescape(strip_tags(html)))
    return [msgid for msgid in english_msgids() if msgid in text]


@pytest.mark.parametrize("kind", ["licence", "exchange", "qualification"])
def test_the_application_forms_are_wholly_chinese(client, maker, kind):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = client.get(f"/portal/apply/{kind}/", headers=CHINESE)
    assert "保存草稿" in response.content.decode()
    assert untranslated(response.content.decode()) == []


def test_a_failed_application_form_is_wholly_chinese(client, maker):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = client.post(
        "/portal/apply/licence/",
        {
            "valid_from": "2026-03-01",
            "valid_until": "2026-12-31",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "brand": "999999",
        },
        headers=CHINESE,
    )
    assert response.status_code == 400
    assert "请选择贵企业可以出口的品牌。" in response.content.decode()
    assert untranslated(response.content.decode()) == []


@pytest.mark.parametrize("state", ["draft", "info_requested", "approved", "refused", "withdrawn"])
def test_the_case_page_is_wholly_chinese_in_every_state(client, maker, caseworker, officer, state):  # type: ignore[no-untyped-def]
    with translation.override("en"):  # screened while people read English
        case = draft_case(maker, eligible=state != "draft")
        case = case_in_status(
            state, applicant_user=maker, caseworker=caseworker, officer=officer, case=case
        )
    client.force_login(maker)
    page = client.get(f"/portal/cases/{case.pk}/", headers=CHINESE).content.decode()
    assert "办理记录" in page
    assert untranslated(page) == []
