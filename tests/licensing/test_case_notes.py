"""Internal notes and priorities: staff only, audited, never shown to the applicant."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from config.errors import ActionForbidden
from licensing.models import Case, CaseNote
from licensing.services.notes import case_note_add, case_priority_set
from licensing.timeline import case_timeline
from tests.licensing.factories import case_in_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(maker, caseworker, officer):  # type: ignore[no-untyped-def]
    return case_in_status(
        "under_review", applicant_user=maker, caseworker=caseworker, officer=officer
    )


def test_a_caseworker_adds_a_note_that_is_audited_without_the_enterprise(case, caseworker):
    note = case_note_add(actor=caseworker, case=case, text="  Called the depot in Oslo.  ")
    assert note.text == "Called the depot in Oslo."
    event = AuditEvent.objects.get(verb="licensing.case.note_added")
    assert event.enterprise_id is None and event.payload["note"] == note.pk


@pytest.mark.parametrize("who", ["auditor", "maker"])
def test_auditors_and_applicants_may_not_write_notes(request, case, who):
    with pytest.raises(ActionForbidden):
        case_note_add(actor=request.getfixturevalue(who), case=case, text="Hello")
    assert (
        not CaseNote.objects.exists()
        and not AuditEvent.objects.filter(verb="licensing.case.note_added").exists()
    )


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001])
def test_an_empty_or_overlong_note_is_refused(case, caseworker, text):
    with pytest.raises(ValidationError):
        case_note_add(actor=caseworker, case=case, text=text)
    assert not CaseNote.objects.exists()


def test_the_priority_changes_once_and_is_audited_before_and_after(case, officer):
    case_priority_set(actor=officer, case=case, priority="urgent")
    case_priority_set(actor=officer, case=case, priority="urgent")
    case.refresh_from_db()
    assert case.priority == Case.Priority.URGENT
    [event] = AuditEvent.objects.filter(verb="licensing.case.flagged")
    assert event.payload == {"old_priority": "normal", "new_priority": "urgent"}


def test_an_unknown_priority_is_refused(case, officer):
    with pytest.raises(ValidationError):
        case_priority_set(actor=officer, case=case, priority="whenever")
    case.refresh_from_db()
    assert case.priority == Case.Priority.NORMAL


def test_the_applicant_timeline_leaves_notes_and_priorities_out(case, caseworker):
    case_note_add(actor=caseworker, case=case, text="Internal only")
    case_priority_set(actor=caseworker, case=case, priority="high")
    with translation.override("en"):
        staff = [entry.sentence for entry in case_timeline(case, staff=True)]
        applicant = [entry.sentence for entry in case_timeline(case)]
    assert any("internal note" in s for s in staff) and any("priority" in s for s in staff)
    assert not any("note" in s or "priority" in s for s in applicant)


def test_the_case_page_adds_a_note_and_shows_it_with_a_sentence_in_the_timeline(
    client, case, caseworker
):
    client.force_login(caseworker)
    url = reverse("admin:licensing_case_note", args=[case.pk])
    client.post(url, {"text": "Asked customs about the port"})
    html = client.get(reverse("admin:licensing_case_change", args=[case.pk])).content.decode()
    assert "Asked customs about the port" in html.split('id="case-notes"')[1]
    assert f"{caseworker.get_username()} added an internal note" in html


def test_the_case_page_sets_the_priority_and_refuses_a_bad_one(client, case, caseworker):
    client.force_login(caseworker)
    url = reverse("admin:licensing_case_priority", args=[case.pk])
    client.post(url, {"priority": "high"})
    bad = client.post(url, {"priority": "<script>"}, follow=True)
    case.refresh_from_db()
    assert case.priority == Case.Priority.HIGH
    assert bad.status_code == 200 and "<script>" not in bad.content.decode().split("<body")[1]


def test_an_auditor_sees_notes_but_no_forms_and_cannot_post(client, case, caseworker, auditor):
    case_note_add(actor=caseworker, case=case, text="Seen by auditors")
    client.force_login(auditor)
    html = client.get(reverse("admin:licensing_case_change", args=[case.pk])).content.decode()
    assert "Seen by auditors" in html and 'id="case-note-form"' not in html
    client.post(reverse("admin:licensing_case_note", args=[case.pk]), {"text": "Mine"})
    assert CaseNote.objects.count() == 1


def test_notes_of_a_case_are_not_posted_through_get(client, case, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("admin:licensing_case_note", args=[case.pk])).status_code == 405
