"""Evidence files of a breach investigation: checked by their bytes, stored, offered to staff.

The checks and the file-name rule are the ones case documents use (``config.uploads``);
the files go to the same evidence store (``config.storage``), never served directly.
"""

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.models import Breach, BreachEvidence
from aftersales.services.breaches import INVESTIGATE
from aftersales.services.rules import Actor
from audit.services import audit_record
from config.errors import ActionForbidden, TransitionNotAllowed
from config.uploads import inspect_upload, safe_filename, store_upload

VIEW = "aftersales.view_breach"
MAX_DESCRIPTION = BreachEvidence._meta.get_field("description").max_length


def breach_evidence_add(
    *, actor: Actor, breach: Breach, upload: Any, description: str
) -> BreachEvidence:
    """Store a file an investigation rests on, after checking what its bytes really are."""
    if actor is None or not actor.has_perm(INVESTIGATE):
        raise ActionForbidden(_("You may not take this action on breaches."))
    if breach.status == Breach.Status.DECIDED:
        raise TransitionNotAllowed(_("A decided breach takes no more evidence."))
    description, content_type, sha256 = _checked(upload, description)
    evidence = BreachEvidence(
        breach=breach,
        description=description,
        original_name=safe_filename(upload.name or "", content_type),
        content_type=content_type,
        size=upload.size,
        sha256=sha256,
        uploaded_by=actor,
    )
    store_upload(
        evidence,
        "file",
        upload,
        refusal=_("The file could not be stored: the server is out of space. Nothing was saved."),
        record=lambda: _record(actor, breach, evidence),
    )
    return evidence


def breach_evidence_open(*, actor: Actor, evidence: BreachEvidence) -> IO[bytes]:
    """Open an evidence file for a member of staff who may see breaches; audit the reading."""
    if actor is None or not actor.is_staff or not actor.has_perm(VIEW):
        raise ActionForbidden(_("You may not see this breach's evidence."))
    handle = evidence.file.open("rb")
    audit_record(
        actor=actor,
        verb="aftersales.breach.evidence_downloaded",
        target=evidence.breach,
        enterprise_id=evidence.breach.enterprise_id,
        payload={"evidence": evidence.pk, "name": evidence.download_name},
    )
    return handle


def _checked(upload: Any, description: str) -> tuple[str, str, str]:
    """Every field's errors at once; (description, content type, sha256) when all is well."""
    errors: dict[str, list[str]] = {}
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Say what the file shows.")]
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = [
            _("Keep the description under %(n)d characters.") % {"n": MAX_DESCRIPTION}
        ]
    content_type = sha256 = ""
    if upload is None:
        errors["file"] = [_("Choose a file to attach.")]
    else:
        try:
            content_type, sha256 = inspect_upload(upload, upload.size)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return description, content_type, sha256


def _record(actor: Actor, breach: Breach, evidence: BreachEvidence) -> None:
    with transaction.atomic():
        evidence.save(force_insert=True)
        audit_record(
            actor=actor,
            verb="aftersales.breach.evidence_added",
            target=breach,
            enterprise_id=breach.enterprise_id,
            payload={
                "evidence": evidence.pk,
                "description": evidence.description,
                "name": evidence.original_name,
                "content_type": evidence.content_type,
                "sha256": evidence.sha256,
                "size": evidence.size,
            },
        )
