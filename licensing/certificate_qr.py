"""The certificate's QR code, drawn as one filled path.

ReportLab's QrCodeWidget encodes the text twice (for its bounds, then to draw) and emits each
dark run as a shape of its own; here the matrix is encoded once per address and its dark runs
become the rectangles of a single path.
"""

import itertools
from functools import lru_cache

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.platypus import Flowable

QUIET_MODULES = 4  # the blank margin the QR standard asks for, in modules


@lru_cache(maxsize=256)
def dark_runs(text: str, level: str = "M") -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """Encode text; return the module count and its dark runs as (row, column, length)."""
    code = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
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
