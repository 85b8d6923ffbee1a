"""The certificate's QR encoder picks the mask ReportLab's would, so it draws the same code."""

import random
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.graphics.barcode import qrencoder

from licensing.certificate_qr import QrCode, dark_runs, mask_penalty


def reportlab_penalty(modules: list[list[bool]]) -> int:
    return qrencoder.QRUtil.getLostPoint(SimpleNamespace(modules=modules))


@st.composite
def matrices(draw) -> list[list[bool]]:  # type: ignore[no-untyped-def]
    size = draw(st.sampled_from([21, 25, 29, 33, 45]))
    darkness = draw(st.floats(0.02, 0.98))
    modules = random.Random(draw(st.integers(0, 2**32)))
    return [[modules.random() < darkness for _ in range(size)] for _ in range(size)]


@given(matrices())
@settings(max_examples=150, deadline=None)
def test_the_penalty_is_reportlabs_for_any_matrix(modules):
    assert mask_penalty(modules) == reportlab_penalty(modules)


def test_the_penalty_counts_runs_blocks_finder_like_rows_and_balance():
    light = [[False] * 21 for _ in range(21)]
    # 21 light modules in each of 42 lines, 20 2×2 blocks in each of 20 row pairs, all light
    assert mask_penalty(light) == 42 * 19 + 20 * 20 * 3 + 100
    finder_row = [c == "1" for c in "10111010000" + "1010101010"]
    rows = [finder_row] + [[(r + c) % 2 == 0 for c in range(21)] for r in range(1, 21)]
    assert mask_penalty(rows) == reportlab_penalty(rows)


def modules_of(code: qrencoder.QRCode, text: str) -> list[list[bool]]:
    code.addData(text)
    code.make()
    return code.modules


@given(st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=90))
@settings(max_examples=40, deadline=None)
def test_the_encoder_draws_the_same_code_as_reportlabs(text):
    level = qrencoder.QRErrorCorrectLevel.M
    ours = modules_of(QrCode(None, level), text)
    assert ours == modules_of(qrencoder.QRCode(None, level), text)


def test_dark_runs_cover_exactly_the_dark_modules_of_the_code():
    url = "https://licences.mofcom.example/verify/26-34-000001/"
    count, runs = dark_runs(url)
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    modules = modules_of(code, url)
    drawn = {(row, column + i) for row, column, length in runs for i in range(length)}
    dark = {(r, c) for r in range(count) for c in range(count) if modules[r][c]}
    assert count == code.getModuleCount() and drawn == dark
