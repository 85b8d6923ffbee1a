"""The font the certificate is set in: a CJK TrueType font, embedded as a subset.

The project installs Debian's fonts-wqy-microhei (see the Makefile and .ci/run);
CERTIFICATE_FONT_PATH may name another TrueType font (.ttf, or .ttc with its first face)
that has Chinese glyphs. Without one, the certificate falls back to Adobe's STSong-Light,
which is not embedded, and the `licensing.W001` system check says so.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.core import checks
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)

EMBEDDED_FONT = "CertificateCJK"
FALLBACK_FONT = "STSong-Light"
MISSING = (
    "No CJK TrueType font for licence certificates at {path}: certificates fall back to "
    "STSong-Light, which is not embedded and renders only where Adobe's Asian font pack is "
    "installed. Install fonts-wqy-microhei (make install-fonts) or set CERTIFICATE_FONT_PATH."
)


def font_path() -> Path:
    """Return where the certificate's font is expected."""
    return Path(settings.CERTIFICATE_FONT_PATH)


def certificate_font() -> str:
    """Register the certificate's font once and return its name."""
    if EMBEDDED_FONT in pdfmetrics.getRegisteredFontNames():
        return EMBEDDED_FONT
    path = font_path()
    if path.is_file():
        pdfmetrics.registerFont(TTFont(EMBEDDED_FONT, str(path), subfontIndex=0))
        return EMBEDDED_FONT
    logger.warning(MISSING.format(path=path))
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


@checks.register()
def certificate_font_check(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    """Warn when certificates cannot embed their font."""
    if font_path().is_file():
        return []
    return [checks.Warning(MISSING.format(path=font_path()), id="licensing.W001")]
