"""Evidence served to staff from the case page: as a download, or inline for preview.

The preview is shown in a sandboxed frame on the case page. Its response allows only being
framed by this site, loads nothing else, and (for images) runs in a CSP sandbox; PDFs keep
Chromium's viewer, which refuses to run in a sandbox, but their bytes were checked to be
PDF at upload and are sent with nosniff.
"""

from typing import Any

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404

from config.errors import TransitionNotAllowed
from config.uploads import SIGNATURES
from licensing.models import Case, Document
from licensing.services.letters import decision_letter_pdf

PREVIEWABLE = frozenset(SIGNATURES)
IMAGE_TYPES = frozenset(t for t in SIGNATURES if t.startswith("image/"))

_PREVIEW_POLICY = {
    "default-src": ["'none'"],
    "img-src": ["'self'"],
    "style-src": ["'unsafe-inline'"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'none'"],
}


def is_previewable(document: Document) -> bool:
    """PDFs and images open inline on the case page; anything else only downloads."""
    return document.content_type in PREVIEWABLE


def document_file(case: Case, document_id: int, *, inline: bool) -> FileResponse:
    """Open one of the case's documents for the response (404 for another case's)."""
    document = get_object_or_404(Document, pk=document_id, case=case)
    if inline and not is_previewable(document):
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=not inline,
        filename=document.download_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if inline:
        response["X-Frame-Options"] = "SAMEORIGIN"
        policy: dict[str, Any] = dict(_PREVIEW_POLICY)
        if document.content_type in IMAGE_TYPES:
            policy["sandbox"] = [True]
        response._csp_replace = policy  # type: ignore[attr-defined]
    return response


def decision_letter_response(case: Case) -> HttpResponse:
    """The decision letter as a PDF download (404 while the case is undecided)."""
    try:
        pdf = decision_letter_pdf(case)
    except TransitionNotAllowed as exc:
        raise Http404 from exc
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="decision-{case.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
