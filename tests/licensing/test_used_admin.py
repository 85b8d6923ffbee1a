"""The case queue and case page for used-vehicle cases: a kind filter, the schedule table."""

from datetime import timedelta

import pytest
from django.urls import reverse

from licensing.models import Case
from licensing.services import workflow
from tests.licensing.factories import case_in_status
from tests.licensing.test_admin_case_page import SNAKE_CASE, visible_text
from tests.licensing.used_factories import letter_for, used_case, used_world
from tests.pagecheck import problems_in
from tests.pagecheck import visible_text as chinese_text

pytestmark = pytest.mark.django_db


def _reviewed_case(world, today, caseworker):  # type: ignore[no-untyped-def]
    """Three vehicles: one old, one recent with its letter, one recent without."""
    case = used_case(world, today, rows=3)
    old, with_letter, without = case.vehicles.all()
    for row in (with_letter, without):
        row.first_registered_on = today - timedelta(days=20)
        row.save()
    letter = letter_for(world, with_letter)
    workflow.case_submit(actor=world.exporter_user, case=case)
    workflow.case_assign(actor=caseworker, case=Case.objects.get(pk=case.pk))
    return Case.objects.get(pk=case.pk), (old, with_letter, without), letter


def test_the_queue_filters_used_cases_by_kind(client, frozen_today, caseworker, maker, officer):
    world = used_world()
    used = used_case(world, frozen_today)
    new = case_in_status("draft", applicant_user=maker, caseworker=caseworker, officer=officer)
    client.force_login(caseworker)
    page = client.get(reverse("admin:licensing_case_changelist"), {"kind__exact": "used_licence"})
    text = visible_text(page.content.decode())
    assert used.reference in text and new.reference not in text
    assert "Used-vehicle export licence" in text


def test_the_case_page_shows_each_vehicle_with_its_age_and_letter(client, frozen_today, caseworker):
    world = used_world()
    case, (old, with_letter, without), letter = _reviewed_case(world, frozen_today, caseworker)
    client.force_login(caseworker)
    html = client.get(reverse("admin:licensing_case_change", args=[case.pk])).content.decode()
    text = visible_text(html)
    assert "Schedule of used vehicles" in text
    assert "Not needed (registered earlier)" in text and "365" in text
    assert f"Letter {letter.number} in force" in text
    assert f"{without.vin}: letter missing" in text
    assert SNAKE_CASE.findall(text) == []
    assert 'id="case-lines"' not in html


def test_the_letter_check_offers_no_override_form(client, frozen_today, caseworker):
    world = used_world()
    case, _rows, _letter = _reviewed_case(world, frozen_today, caseworker)
    assert not case.eligibility_checks.get(code="confirmation_letters").passed
    client.force_login(caseworker)
    html = client.get(reverse("admin:licensing_case_change", args=[case.pk])).content.decode()
    assert 'id="case-override-confirmation_letters"' not in html


def test_the_schedule_panel_reads_in_chinese(client, frozen_today, caseworker):
    world = used_world()
    case, _rows, _letter = _reviewed_case(world, frozen_today, caseworker)
    client.force_login(caseworker)
    url = reverse("admin:licensing_case_change", args=[case.pk])
    html = client.get(url, headers={"accept-language": "zh-hans"}).content.decode()
    assert '<html lang="zh-hans"' in html
    # Only the panel: Django's own admin chrome carries English screen-reader captions.
    panel = html.split('id="case-schedule"', 1)[1].split("</table>", 1)[0]
    text = chinese_text(f"<div {panel}</table>")
    assert "二手车附表" in html and "缺少确认书" in text and "无需确认书" in text
    names = [world.brand.name, world.model.name, str(world.maker)]
    assert problems_in(text, names) == []
