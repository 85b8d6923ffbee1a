"""Checking an uploaded evidence file by its content, never by its name, and naming it.

Shared by every app that accepts evidence (case documents, breach evidence): what the bytes
are decides the type; the name a client sends is data, never trusted: it keeps its readable
stem, loses control, format (bidirectional overrides, zero-width) and separator characters and
any directory part, and ends with the extension of the type its bytes showed.
"""

import hashlib
import unicodedata
from collections.abc import Callable
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from config.errors import StorageFull

# Magic numbers of the accepted formats: what the bytes are, not what the name claims.
SIGNATURES: dict[str, bytes] = {
    "application/pdf": b"%PDF-",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}
PDF_TAIL_BYTES = 1024


def sniff_content_type(head: bytes) -> str | None:
    """Return the content type the first bytes show, or None for anything not accepted."""
    for content_type, signature in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def _pdf_is_complete(upload: IO[bytes], size: int) -> bool:
    """A PDF ends with an end-of-file marker; readers accept it within the last 1024 bytes."""
    upload.seek(max(0, size - PDF_TAIL_BYTES))
    return b"%%EOF" in upload.read(PDF_TAIL_BYTES)


def inspect_upload(upload: IO[bytes], size: int) -> tuple[str, str]:
    """Validate size and content of an upload; return (content type, sha256)."""
    if size <= 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(max)d bytes.")
                % {"max": settings.DOCUMENT_MAX_BYTES}
            }
        )
    upload.seek(0)
    content_type = sniff_content_type(upload.read(8))
    if content_type is None:
        raise ValidationError({"file": _("Only PDF, JPEG and PNG files are accepted.")})
    if content_type == "application/pdf" and not _pdf_is_complete(upload, size):
        raise ValidationError({"file": _("The PDF file is damaged or incomplete.")})
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(64 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()


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


def store_upload(
    instance: Any, field: str, upload: IO[bytes], *, refusal: str, record: Callable[[], object]
) -> None:
    """Write an upload under the field's fresh name, then `record` the row that names it.

    On a full disk any part written is removed and StorageFull carries `refusal` to the person
    who uploaded; if `record` fails, the file it would have named is removed too.
    """
    file = getattr(instance, field)
    name = file.field.generate_filename(instance, "upload")
    try:
        file.name = file.storage.save(name, upload, max_length=200)
    except OSError as exc:
        file.storage.delete(name)
        raise StorageFull(refusal) from exc
    try:
        record()
    except BaseException:
        # The row was not written: don't leave its bytes behind.
        file.delete(save=False)
        raise
