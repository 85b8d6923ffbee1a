"""The paragraphs of the certificate and its sibling documents, parsed and broken cheaply.

Every paragraph's text goes through ReportLab's markup parser (an HTML parser), though most
texts are the same labels on every document: each text is parsed once per style and later
paragraphs start from copies of its fragments (copies, as laying out marks them).

A table sizes its rows by wrapping every cell's paragraphs, then wraps them again, at the same
width, to draw them. A paragraph's lines depend only on the width offered, not the height, so
the second break into lines (the costliest step of the layout) is skipped.
"""

from functools import lru_cache
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

TEXTS_KEPT = 1024  # every label of the documents, and the values drawn lately


@lru_cache(maxsize=TEXTS_KEPT)
def parsed(text: str, style: ParagraphStyle) -> Paragraph:
    """Parse a text once per style; the paragraph returned is never laid out."""
    return Paragraph(text, style)


class Text(Paragraph):
    """A ReportLab paragraph from a parsed text, keeping its lines of the last wrap for a width."""

    # The width, lines and size of the last wrap, until the lines are drawn.
    _kept: tuple[float, Any, tuple[float, float]] | None = None

    def __init__(self, text: str | None, style: ParagraphStyle, **given: Any) -> None:
        if given:  # from ReportLab's split, with the fragments of each part
            super().__init__(text, style, **given)
            return
        model = parsed(text, style)
        frags = [frag.clone() for frag in model.frags]
        super().__init__(model.text, model.style, bulletText=model.bulletText, frags=frags)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Break into lines for this width, unless the last wrap did and nothing used them since."""
        kept = self._kept
        # A split that finds no room drops the lines; then they are broken again.
        if kept and kept[0] == availWidth and getattr(self, "blPara", None) is kept[1]:
            self.width, self.height = kept[2]
            return kept[2]
        size = super().wrap(availWidth, availHeight)
        self._kept = (availWidth, self.blPara, size) if hasattr(self, "blPara") else None
        return size

    def draw(self) -> None:
        """Draw the lines, and break them afresh at the next wrap, as ReportLab does."""
        self._kept = None  # drawing may rearrange them (right-to-left lines are reversed)
        super().draw()
