"""The SLA badge: green on time, amber within a working day, red overdue, grey paused."""

import pytest
from django.urls import reverse
from django.utils import translation

from licensing.admin.case_page import sla_badge_html
from licensing.services.sla import Sla
from tests.licensing.factories import case_in_status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("clock", "css", "text"),
    [
        (Sla(limit=3, days_left=3), "sla-on_time", "3 working days left"),
        (Sla(limit=3, days_left=2), "sla-on_time", "2 working days left"),
        (Sla(limit=3, days_left=1), "sla-due_soon", "Due within a working day"),
        (Sla(limit=3, days_left=0), "sla-due_soon", "Due today"),
        (Sla(limit=3, days_left=-1), "sla-overdue", "Overdue by 1 working day"),
        (Sla(limit=20, days_left=-4), "sla-overdue", "Overdue by 4 working days"),
        (Sla(limit=3, days_left=2, paused=True), "sla-paused", "Paused: awaiting the applicant"),
    ],
)
def test_each_clock_gets_its_colour_and_words(clock, css, text):
    with translation.override("en"):
        html = sla_badge_html(clock)
    assert css in html and text in html


@pytest.mark.parametrize("clock", [None, Sla(limit=3), Sla(limit=3, days_left=1, stopped=True)])
def test_a_clock_that_is_not_running_shows_a_dash(clock):
    assert sla_badge_html(clock).strip() == "—"


def test_the_badge_reads_in_chinese():
    with translation.override("zh-hans"):
        assert "已超期 1 个工作日" in sla_badge_html(Sla(limit=3, days_left=-1))


def test_the_queue_and_the_case_page_show_the_badge(client, maker, caseworker, officer):
    case = case_in_status(
        "under_review", applicant_user=maker, caseworker=caseworker, officer=officer
    )
    client.force_login(caseworker)
    queue = client.get(reverse("admin:licensing_case_changelist")).content.decode()
    assert 'class="sla-badge sla-' in queue
    page = client.get(reverse("admin:licensing_case_change", args=[case.pk])).content.decode()
    assert 'class="sla-badge sla-' in page.split('id="case-sla"')[1]
