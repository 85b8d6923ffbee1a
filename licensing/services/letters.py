"""The decision letter: a bilingual PDF telling the applicant what was decided and why.

Laid out with ReportLab and the certificate's built-in CJK font. Every label is printed in
Chinese and then English, whatever the language of the person printing it.
"""

import io
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from audit.times import BEIJING
from config.errors import TransitionNotAllowed
from licensing.models import Case
from licensing.services.certificate import FONT, _escape

HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=14, leading=20, alignment=1)
TEXT = ParagraphStyle("text", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=8, leading=11, textColor=colors.grey)
GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
    ]
)
DECIDED = (Case.Status.APPROVED, Case.Status.REFUSED)


def both(text: Any) -> str:
    """A message (a msgid or a lazy label) in Chinese, then in English, a line apart."""
    with translation.override("zh-hans"):
        chinese = _(text) if isinstance(text, str) else str(text)
    with translation.override("en"):
        english = _(text) if isinstance(text, str) else str(text)
    return chinese if chinese == english else f"{chinese}<br/>{english}"


def decision_letter_pdf(case: Case) -> bytes:
    """Render the decision letter of an approved or refused case."""
    if case.status not in DECIDED:
        raise TransitionNotAllowed(_("A decision letter exists only once the case is decided."))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, title=case.reference
    )
    document.build(_story(case))
    return buffer.getvalue()


def _story(case: Case) -> list[Any]:
    approved = case.status == Case.Status.APPROVED
    story: list[Any] = [
        Paragraph(both("Decision on an application for battery-electric car export"), HEADING),
        Spacer(1, 6 * mm),
        _facts(case, approved),
        Spacer(1, 6 * mm),
        Paragraph(both("Reasons"), TEXT),
        Paragraph(_escape(case.decision_reasons or "—"), TEXT),
    ]
    if not approved:
        story += [
            Spacer(1, 4 * mm),
            Paragraph(both("Your rights"), TEXT),
            Paragraph(_escape(case.appeal_information or "—"), TEXT),
        ]
    story += [Spacer(1, 10 * mm), Paragraph(_escape(_office(case)), TEXT)]
    story.append(Paragraph(both("All times are Beijing time (UTC+8)."), SMALL))
    return story


def _facts(case: Case, approved: bool) -> Table:
    applicant = case.applicant
    outcome = "Approved" if approved else "Refused"
    rows = [
        (both("Reference"), case.reference),
        (both("Applicant"), f"{applicant.name_zh}<br/>{applicant.name_en}"),
        (both("Unified social credit code"), applicant.uscc),
        (both("Kind of application"), both(Case.Kind(case.kind).label)),
        (both("Decision"), both(outcome)),
        (both("Decided on"), _day(case.decided_at)),
    ]
    licence = getattr(case, "issued_licence", None) if approved else None
    if licence is not None:
        rows.append((both("Licence number"), licence.number))
        rows.append(
            (both("Valid"), f"{licence.valid_from.isoformat()} – {licence.valid_until.isoformat()}")
        )
    cells = [[Paragraph(label, TEXT), Paragraph(_escape(value), TEXT)] for label, value in rows]
    table = Table(cells, colWidths=[55 * mm, 115 * mm])
    table.setStyle(GRID)
    return table


def _day(moment: Any) -> str:
    return moment.astimezone(BEIJING).date().isoformat() if moment else "—"


def _office(case: Case) -> str:
    office = case.applicant.issuing_office
    return str(office) if office else ""
