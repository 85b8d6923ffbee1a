"""The certificate's QR code, drawn as one filled path.

ReportLab's QrCodeWidget encodes the text twice (for its bounds, then to draw) and emits each
dark run as a shape of its own; here the matrix is encoded once per address and its dark runs
become the rectangles of a single path.

ReportLab's encoder tries the eight masks and keeps the one its penalty count scores lowest;
counting module by module in Python, that is most of the time a new address takes (a certificate
downloaded for the first time). `mask_penalty` counts the same score on rows and columns as
strings and bit masks, so the encoder picks the same mask and draws the same code.
"""

import itertools
import re
from functools import lru_cache

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.platypus import Flowable

QUIET_MODULES = 4  # the blank margin the QR standard asks for, in modules


RUN = re.compile(r"0{5,}|1{5,}")
FINDER_LIKE = "10111010000"
AS_DIGITS = bytes.maketrans(b"\x00\x01", b"01")  # a row of booleans as "0" and "1"


def mask_penalty(modules: list[list[bool]]) -> int:
    """Score a masked matrix as ReportLab's QRUtil.getLostPoint does, rule by rule."""
    rows = [bytes(row).translate(AS_DIGITS).decode() for row in modules]
    columns = ["".join(column) for column in zip(*rows, strict=True)]
    dark = sum(row.count("1") for row in rows)
    balance = 10 * (abs(100 * dark // len(rows) ** 2 - 50) // 5)
    # ReportLab looks for finder-like runs along rows only (its column pass never matches).
    return _runs(rows) + _runs(columns) + _blocks(rows) + _finder_like(rows) + balance


def _runs(lines: list[str]) -> int:
    """Five or more modules of one colour in a line: their length less two."""
    return sum(len(run) - 2 for line in lines for run in RUN.findall(line))


def _blocks(rows: list[str]) -> int:
    """Three for every 2×2 block of one colour."""
    inner = (1 << (len(rows) - 1)) - 1
    bits = [int(row, 2) for row in rows]
    score = 0
    for upper, lower in itertools.pairwise(bits):
        same_below = ~(upper ^ lower)
        same_beside = ~(upper ^ (upper >> 1))
        score += 3 * (same_below & (same_below >> 1) & same_beside & inner).bit_count()
    return score


def _finder_like(rows: list[str]) -> int:
    """Forty for each 1:1:3:1:1 run followed by four light modules, not overlapping."""
    score = 0
    for row in rows:
        # ReportLab's scan stops one module early: a match at the very end is not counted.
        last = len(row) - len(FINDER_LIKE)
        start = row.find(FINDER_LIKE)
        while 0 <= start < last:
            score += 40
            start = row.find(FINDER_LIKE, start + len(FINDER_LIKE))
    return score


class QrCode(qrencoder.QRCode):
    """ReportLab's QR encoder, choosing its mask with the faster penalty count."""

    def getBestMaskPattern(self) -> int:
        """Return the first mask of the lowest penalty."""
        penalties = []
        for mask in range(8):
            self.makeImpl(True, mask)
            penalties.append(mask_penalty(self.modules))
        return penalties.index(min(penalties))


@lru_cache(maxsize=256)
def dark_runs(text: str, level: str = "M") -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """Encode text; return the module count and its dark runs as (row, column, length)."""
    code = QrCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    code.addData(text)
    code.make()
    runs = []
    for row, modules in enumerate(code.modules):
        column = 0
        for dark, group in itertools.groupby(bool(m) for m in modules):
            length = sum(1 for _ in group)
            if dark:
                runs.append((row, column, length))
            column += length
    return code.getModuleCount(), tuple(runs)


class QrFlowable(Flowable):
    """A square QR code of the given side, quiet zone included."""

    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        self.text, self.width, self.height = text, size, size

    def draw(self) -> None:
        count, runs = dark_runs(self.text)
        module = self.width / (count + 2 * QUIET_MODULES)
        path = self.canv.beginPath()
        for row, column, length in runs:
            top = self.height - (row + QUIET_MODULES + 1) * module
            path.rect((column + QUIET_MODULES) * module, top, length * module, module)
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)
