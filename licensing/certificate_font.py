"""The font the certificate is set in: a CJK TrueType font, embedded as a subset.

The project installs Debian's fonts-wqy-microhei (see the Makefile and .ci/run);
CERTIFICATE_FONT_PATH may name another TrueType font (.ttf, or .ttc with its first face)
that has Chinese glyphs. Without one, the certificate falls back to Adobe's STSong-Light,
which is not embedded, and the `licensing.W001` system check says so.

ReportLab cuts the subset out of the whole face at every save: for WenQuanYi Micro Hei (5 MB)
that is about 1 ms to copy the glyph table and pick the glyphs, and 1 ms more to deflate them.
A subset depends only on its characters in their order, so each is built once per process
and its deflated file reused by every later document that draws the same characters (the same
certificate again, or another with the same Chinese names).
"""

import logging
import threading
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, TTFont, TTFontFace

logger = logging.getLogger(__name__)

EMBEDDED_FONT = "CertificateCJK"
FALLBACK_FONT = "STSong-Light"
MISSING = (
    "No CJK TrueType font for licence certificates at {path}: certificates fall back to "
    "STSong-Light, which is not embedded and renders only where Adobe's Asian font pack is "
    "installed. Install fonts-wqy-microhei (make install-fonts) or set CERTIFICATE_FONT_PATH."
)


SUBSETS_KEPT = 256  # deflated subsets of about 30 KB each


@dataclass(frozen=True)
class FontFile:
    """One subset as embedded: its TrueType length and its deflated bytes."""

    length: int
    deflated: bytes


class SubsetReusingFace(TTFontFace):
    """A parsed face that builds each subset's font file once and reuses it."""

    @classmethod
    def reusing(cls, face: TTFontFace) -> "SubsetReusingFace":
        """Take over an already parsed face, so the file is not parsed twice."""
        reusing = cls.__new__(cls)
        reusing.__dict__.update(face.__dict__)
        # Subsetting seeks in the face's shared buffer: one document at a time may do it.
        reusing._subsetting = threading.Lock()
        reusing.font_file = lru_cache(maxsize=SUBSETS_KEPT)(reusing._build_font_file)
        return reusing

    def _build_font_file(self, subset: tuple[int, ...]) -> FontFile:
        with self._subsetting:
            content = self.makeSubset(list(subset))
        return FontFile(length=len(content), deflated=zlib.compress(content))

    def addSubsetObjects(self, doc: Any, fontname: str, subset: list[int]) -> Any:
        """Add a subset's font file and descriptor to the document, as ReportLab's face does."""
        built = self.font_file(tuple(subset))
        if doc.compression:
            stream = pdfdoc.PDFStream(content=built.deflated)
            stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
        else:
            stream = pdfdoc.PDFStream(content=zlib.decompress(built.deflated))
        stream.dictionary["Length1"] = built.length
        reference = doc.Reference(stream, f"fontFile:{self.filename}({fontname})")
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": "/FontDescriptor",
                "Ascent": self.ascent,
                "CapHeight": self.capHeight,
                "Descent": self.descent,
                "Flags": (self.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                "FontBBox": pdfdoc.PDFArray(self.bbox),
                "FontName": pdfdoc.PDFName(fontname),
                "ItalicAngle": self.italicAngle,
                "StemV": self.stemV,
                "FontFile2": reference,
                "MissingWidth": self.defaultWidth,
            }
        )
        return doc.Reference(descriptor, f"fontDescriptor:{fontname}")


class SubsetReusingFont(TTFont):
    """A TrueType font (first face of a collection) whose subsets are reused across documents."""

    def __init__(self, name: str, path: str) -> None:
        super().__init__(name, path, subfontIndex=0)
        self.face = SubsetReusingFace.reusing(self.face)


def font_path() -> Path:
    """Return where the certificate's font is expected."""
    return Path(settings.CERTIFICATE_FONT_PATH)


def certificate_font() -> str:
    """Register the certificate's font once and return its name."""
    if EMBEDDED_FONT in pdfmetrics.getRegisteredFontNames():
        return EMBEDDED_FONT
    path = font_path()
    if path.is_file():
        pdfmetrics.registerFont(SubsetReusingFont(EMBEDDED_FONT, str(path)))
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
