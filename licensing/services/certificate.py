"""The licence certificate: a bilingual PDF laid out like a PRC export licence.

Rendered with ReportLab in a CJK TrueType font whose used glyphs are embedded (a subset), so
the document looks the same on any viewer. The QR code points to the public verification page.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle

from config.public import public_url
from licensing.certificate_font import certificate_font
from licensing.certificate_qr import QrFlowable
from licensing.certificate_text import Text
from licensing.services.used_licences import licence_schedule

MULTI_USE_REMARK = "非一批一证 Multiple use (up to 12 customs declarations)"
SINGLE_USE_REMARK = "一批一证 Single use (one customs declaration)"
QR_SIZE = 32 * mm
PAGE_WIDTH = A4[0] - 30 * mm

FONT = certificate_font()
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=15, leading=20, alignment=1)
LABEL = ParagraphStyle("label", fontName=FONT, fontSize=7, leading=9, textColor=colors.grey)
# Lines break at spaces; only a run too long for its cell (long Chinese text) is split.
VALUE = ParagraphStyle("value", fontName=FONT, fontSize=9, leading=12, splitLongWords=True)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, splitLongWords=True)
BOXES = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
    ]
)


@dataclass(frozen=True)
class CertificateLine:
    """One goods line as printed."""

    goods_name: str
    hs_code: str
    specification: str
    unit: str
    quantity: int
    unit_price_usd: Decimal

    @property
    def amount_usd(self) -> Decimal:
        return self.unit_price_usd * self.quantity


@dataclass(frozen=True)
class ScheduleRow:
    """One used vehicle of the attached schedule (附表) as printed."""

    vin: str
    brand: str
    model: str
    first_registered_on: date
    transferred_on: date


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on a certificate, independent of the models."""

    number: str
    exporter_name_zh: str
    exporter_name_en: str
    exporter_uscc: str
    valid_from: date
    valid_until: date
    trade_mode: str
    contract_number: str
    customs_port: str
    destination: str
    payment_terms: str
    transport_mode: str
    multi_use: bool
    issuing_office: str
    issued_on: date
    verify_url: str
    lines: list[CertificateLine] = field(default_factory=list)
    remarks: str = ""
    schedule: list[ScheduleRow] = field(default_factory=list)

    @property
    def total_usd(self) -> Decimal:
        return sum((line.amount_usd for line in self.lines), Decimal("0"))


