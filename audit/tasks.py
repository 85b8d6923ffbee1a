"""Periodic signing of the chain head, so a truncated tail is detectable."""

from celery import shared_task

from audit.services import checkpoint_create


@shared_task(name="audit.tasks.sign_checkpoint")
def sign_checkpoint() -> int:
    """Sign a checkpoint at the current head; return its sequence number."""
    return checkpoint_create().seq
