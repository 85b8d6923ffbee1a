"""Audit events told as sentences: who did what, and what changed, before → after.

Each app describes its own verbs and payload keys in a `Vocabulary`; this module only
knows the payload shapes services write (``old_<key>``/``new_<key>`` pairs, a
``changes`` map of ``[before, after]`` lists, plain values). Keys an app did not describe
are left out, so no raw code or Python structure reaches a page.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEvent
from audit.services import SYSTEM_ACTOR

Display = Callable[[Any], str]


@dataclass(frozen=True)
class Vocabulary:
    """How one app's events read: a sentence per verb, a label and display per payload key."""

    verbs: Mapping[str, Promise]  # verb → "%(who)s submitted the case"
    labels: Mapping[str, Promise]  # payload or field key → its name
    displays: Mapping[str, Display] = field(default_factory=dict)  # key → value in words
    fallback: Promise | None = None


@dataclass(frozen=True)
class TimelineEntry:
    """One event as a reader sees it."""

    seq: int
    occurred_at: datetime
    who: str
    sentence: str
    details: list[str]


def event_entry(event: AuditEvent, vocabulary: Vocabulary) -> TimelineEntry:
    """Tell one event as a sentence with its details, in the active language."""
    who = _actor_name(event)
    template = vocabulary.verbs.get(event.verb) or vocabulary.fallback
    sentence = str(template or _("%(who)s recorded an action")) % {"who": who}
    return TimelineEntry(
        seq=event.seq,
        occurred_at=event.occurred_at,
        who=who,
        sentence=sentence,
        details=event_details(event.payload or {}, vocabulary),
    )


def event_details(payload: Mapping[str, Any], vocabulary: Vocabulary) -> list[str]:
    """List the described payload entries as "Label: value" or "Label: before → after"."""
    lines = []
    changes = payload.get("changes")
    pairs = dict(changes) if isinstance(changes, Mapping) else {}
    for key, value in payload.items():
        if key.startswith("new_") and f"old_{key[4:]}" in payload:
            pairs[key[4:]] = [payload[f"old_{key[4:]}"], value]
    for key, pair in pairs.items():
        if key in vocabulary.labels and isinstance(pair, list | tuple) and len(pair) == 2:
            before, after = (_value(key, v, vocabulary) for v in pair)
            lines.append(f"{vocabulary.labels[key]}: {before} → {after}")
    for key, value in payload.items():
        if key in vocabulary.labels and key not in pairs and not isinstance(value, dict | list):
            lines.append(f"{vocabulary.labels[key]}: {_value(key, value, vocabulary)}")
    return lines


def _value(key: str, value: Any, vocabulary: Vocabulary) -> str:
    if value in (None, ""):
        return "—"
    if key in vocabulary.displays:
        return vocabulary.displays[key](value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict | list):
        return "…"
    return str(value)


def _actor_name(event: AuditEvent) -> str:
    if event.actor_id is None and event.actor_label == SYSTEM_ACTOR:
        return _("The system")
    actor = event.actor
    full_name = actor.get_full_name() if actor is not None else ""
    return full_name or event.actor_label


HIDDEN_FIELDS = {"password"}

# What a verb's last word says about any record, for models without their own vocabulary.
VERB_ENDINGS: dict[str, Promise] = {
    "created": gettext_lazy("%(who)s created the record"),
    "updated": gettext_lazy("%(who)s changed the record"),
    "issued": gettext_lazy("%(who)s issued it"),
    "suspended": gettext_lazy("%(who)s suspended it"),
    "reinstated": gettext_lazy("%(who)s reinstated it"),
    "revoked": gettext_lazy("%(who)s revoked it"),
    "withdrawn": gettext_lazy("%(who)s withdrew it"),
    "granted": gettext_lazy("%(who)s granted it"),
    "recorded": gettext_lazy("%(who)s recorded a declaration against it"),
    "expired": gettext_lazy("It expired (recorded by %(who)s)"),
    "exhausted": gettext_lazy("It was used up (recorded by %(who)s)"),
    "exchanged": gettext_lazy("It was exchanged for a new licence (recorded by %(who)s)"),
}


def model_vocabulary(model: type[models.Model], verbs: list[str]) -> Vocabulary:
    """A vocabulary read from a model: its field names and choices, verbs by their last word."""
    labels: dict[str, Any] = {}
    displays: dict[str, Display] = {}
    for model_field in model._meta.concrete_fields:
        if model_field.name in HIDDEN_FIELDS:
            continue
        labels[model_field.name] = str(model_field.verbose_name).capitalize()
        if model_field.choices:
            choices = {str(k): str(v) for k, v in model_field.flatchoices}
            displays[model_field.name] = lambda v, c=choices: c.get(str(v), "—")
    labels.update({"reason": gettext_lazy("Reason")})
    endings = {verb: VERB_ENDINGS.get(verb.rsplit(".", 1)[-1]) for verb in verbs}
    return Vocabulary(
        verbs={verb: text for verb, text in endings.items() if text},
        labels=labels,
        displays=displays,
    )