def a4_pdf(story: list[Any], *, title: str, author: str) -> bytes:
    """Lay out an official A4 document in the embedded font and return its bytes."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title,
        author=author,
        # Start pages in our font too, so no standard (unembedded) font is referenced.
        initialFontName=FONT,
    )
    doc.build(story)
    return buffer.getvalue()


def certificate_pdf(data: CertificateData) -> bytes:
    """Render one licence certificate to PDF bytes."""
    story = [
        _heading(data),
        Spacer(1, 4 * mm),
        _header_boxes(data),
        _goods_table(data),
        _footer_boxes(data),
    ]
    if data.schedule:
        story += [PageBreak(), *_schedule_pages(data)]
    return a4_pdf(story, title=f"Export Licence {data.number}", author=data.issuing_office)


SCHEDULE_HEADER = [
    "序号 No.",
    "车辆识别代号 VIN",
    "品牌 Brand",
    "车型 Model",
    "初次登记日期 First registration",
    "转移登记日期 Transfer for export",
]
SCHEDULE_WIDTHS = [0.07, 0.25, 0.16, 0.2, 0.16, 0.16]


def _schedule_pages(data: CertificateData) -> list[Any]:
    """The attached schedule of a used-vehicle licence: one row per vehicle."""
    title = Text(
        f"附表 Attached schedule — 出口许可证号 Export licence No. {_escape(data.number)}", VALUE
    )
    rows = [[Text(text, LABEL) for text in SCHEDULE_HEADER]]
    for number, row in enumerate(data.schedule, start=1):
        cells = (
            str(number),
            row.vin,
            row.brand,
            row.model,
            f"{row.first_registered_on:%Y-%m-%d}",
            f"{row.transferred_on:%Y-%m-%d}",
        )
        rows.append([Text(_escape(cell), CELL) for cell in cells])
    table = Table(rows, colWidths=[PAGE_WIDTH * w for w in SCHEDULE_WIDTHS], repeatRows=1)
    table.setStyle(BOXES)
    return [title, Spacer(1, 3 * mm), table]


def _heading(data: CertificateData) -> Table:
    title = Text(
        "中华人民共和国出口许可证<br/>EXPORT LICENCE OF THE PEOPLE'S REPUBLIC OF CHINA", TITLE
    )
    table = Table([[title, _qr(data.verify_url)]], colWidths=[PAGE_WIDTH - QR_SIZE, QR_SIZE])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("FONTNAME", (0, 0), (-1, -1), FONT)])
    )
    return table


def _qr(url: str) -> QrFlowable:
    return QrFlowable(url, QR_SIZE)


def _box(number: int, label_zh: str, label_en: str, value: str) -> list[Text]:
    return [
        Text(f"{number}. {label_zh} {label_en}", LABEL),
        Text(_escape(value) or "—", VALUE),
    ]


def _header_boxes(data: CertificateData) -> Table:
    rows = [
        (
            _box(1, "出口商", "Exporter", f"{data.exporter_name_zh}<br/>{data.exporter_name_en}")
            + [Text(f"代码 USCC: {data.exporter_uscc}", VALUE)],
            _box(3, "出口许可证号", "Export licence No.", data.number),
        ),
        (
            _box(2, "发货人", "Consignor", data.exporter_name_zh),
            _box(
                4,
                "出口许可证有效截止日期",
                "Export licence expiry date",
                f"{data.valid_until:%Y-%m-%d} (自 from {data.valid_from:%Y-%m-%d})",
            ),
        ),
        (
            _box(5, "贸易方式", "Terms of trade", data.trade_mode),
            _box(8, "进口国（地区）", "Country / region of purchase", data.destination),
        ),
        (
            _box(6, "合同号", "Contract No.", data.contract_number),
            _box(9, "付款方式", "Payment conditions", data.payment_terms),
        ),
        (
            _box(7, "报关口岸", "Place of clearance", data.customs_port),
            _box(10, "运输方式", "Mode of transport", data.transport_mode),
        ),
    ]
    table = Table([list(row) for row in rows], colWidths=[PAGE_WIDTH / 2] * 2)
    table.setStyle(BOXES)
    return table


GOODS_HEADER = [
    "11. 商品名称 Description of goods",
    "商品编码 Code of goods",
    "12. 规格、型号 Specification",
    "13. 单位 Unit",
    "14. 数量 Quantity",
    "15. 单价 Unit price (USD)",
    "16. 总值 Amount (USD)",
    "17. 总值折美元 Amount in USD",
]
GOODS_WIDTHS = [0.17, 0.12, 0.17, 0.08, 0.1, 0.12, 0.12, 0.12]


def _goods_table(data: CertificateData) -> Table:
    rows = [[Text(text, LABEL) for text in GOODS_HEADER]]
    rows += [[Text(_escape(str(v)), CELL) for v in _line_cells(line)] for line in data.lines]
    total_quantity = sum(line.quantity for line in data.lines)
    rows.append(
        [Text(v, CELL) for v in ("18. 总计 Total", "", "", "", str(total_quantity), "")]
        + [Text(_money(data.total_usd), CELL)] * 2
    )
    table = Table(rows, colWidths=[PAGE_WIDTH * w for w in GOODS_WIDTHS], repeatRows=1)
    table.setStyle(BOXES)
    return table


def _line_cells(line: CertificateLine) -> list[str]:
    amount = _money(line.amount_usd)
    return [
        line.goods_name,
        line.hs_code,
        line.specification,
        line.unit,
        str(line.quantity),
        _money(line.unit_price_usd),
        amount,
        amount,
    ]


def _footer_boxes(data: CertificateData) -> Table:
    use = MULTI_USE_REMARK if data.multi_use else SINGLE_USE_REMARK
    remarks = "<br/>".join(_escape(r) for r in (use, data.remarks) if r)
    verify = f"验证 Verify: {_escape(data.verify_url)}"
    rows = [
        [
            [Text("19. 备注 Supplementary details", LABEL), Text(remarks, VALUE)],
            _box(20, "发证机关盖章", "Issuing authority", data.issuing_office),
        ],
        [
            [Text(verify, CELL)],
            _box(21, "发证日期", "Licence date", f"{data.issued_on:%Y-%m-%d}"),
        ],
    ]
    table = Table(rows, colWidths=[PAGE_WIDTH / 2] * 2)
    table.setStyle(BOXES)
    return table


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _escape(text: str) -> str:
    # Paragraph parses a small markup language; only our own <br/> may pass through.
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("&lt;br/&gt;", "<br/>")
    )


def licence_certificate_data(licence: Any, *, verify_url: str) -> CertificateData:
    """Collect what a licence's certificate prints."""
    holder, case = licence.holder, licence.case
    schedule = _schedule(licence)
    return CertificateData(
        number=licence.number,
        exporter_name_zh=holder.name_zh,
        exporter_name_en=holder.name_en,
        exporter_uscc=holder.uscc,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        trade_mode=_bilingual(TRADE_MODES, licence.trade_mode),
        contract_number=licence.contract_number,
        customs_port=licence.customs_port,
        destination=f"{licence.destination_id} {licence.destination.name}",
        payment_terms=licence.payment_terms,
        transport_mode=_bilingual(TRANSPORT_MODES, licence.transport_mode),
        multi_use=licence.is_multi_use,
        issuing_office=f"{licence.issuing_office.code} {licence.issuing_office.name}",
        issued_on=timezone.localdate(licence.issued_at),
        verify_url=verify_url,
        lines=[_certificate_line(line) for line in licence.lines.all()],
        remarks=_remarks(licence, case, len(schedule)),
        schedule=schedule,
    )


