"""Each caseworker's saved views of the case queue."""

from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from config.errors import ActionForbidden, NotFound
from licensing.models import SavedCaseFilter

# Only the queue's own parameters are kept; anything else in the address is dropped.
QUEUE_PARAMETERS = ("q", "queue", "status__exact", "kind__exact", "priority__exact", "o")
MAX_PER_USER = 20
MAX_QUERY = 500


def clean_query(raw: str) -> str:
    """Keep the queue's parameters from a query string, in a stable order."""
    pairs = [
        (k, v) for k, v in parse_qsl(raw or "", keep_blank_values=False) if k in QUEUE_PARAMETERS
    ]
    return urlencode(sorted(pairs))


def saved_filter_save(*, actor: Any, name: str, query: str) -> SavedCaseFilter:
    """Save (or overwrite by name) the actor's current queue view."""
    if not (actor.is_authenticated and actor.is_staff):
        raise ActionForbidden(_("Only staff save queue filters."))
    name, query = (name or "").strip(), clean_query(query)
    if not name or len(name) > 60 or not name.isprintable():
        raise ValidationError({"name": _("Give the view a name of at most 60 characters.")})
    if len(query) > MAX_QUERY:
        raise ValidationError({"name": _("These filters are too long to save.")})
    with transaction.atomic():
        mine = SavedCaseFilter.objects.select_for_update().filter(user=actor)
        if not mine.filter(name=name).exists() and mine.count() >= MAX_PER_USER:
            raise ValidationError({"name": _("You can keep at most 20 saved views.")})
        saved, _created = SavedCaseFilter.objects.update_or_create(
            user=actor, name=name, defaults={"query": query}
        )
        audit_record(
            actor=actor,
            verb="licensing.saved_filter.saved",
            target=saved,
            payload={"name": name, "query": query},
        )
    return saved


def saved_filter_delete(*, actor: Any, pk: Any) -> None:
    """Delete one of the actor's own saved views (another user's is not found)."""
    with transaction.atomic():
        saved = (
            SavedCaseFilter.objects.filter(user=actor, pk=pk).first() if str(pk).isdigit() else None
        )
        if saved is None:
            raise NotFound(_("No such saved view."))
        audit_record(
            actor=actor,
            verb="licensing.saved_filter.deleted",
            target=saved,
            payload={"name": saved.name},
        )
        saved.delete()
