"""The confirmation letter as a PDF: bilingual fields, the outlet, and a QR code to its check."""

import io

import pypdfium2
import pytest
import time_machine
import zxingcpp
from pypdf import PdfReader

from aftersales.services import letter_revoke
from licensing.services.confirmation_letter import confirmation_letter_pdf
from tests.aftersales.letter_factories import letter_world

pytestmark = pytest.mark.django_db
PUBLIC = "https://verify.example.test"


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return letter_world()


@pytest.fixture
def letter(world):  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-03-02 10:00:00+08:00", tick=False):
        return world.issue(request=world.request())


def test_the_letter_prints_both_languages_issuer_vehicle_and_outlet(letter, world) -> None:  # type: ignore[no-untyped-def]
    text = pdf_text(confirmation_letter_pdf(letter))
    for expected in (
        "售后维修服务确认书",
        "After-sales service confirmation letter",
        "确认书编号",
        letter.number,
        "翡翠河汽车有限公司",
        "Jade River Motors",
        "MIIT-TEST",
        letter.vin,
        "Jade",
        "Sky EV",
        "FR France",
        "Garage Lumière",
        world.outlet.address,
        "Lyon",
        "+33 4 72 00 00 00",
        "2026-03-02",
        "有效 In force",
    ):
        assert expected in text, expected
    assert "Harbour Used Cars" not in text


def test_a_revoked_letter_prints_revoked_with_the_date(letter, world) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-04-10 10:00:00+08:00", tick=False):
        letter_revoke(actor=world.maker_user, letter=letter, reason="Outlet closed")
    letter.refresh_from_db()
    text = pdf_text(confirmation_letter_pdf(letter))
    assert "已撤销 Revoked 2026-04-10" in text and "In force" not in text


def test_the_qr_code_and_printed_address_use_the_public_base_url(letter, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PUBLIC_BASE_URL = PUBLIC
    pdf = confirmation_letter_pdf(letter)
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=3).to_pil()
    expected = f"{PUBLIC}/verify/letter/{letter.number}/"
    assert [result.text for result in zxingcpp.read_barcodes(image)] == [expected]
    assert expected in pdf_text(pdf).replace("\n", "")


def test_the_download_is_for_those_who_may_see_the_letter(api_as, letter, world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PUBLIC_BASE_URL = PUBLIC
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example.test"]
    url = f"/api/v1/confirmation-letters/{letter.pk}/letter.pdf"
    for user in (world.maker_user, world.exporter_user):
        response = api_as(user).get(url, HTTP_HOST="evil.example.test")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert letter.number in response["Content-Disposition"]
        assert "evil.example.test" not in pdf_text(response.content)
    assert api_as(world.rival_user).get(url).status_code == 404
    assert (
        api_as(world.rival_user).get("/api/v1/confirmation-letters/999999/letter.pdf").status_code
        == 404
    )


def test_the_download_needs_a_login(client, letter) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/confirmation-letters/{letter.pk}/letter.pdf")
    assert response.status_code in (401, 403)