def _schedule(licence: Any) -> list[ScheduleRow]:
    """The vehicles a used-vehicle licence, or its exchange, was issued for."""
    if not licence.schedule_case_id:
        return []
    return [
        ScheduleRow(
            vin=row.vin,
            brand=row.vehicle_model.brand.name,
            model=row.vehicle_model.name,
            first_registered_on=row.first_registered_on,
            transferred_on=row.transferred_on,
        )
        for row in licence_schedule(licence)
    ]


def licence_certificate_pdf(licence: Any) -> bytes:
    """Render a licence's certificate, pointing at its public verification page."""
    verify_url = public_url("licence-verify", licence.number)
    return certificate_pdf(licence_certificate_data(licence, verify_url=verify_url))


TRADE_MODES = {
    "general": "一般贸易 General trade",
    "processing": "加工贸易 Processing trade",
    "border": "边境贸易 Border trade",
    "other": "其他 Other",
}
TRANSPORT_MODES = {
    "sea": "水路运输 Sea",
    "rail": "铁路运输 Rail",
    "road": "公路运输 Road",
    "air": "航空运输 Air",
}
GOODS_NAME = "纯电动乘用车 Battery-electric passenger car"


def _bilingual(names: dict[str, str], code: str) -> str:
    return names.get(code, code)


def _certificate_line(line: Any) -> CertificateLine:
    model = line.vehicle_model
    return CertificateLine(
        goods_name=GOODS_NAME,
        hs_code=model.hs_code,
        specification=f"{model.brand.name} {model.name}",
        unit="辆 vehicle",
        quantity=line.licensed_quantity,
        unit_price_usd=line.unit_price_usd,
    )


def _remarks(licence: Any, case: Any, used_vehicles: int) -> str:
    parts = [f"案件 Case: {case.reference}"]
    if licence.replaces_id:
        parts.append(f"换发 Replaces licence {licence.replaces.number}")
    if used_vehicles:
        parts.append(f"二手车 Used vehicles: {used_vehicles}, 见附表 see attached schedule")
    return "; ".join(parts)
