"""A manufacturer's after-sales service confirmation letter (售后维修服务确认书) as a PDF.

It lives beside the licence certificate, whose font, QR code and cell layout it shares.
Every label is printed in Chinese, then English; the QR code points to the public check.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from aftersales.models import ConfirmationLetter
from config.public import public_url
from licensing.certificate_text import Text
from licensing.services.certificate import (
    BOXES,
    FONT,
    LABEL,
    PAGE_WIDTH,
    QR_SIZE,
    TITLE,
    VALUE,
    _escape,
    _qr,
    a4_pdf,
)

STATEMENT = (
    "本企业确认：上述车辆由本企业生产，其在目的国的售后维修服务由下列网点提供。<br/>"
    "We confirm that we built the vehicle above and that the outlet named below provides "
    "its after-sales service in the destination country."
)
STATUS_IN_FORCE = "有效 In force"
STATUS_REVOKED = "已撤销 Revoked"


@dataclass(frozen=True)
class LetterPrint:
    """Everything printed on a confirmation letter, independent of the models."""

    number: str
    issuer_zh: str
    issuer_en: str
    miit_number: str
    vin: str
    brand: str
    model: str
    destination: str
    outlet: str
    issued_on: date
    status: str
    verify_url: str


def letter_print(letter: ConfirmationLetter, *, verify_url: str) -> LetterPrint:
    """Collect what a letter prints."""
    maker, outlet, brand = letter.manufacturer, letter.outlet, letter.vehicle_model.brand
    status = STATUS_IN_FORCE
    if letter.revoked_at is not None:
        status = f"{STATUS_REVOKED} {timezone.localdate(letter.revoked_at):%Y-%m-%d}"
    return LetterPrint(
        number=letter.number,
        issuer_zh=maker.name_zh,
        issuer_en=maker.name_en,
        miit_number=maker.miit_catalogue_number,
        vin=letter.vin,
        brand=" ".join(n for n in (brand.name_zh, brand.name) if n),
        model=letter.vehicle_model.name,
        destination=f"{letter.country_id} {letter.country.name}",
        outlet="<br/>".join(
            _escape(part)
            for part in (outlet.operator_name, outlet.address, outlet.city, outlet.phone)
            if part
        ),
        issued_on=timezone.localdate(letter.issued_at),
        status=status,
        verify_url=verify_url,
    )


def confirmation_letter_pdf(letter: ConfirmationLetter) -> bytes:
    """Render a letter to PDF bytes, pointing at its public check."""
    verify_url = public_url("letter-verify", letter.number)
    return letter_pdf(letter_print(letter, verify_url=verify_url))


def letter_pdf(data: LetterPrint) -> bytes:
    """Lay out one letter: heading, the fields, the footer with its QR code."""
    story = [_heading(data), Spacer(1, 4 * mm), _fields(data), Spacer(1, 4 * mm), _footer(data)]
    return a4_pdf(
        story, title=f"After-sales service confirmation letter {data.number}", author=data.issuer_en
    )


def _heading(data: LetterPrint) -> Table:
    title = Text("售后维修服务确认书<br/>After-sales service confirmation letter", TITLE)
    table = Table([[title, _qr(data.verify_url)]], colWidths=[PAGE_WIDTH - QR_SIZE, QR_SIZE])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("FONTNAME", (0, 0), (-1, -1), FONT)])
    )
    return table


def _row(label_zh: str, label_en: str, value: str) -> list[Text]:
    # Values are escaped by the caller where they may hold our own <br/>.
    return [Text(f"{label_zh}<br/>{label_en}", LABEL), Text(value or "—", VALUE)]


def _fields(data: LetterPrint) -> Table:
    rows = [
        _row("确认书编号", "Letter No.", _escape(data.number)),
        _row("出具企业", "Issued by", f"{_escape(data.issuer_zh)}<br/>{_escape(data.issuer_en)}"),
        _row("工信部目录编号", "MIIT catalogue No.", _escape(data.miit_number)),
        _row("车辆识别代号", "VIN", _escape(data.vin)),
        _row("品牌", "Brand", _escape(data.brand)),
        _row("车型", "Model", _escape(data.model)),
        _row("目的国", "Destination", _escape(data.destination)),
        _row("售后服务网点", "Service outlet", data.outlet),
        _row("出具日期", "Date of issue", f"{data.issued_on:%Y-%m-%d}"),
        _row("状态", "Status", _escape(data.status)),
    ]
    table = Table(rows, colWidths=[PAGE_WIDTH * 0.3, PAGE_WIDTH * 0.7])
    table.setStyle(BOXES)
    return table


def _footer(data: LetterPrint) -> Table:
    verify = f"验证 Verify: {_escape(data.verify_url)}"
    table = Table([[Text(STATEMENT, VALUE)], [Text(verify, VALUE)]], colWidths=[PAGE_WIDTH])
    table.setStyle(BOXES)
    return table
