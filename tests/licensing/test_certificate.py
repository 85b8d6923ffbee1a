"""The certificate PDF: bilingual fields of a PRC export licence and a QR code."""

import io
from datetime import date

import pypdfium2
import pytest
import time_machine
import zxingcpp
from pypdf import PdfReader

from licensing.models import Case, Licence
from licensing.services.certificate import licence_certificate_pdf
from tests.licensing.licence_factories import issue_licence

TODAY = date(2026, 3, 4)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def licence(db) -> Licence:
    with time_machine.travel(TODAY, tick=False):
        return issue_licence(quantities=(120,), use_mode=Case.UseMode.MULTI, valid_from=TODAY)


def test_the_certificate_prints_chinese_and_english_labels_and_the_licence_fields(licence):
    text = pdf_text(licence_certificate_pdf(licence))
    for expected in (
        "中华人民共和国出口许可证",
        "EXPORT LICENCE OF THE PEOPLE'S REPUBLIC OF CHINA",
        "出口商",
        "Exporter",
        "出口许可证号",
        licence.number,
        "出口许可证有效截止日期",
        "2026-09-03",
        "贸易方式",
        "一般贸易 General trade",
        "合同号",
        licence.contract_number,
        "报关口岸",
        licence.customs_port,
        "进口国",
        "FR",
        "付款方式",
        "运输方式",
        "商品编码",
        "8703801090",
        "规格、型号",
        "数量",
        "120",
        "单价",
        "25,000.00",
        "3,000,000.00",
        "总值折美元",
        "备注",
        "非一批一证",
        "发证机关",
        "发证日期",
        "2026-03-04",
        licence.holder.name_zh,
        licence.holder.uscc,
        f"http://127.0.0.1:8000/verify/{licence.number}/",
    ):
        assert expected in text, expected


def test_a_single_use_certificate_says_one_batch_one_licence(db):
    with time_machine.travel(TODAY, tick=False):
        licence = issue_licence(use_mode=Case.UseMode.SINGLE, valid_from=TODAY)
    text = pdf_text(licence_certificate_pdf(licence))
    assert "一批一证" in text and "非一批一证" not in text


def test_the_certificate_endpoint_serves_a_pdf_pointing_at_the_verify_page(licence, api_as):
    from tests.registry.factories import MembershipFactory

    member = MembershipFactory(enterprise=licence.holder).user
    response = api_as(member).get(f"/api/v1/licences/{licence.pk}/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert f"/verify/{licence.number}/" in text
    assert licence.number in text


def test_the_certificate_endpoint_accepts_a_pdf_only_client(licence, officer, api_as):
    response = api_as(officer).get(
        f"/api/v1/licences/{licence.pk}/certificate.pdf", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


PUBLIC = "https://licences.mofcom.example"


@pytest.fixture
def proxied(settings):  # type: ignore[no-untyped-def]
    """Accept an internal host name, as a misconfigured proxy would pass it on."""
    settings.ALLOWED_HOSTS = ["internal.proxy.local", "testserver"]
    settings.PUBLIC_BASE_URL = PUBLIC
    return {"HTTP_HOST": "internal.proxy.local"}


def _assert_prints_only_the_public_address(response, licence) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert f"{PUBLIC}/verify/{licence.number}/" in text
    assert "internal.proxy.local" not in text


def test_the_api_certificate_prints_the_public_address_not_the_request_host(
    licence, maker_of_licence, api_as, proxied
):
    url = f"/api/v1/licences/{licence.pk}/certificate.pdf"
    response = api_as(maker_of_licence).get(url, **proxied)
    _assert_prints_only_the_public_address(response, licence)


def test_the_portal_certificate_prints_the_public_address_not_the_request_host(
    licence, maker_of_licence, client, proxied
):
    client.force_login(maker_of_licence)
    response = client.get(f"/portal/licences/{licence.pk}/certificate.pdf", **proxied)
    _assert_prints_only_the_public_address(response, licence)


def test_the_admin_certificate_prints_the_public_address_not_the_request_host(
    licence, auditor, client, proxied
):
    client.force_login(auditor)
    url = f"/admin/licensing/licence/{licence.pk}/certificate.pdf"
    response = client.get(url, **proxied)
    _assert_prints_only_the_public_address(response, licence)


@pytest.fixture
def maker_of_licence(licence):  # type: ignore[no-untyped-def]
    from tests.registry.factories import MembershipFactory

    return MembershipFactory(enterprise=licence.holder, role="admin").user


def test_notices_to_the_holder_link_to_the_public_address(licence, maker_of_licence, settings):
    from licensing.services.licences import notify_holder
    from notifications.models import Notification

    settings.PUBLIC_BASE_URL = PUBLIC
    notify_holder(licence, "licence_suspended", lambda: "Licence suspended")
    body = Notification.objects.get(recipient=maker_of_licence).body
    assert f"{PUBLIC}/verify/{licence.number}/" in body


def embedded_fonts(pdf: bytes) -> dict[str, bool]:
    """Map each font the pages use to whether its glyphs are embedded in the file."""
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = [f.get_object() for f in font.get("/DescendantFonts", [])]
            descriptor = next(
                (f["/FontDescriptor"] for f in [font, *descendants] if "/FontDescriptor" in f), {}
            )
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"])] = embedded
    return fonts


def test_every_font_of_the_certificate_is_embedded(licence):
    fonts = embedded_fonts(licence_certificate_pdf(licence))
    assert fonts and all(fonts.values()), fonts
    assert not any("STSong" in name for name in fonts)


def test_no_word_is_broken_across_lines_in_a_cell(licence):
    text = pdf_text(licence_certificate_pdf(licence))
    assert "vehicle" in text and "vehicl\n" not in text
    assert "Battery-electric passenger car" in text.replace("\n", " ")


def test_the_qr_code_decodes_to_the_public_verify_address(licence, settings):
    settings.PUBLIC_BASE_URL = PUBLIC
    document = pypdfium2.PdfDocument(licence_certificate_pdf(licence))
    image = document[0].render(scale=3).to_pil()
    decoded = [result.text for result in zxingcpp.read_barcodes(image)]
    assert decoded == [f"{PUBLIC}/verify/{licence.number}/"]


def test_a_missing_certificate_font_is_a_system_check_warning(settings, tmp_path):
    from licensing.certificate_font import certificate_font_check

    settings.CERTIFICATE_FONT_PATH = str(tmp_path / "absent.ttc")
    [warning] = certificate_font_check(None)
    assert warning.id == "licensing.W001" and "fonts-wqy-microhei" in warning.msg


def test_the_qr_code_is_filled_as_one_path_not_a_shape_per_module(licence):
    page = PdfReader(io.BytesIO(licence_certificate_pdf(licence))).pages[0]
    operators = [op for _operands, op in page.get_contents().operations]
    assert operators.count(b"re") > 100  # the QR code's dark runs
    assert operators.count(b"f") + operators.count(b"f*") == 1
