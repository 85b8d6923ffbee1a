"""Upload checks for case evidence: the shared rules in ``config.uploads``."""

from config.uploads import PDF_TAIL_BYTES, SIGNATURES, inspect_upload, sniff_content_type

__all__ = ["PDF_TAIL_BYTES", "SIGNATURES", "inspect_upload", "sniff_content_type"]
