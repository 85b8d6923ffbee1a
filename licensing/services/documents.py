"""Evidence on a case: a document the applicant adds, checked for what its bytes really are.

The upload checks and storage are the shared ones in ``config.uploads``.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from config.errors import ActionForbidden, TransitionNotAllowed
from config.uploads import inspect_upload, safe_filename, store_upload
from licensing.models import Case, Document, InformationRequest
from licensing.services.transitions import FINAL_STATUSES, is_applicant_member

Actor = Any


def document_add(
    *,
    actor: Actor,
    case: Case,
    doc_type: str,
    upload: UploadedFile,
    information_request: InformationRequest | None = None,
) -> Document:
    """Store a piece of evidence after checking what its bytes really are."""
    if not is_applicant_member(actor, case):
        raise ActionForbidden(_("Only members of the applicant enterprise may add evidence."))
    if case.status in FINAL_STATUSES or case.status == Case.Status.RECOMMENDED:
        raise TransitionNotAllowed(_("Evidence can no longer be added to this case."))
    if doc_type not in Document.DocType.values:
        raise ValidationError({"doc_type": _("Choose a document type.")})
    content_type, sha256 = inspect_upload(upload, upload.size)
    document = Document(
        case=case,
        information_request=information_request,
        doc_type=doc_type,
        original_name=safe_filename(upload.name or "", content_type),
        content_type=content_type,
        size=upload.size,
        sha256=sha256,
        uploaded_by=actor,
    )
    store_upload(
        document,
        "file",
        upload,
        refusal=_(
            "The document could not be stored: the server is out of space. Nothing was saved."
        ),
        record=lambda: _record_document(actor, case, document),
    )
    return document


def _record_document(actor: Actor, case: Case, document: Document) -> None:
    with transaction.atomic():
        document.save(force_insert=True)
        audit_record(
            actor=actor,
            verb="licensing.document.added",
            target=case,
            enterprise_id=case.applicant_id,
            payload={
                "document": document.pk,
                "doc_type": document.doc_type,
                "name": document.original_name,
                "sha256": document.sha256,
                "size": document.size,
            },
        )
