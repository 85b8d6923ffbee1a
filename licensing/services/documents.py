"""Checking uploaded evidence by its content, never by its name."""

import hashlib
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
