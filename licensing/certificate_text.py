"""The paragraphs of the certificate and its sibling documents, broken into lines once per width.

A table sizes its rows by wrapping every cell's paragraphs, then wraps them again, at the same
width, to draw them. A paragraph's lines depend only on the width offered, not the height, so
the second break into lines (the costliest step of the layout) is skipped.
"""

from reportlab.platypus import Paragraph


class Text(Paragraph):
    """A ReportLab paragraph that keeps the lines of its last wrap for the same width."""

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Break into lines for this width, unless that was the width of the last wrap."""
        if self._wrapped is None or self._wrapped[0] != availWidth:
            self._wrapped = (availWidth, super().wrap(availWidth, availHeight))
        return self._wrapped[1]
