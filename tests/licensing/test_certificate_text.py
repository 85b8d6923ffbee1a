"""Certificate paragraphs break into lines once per width and draw as ReportLab's own would."""

import io

import pypdfium2
from pypdf import PdfReader
from reportlab.platypus import Paragraph, Table

from licensing.certificate_text import Text
from licensing.services.certificate import BOXES, PAGE_WIDTH, VALUE, a4_pdf

WORDS = "出口许可证 Export licence 纯电动乘用车 Battery-electric passenger car " * 3


def test_a_second_wrap_at_the_same_width_keeps_the_lines_of_the_first():
    text = Text(WORDS, VALUE)
    size = text.wrap(120, 50)
    lines = text.blPara
    assert text.wrap(120, 72000) == size
    assert text.blPara is lines


def test_a_wrap_at_another_width_breaks_the_lines_again():
    text = Text(WORDS, VALUE)
    _, narrow_height = text.wrap(120, 50)
    width, wide_height = text.wrap(400, 50)
    assert width == 400 and wide_height < narrow_height
    assert text.wrap(120, 50) == (120, narrow_height)


def page_image(pdf: bytes) -> bytes:
    return pypdfium2.PdfDocument(pdf)[0].render(scale=1).to_pil().tobytes()


def boxes(paragraph: type[Paragraph]) -> list[Table]:
    rows = [[[paragraph(WORDS[:n], VALUE), paragraph(WORDS[n:], VALUE)]] * 2 for n in (9, 40, 77)]
    table = Table(rows, colWidths=[PAGE_WIDTH / 2] * 2)
    table.setStyle(BOXES)
    return [table]


def test_a_table_of_text_cells_draws_the_same_page_as_one_of_reportlab_paragraphs():
    drawn = {kind: a4_pdf(boxes(kind), title="t", author="a") for kind in (Paragraph, Text)}
    assert page_image(drawn[Text]) == page_image(drawn[Paragraph])


def test_a_text_longer_than_a_page_goes_on_over_the_next_pages():
    lines = [f"第{n}行 line {n}" for n in range(150)]
    pdf = a4_pdf([Text("<br/>".join(lines), VALUE)], title="t", author="a")
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = "\n".join(page.extract_text() for page in pages)
    assert len(pages) > 1
    assert all(line in text for line in lines)


def test_texts_parsed_once_are_laid_out_apart():
    first, second = Text(WORDS, VALUE), Text(WORDS, VALUE)
    first.wrap(120, 50)
    assert second.frags is not first.frags
    assert second.wrap(400, 50)[1] < first.wrap(120, 50)[1]
