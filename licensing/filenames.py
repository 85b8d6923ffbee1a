"""The one rule for an evidence file's name, applied when it is stored and when it is offered.

The name a client sends is data, never trusted: it keeps its readable stem, loses control,
format (bidirectional overrides, zero-width) and separator characters and any directory part,
and ends with the extension of the type its bytes showed.
"""

import unicodedata

EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
}
# Cc control, Cf format (RLO, LRI, ZWJ...), Cs/Co/Cn surrogates, private and unassigned,
# Zl/Zp line and paragraph separators.
DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
# Characters Windows refuses in names (path separators are cut off separately).
RESERVED = str.maketrans("", "", '<>:"|?*')
MAX_STEM = 200
FALLBACK_STEM = "document"


def extension_for(content_type: str) -> str:
    """Return the canonical extension of an accepted content type ('' for any other)."""
    return EXTENSIONS.get(content_type, ("",))[0]


def safe_filename(name: str, content_type: str) -> str:
    """Return the name to store and offer for an upload of the detected content type."""
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in DROPPED_CATEGORIES)
    text = text.replace("\\", "/").rsplit("/", 1)[-1].translate(RESERVED).strip().lstrip(".")
    stem, dot, suffix = text.rpartition(".")
    if not dot:
        stem, suffix = text, ""
    extension = f".{suffix.lower()}"
    if extension not in EXTENSIONS.get(content_type, ()):
        extension = extension_for(content_type)
    stem = stem.strip()[:MAX_STEM].strip() or FALLBACK_STEM
    return stem + extension
