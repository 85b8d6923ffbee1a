"""Breach evidence files: checked by their bytes like case documents, stored, offered to staff."""

from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aftersales.models import Breach, BreachEvidence
from aftersales.services.breach_evidence import breach_evidence_add, breach_evidence_open
from audit.models import AuditEvent
from config.errors import ActionForbidden, StorageFull, TransitionNotAllowed
from tests.aftersales.factories import BreachFactory
from tests.licensing.factories import PDF_BYTES, PNG_BYTES
from tests.pagecheck import problems_in, visible_text
from tests.registry.factories import MembershipFactory

pytestmark = pytest.mark.django_db
ADDED = "aftersales.breach.evidence_added"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def breach():  # type: ignore[no-untyped-def]
    return BreachFactory()


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def upload(content: bytes = PDF_BYTES, name: str = "photos.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_caseworker_attaches_a_pdf_which_is_stored_checked_and_audited(caseworker, breach, media):
    evidence = breach_evidence_add(
        actor=caseworker, breach=breach, upload=upload(), description="Workshop closed, photo"
    )
    assert (evidence.content_type, evidence.size) == ("application/pdf", len(PDF_BYTES))
    assert evidence.file.name.startswith(f"breaches/{breach.pk}/")
    assert evidence.file.open("rb").read() == PDF_BYTES
    event = AuditEvent.objects.get(verb=ADDED)
    assert (event.target_id, event.payload["sha256"]) == (str(breach.pk), evidence.sha256)
    assert len(stored_files(media)) == 1


def test_the_name_a_client_sends_is_cleaned_and_the_extension_follows_the_bytes(caseworker, breach):
    evidence = breach_evidence_add(
        actor=caseworker,
        breach=breach,
        upload=upload(PNG_BYTES, "../../etc/wait\u202etimes.pdf"),
        description="Screenshot of the booking system",
    )
    assert evidence.content_type == "image/png"
    assert evidence.download_name == "waittimes.png"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 not a pdf at all", "Only PDF, JPEG and PNG files are accepted."),
        (b"%PDF-1.4 cut off before the end", "The PDF file is damaged or incomplete."),
        (b"", "The file is empty."),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_saved(
    caseworker, breach, media, content, message
):
    with pytest.raises(ValidationError) as refused:
        breach_evidence_add(
            actor=caseworker, breach=breach, upload=upload(content), description="Invoice"
        )
    assert refused.value.message_dict == {"file": [message]}
    assert not BreachEvidence.objects.exists()
    assert not AuditEvent.objects.filter(verb=ADDED).exists()
    assert stored_files(media) == []


def test_an_oversize_file_is_refused_and_nothing_is_saved(caseworker, breach, media, settings):
    settings.DOCUMENT_MAX_BYTES = len(PDF_BYTES) - 1
    with pytest.raises(ValidationError) as refused:
        breach_evidence_add(actor=caseworker, breach=breach, upload=upload(), description="x")
    assert "larger than" in refused.value.message_dict["file"][0]
    assert not BreachEvidence.objects.exists()
    assert stored_files(media) == []


def test_every_field_is_reported_at_once(caseworker, breach):
    with pytest.raises(ValidationError) as refused:
        breach_evidence_add(
            actor=caseworker, breach=breach, upload=upload(b"GIF89a"), description=" "
        )
    assert set(refused.value.message_dict) == {"file", "description"}


def test_a_full_disk_leaves_no_row_and_no_part_file(caseworker, breach, media):
    with (
        mock.patch(
            "django.core.files.storage.FileSystemStorage._save", side_effect=OSError(28, "full")
        ),
        pytest.raises(StorageFull),
    ):
        breach_evidence_add(actor=caseworker, breach=breach, upload=upload(), description="x")
    assert not BreachEvidence.objects.exists()
    assert stored_files(media) == []


def test_only_investigators_attach_and_never_to_a_decided_breach(registrar, caseworker, breach):
    with pytest.raises(ActionForbidden):
        breach_evidence_add(actor=registrar, breach=breach, upload=upload(), description="x")
    decided = BreachFactory(status=Breach.Status.DECIDED)
    with pytest.raises(TransitionNotAllowed):
        breach_evidence_add(actor=caseworker, breach=decided, upload=upload(), description="x")
    assert not BreachEvidence.objects.exists()


def test_a_portal_member_cannot_open_evidence_even_through_the_service(caseworker, breach):
    evidence = breach_evidence_add(
        actor=caseworker, breach=breach, upload=upload(), description="x"
    )
    member = MembershipFactory(enterprise=breach.enterprise, role="admin").user
    with pytest.raises(ActionForbidden):
        breach_evidence_open(actor=member, evidence=evidence)


# --- the admin -------------------------------------------------------------------------------


def add_url(breach: Breach) -> str:
    return reverse("admin:aftersales_breach_evidence_add", args=[breach.pk])


def test_the_caseworker_attaches_a_file_from_the_breach_page(client, caseworker, breach):
    client.force_login(caseworker)
    page = client.get(reverse("admin:aftersales_breach_change", args=[breach.pk]))
    assert add_url(breach) in page.content.decode()
    response = client.post(
        add_url(breach), {"description": "Owner's complaint letter", "file": upload()}
    )
    assert response.status_code == 302
    evidence = BreachEvidence.objects.get()
    assert (evidence.breach, evidence.uploaded_by) == (breach, caseworker)
    page = client.get(reverse("admin:aftersales_breach_change", args=[breach.pk]))
    assert reverse("admin:aftersales_breach_evidence", args=[breach.pk, evidence.pk]) in (
        page.content.decode()
    )


def test_a_bad_file_comes_back_with_the_error_under_the_field_and_nothing_saved(
    client, caseworker, breach, media
):
    client.force_login(caseworker)
    response = client.post(
        add_url(breach),
        {"description": "Invoice", "file": upload(b"<html>not a pdf</html>", "invoice.pdf")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["Only PDF, JPEG and PNG files are accepted."]
    }
    assert not BreachEvidence.objects.exists()
    assert stored_files(media) == []


def test_staff_who_see_the_breach_download_the_file_under_its_clean_name_and_it_is_audited(
    client, caseworker, officer, registrar, auditor, breach
):
    evidence = breach_evidence_add(
        actor=caseworker, breach=breach, upload=upload(name="a\x00b.pdf"), description="x"
    )
    url = reverse("admin:aftersales_breach_evidence", args=[breach.pk, evidence.pk])
    for reader in (officer, registrar, auditor):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Disposition"] == 'attachment; filename="ab.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
    readers = AuditEvent.objects.filter(verb="aftersales.breach.evidence_downloaded")
    assert {e.actor_id for e in readers} == {officer.pk, registrar.pk, auditor.pk}


def test_evidence_is_found_only_under_its_own_breach_and_never_by_portal_users(
    client, caseworker, breach
):
    evidence = breach_evidence_add(
        actor=caseworker, breach=breach, upload=upload(), description="x"
    )
    other = BreachFactory()
    client.force_login(caseworker)
    crossed = reverse("admin:aftersales_breach_evidence", args=[other.pk, evidence.pk])
    assert client.get(crossed).status_code == 404
    member = MembershipFactory(enterprise=breach.enterprise, role="admin").user
    client.force_login(member)
    own = reverse("admin:aftersales_breach_evidence", args=[breach.pk, evidence.pk])
    assert client.get(own).status_code in (302, 403)
    assert not AuditEvent.objects.filter(verb="aftersales.breach.evidence_downloaded").exists()


def test_registrars_and_auditors_may_read_but_not_attach(client, registrar, auditor, breach):
    for reader in (registrar, auditor):
        client.force_login(reader)
        assert client.get(add_url(breach)).status_code == 403
        response = client.post(add_url(breach), {"description": "x", "file": upload()})
        assert response.status_code == 403
    assert not BreachEvidence.objects.exists()


def admin_page_in_chinese(client, url: str, data: list[str]) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url, headers={"accept-language": "zh-hans"})
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in response.content.decode()
    text = visible_text(response.content.decode())
    # Django's own sidebar table caption, hidden from view and untranslated by Django.
    assert problems_in(text, [*data, "Model name"]) == [], text
    return text


def test_the_evidence_pages_read_in_chinese(client, caseworker, breach):
    breach_evidence_add(
        actor=caseworker, breach=breach, upload=upload(name="photo.pdf"), description="Closed"
    )
    client.force_login(caseworker)
    data = [str(breach), breach.finding, "photo.pdf", "Closed", caseworker.username]
    text = admin_page_in_chinese(client, add_url(breach), data)
    assert "附加证据文件" in text
    change = reverse("admin:aftersales_breach_change", args=[breach.pk])
    assert "证据文件" in admin_page_in_chinese(client, change, data)
