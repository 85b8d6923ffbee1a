"""The certificate font's subsets are reused across documents without mixing their texts up."""

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pypdfium2
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from licensing.certificate_font import EMBEDDED_FONT
from licensing.services.certificate import CertificateData, CertificateLine, certificate_pdf

HOLDERS = [
    ("龙湾新能源汽车有限公司", "Longwan NEV", "34 安徽省商务厅"),
    ("雪峰电动车辆股份公司", "Xuefeng EV", "43 湖南省商务厅"),
    ("碧海汽车制造厂", "Bihai Motor Works", "46 海南省商务厅"),
    ("锦绣山河汽车集团", "Jinxiu Auto Group", "52 贵州省商务厅"),
]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def certificate(name_zh: str, name_en: str, office: str) -> CertificateData:
    line = CertificateLine(
        goods_name="纯电动乘用车 Battery-electric passenger car",
        hs_code="8703801090",
        specification=f"{name_en} S1",
        unit="辆 vehicle",
        quantity=12,
        unit_price_usd=Decimal("21000.00"),
    )
    return CertificateData(
        number="26-34-000001",
        exporter_name_zh=name_zh,
        exporter_name_en=name_en,
        exporter_uscc="91340000000000001X",
        valid_from=date(2026, 3, 4),
        valid_until=date(2026, 12, 31),
        trade_mode="一般贸易 General trade",
        contract_number="CT-1",
        customs_port="Shanghai",
        destination="NZ New Zealand",
        payment_terms="T/T",
        transport_mode="水路运输 Sea",
        multi_use=True,
        issuing_office=office,
        issued_on=date(2026, 3, 4),
        verify_url="https://licences.example/verify/26-34-000001/",
        lines=[line],
    )


def assert_prints_its_own_holder_only(pdf: bytes, holder: tuple[str, str, str]) -> None:
    text = pdf_text(pdf)
    for other in HOLDERS:
        printed = [part in text for part in other]
        assert printed == [other == holder] * 3, (other, text)


def font_files():  # type: ignore[no-untyped-def]
    return pdfmetrics.getFont(EMBEDDED_FONT).face.font_file


def page_image(pdf: bytes) -> bytes:
    """The first page as pixels: shows whether the embedded glyphs are the right ones."""
    return pypdfium2.PdfDocument(pdf)[0].render(scale=1).to_pil().tobytes()


def test_certificates_with_different_texts_one_after_the_other_each_print_their_own():
    first, second = HOLDERS[0], HOLDERS[1]
    font_files().cache_clear()
    pdf_first = certificate_pdf(certificate(*first))
    pdf_second = certificate_pdf(certificate(*second))
    pdf_first_again = certificate_pdf(certificate(*first))
    assert font_files().cache_info().hits > 0  # the first one's font file, reused
    font_files().cache_clear()
    second_alone = certificate_pdf(certificate(*second))

    assert_prints_its_own_holder_only(pdf_first, first)
    assert_prints_its_own_holder_only(pdf_second, second)
    assert pdf_text(pdf_first_again) == pdf_text(pdf_first)
    assert page_image(pdf_first_again) == page_image(pdf_first)
    assert page_image(pdf_second) == page_image(second_alone)


def test_certificates_rendered_at_once_in_threads_each_print_their_own():
    alone = {holder: page_image(certificate_pdf(certificate(*holder))) for holder in HOLDERS}
    font_files().cache_clear()
    jobs = [HOLDERS[i % len(HOLDERS)] for i in range(12)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        pdfs = list(pool.map(lambda holder: certificate_pdf(certificate(*holder)), jobs))
    for holder, pdf in zip(jobs, pdfs, strict=True):
        assert_prints_its_own_holder_only(pdf, holder)
        assert page_image(pdf) == alone[holder]
