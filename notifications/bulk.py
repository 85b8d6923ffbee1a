"""Set-based reminders: the due rows and their recipients are found in SQL and written with
one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` per sweep (PostgreSQL and SQLite).

A sweep describes its reminders as a queryset rooted at the target model and filtered to what
is due, plus the path to the recipient user and two translatable templates; a sweep with
stages (30, 14, 7 days) names each row's kind by a CASE on its due date (``stage_kinds``).
The subject and body are composed in SQL in each recipient's language (the one they chose in
the admin or portal), so no row passes through Python and the query count does not grow
with the rows; a placeholder whose text itself depends on the language (a country's name)
is given as one expression per language code. Rows already in the outbox are skipped by an
anti-join, so a rerun that finds nothing new costs one read.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Case as SqlCase
from django.db.models import (
    CharField,
    Exists,
    Expression,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models import When as SqlWhen
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Substr
from django.utils import timezone, translation
from django.utils.functional import Promise

from notifications.models import Notification
from notifications.services import notifications_kick

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# A placeholder's source: a path from the target model, or an expression per language code.
Field = str | Mapping[str, Expression]


@dataclass(frozen=True)
class DueReminders:
    """One sweep's reminders: which targets are due, who hears of it, and what they read."""

    kind: str | Expression  # a code, or a stage_kinds() expression over the rows
    rows: QuerySet
    # Path from the target model to the user ("holder__memberships__user"), or one user's id.
    recipient: str | int
    due_on: str  # path to the date the reminder is about
    target_repr: str  # path to the target's short text (its number or name)
    subject: Promise
    body: Promise
    fields: dict[str, Field] = field(default_factory=dict)  # placeholder → its source


def notifications_enqueue_due(*, reminders: DueReminders, now: datetime | None = None) -> int:
    """Queue every due reminder in one statement; return how many were added."""
    rows = _outbox_rows(reminders, now or timezone.now())
    select_sql, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(Notification._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in COLUMNS)
    aliases = ", ".join(connection.ops.quote_name(alias) for alias in COLUMNS.values())
    # Only quoted names and Django's compiled SELECT go into the text; values are parameters.
    # WHERE true: SQLite needs it to tell the SELECT's end from the ON CONFLICT clause.
    sql = (
        f"INSERT INTO {table} ({columns}) SELECT {aliases} FROM ({select_sql}) due "  # noqa: S608
        "WHERE true ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        added = max(cursor.rowcount, 0)
    if added:
        notifications_kick()
    return added


COLUMNS = {
    "recipient_id": "n_recipient",
    "kind": "n_kind",
    "target_type": "n_target_type",
    "target_id": "n_target_id",
    "target_repr": "n_target_repr",
    "due_on": "n_due_on",
    "language": "n_language",
    "subject": "n_subject",
    "body": "n_body",
    "status": "n_status",
    "attempts": "n_attempts",
    "last_error": "n_last_error",
    "delivered_by": "n_delivered_by",
    "next_attempt_at": "n_next_attempt_at",
    "created_at": "n_created_at",
}


def _outbox_rows(reminders: DueReminders, now: datetime) -> QuerySet:
    """The due targets × recipients, shaped as outbox rows, minus those already queued."""
    target_type = reminders.rows.model._meta.label_lower
    recipient, language = _recipient_and_language(reminders.recipient)
    rows = reminders.rows.annotate(
        n_recipient=recipient,
        n_target_id=Cast("pk", CharField()),
        n_due_on=F(reminders.due_on),
        n_language=language,
    )
    kind = reminders.kind if isinstance(reminders.kind, Expression) else Value(reminders.kind)
    rows = rows.annotate(n_kind=kind)
    already = Notification.objects.filter(
        recipient_id=OuterRef("n_recipient"),
        kind=OuterRef("n_kind"),
        target_type=target_type,
        target_id=OuterRef("n_target_id"),
        due_on=OuterRef("n_due_on"),
    )
    paths = {"target": reminders.target_repr, **reminders.fields}
    return (
        rows.filter(~Exists(already))
        .annotate(
            n_target_type=Value(target_type),
            n_target_repr=Substr(Cast(reminders.target_repr, CharField()), 1, 255),
            n_subject=Substr(_in_each_language(reminders.subject, paths), 1, 255),
            n_body=_in_each_language(reminders.body, paths),
            n_status=Value(Notification.Status.PENDING.value),
            n_attempts=Value(0),
            n_last_error=Value(""),
            n_delivered_by=Value(""),
            n_next_attempt_at=Value(now),
            n_created_at=Value(now),
        )
        .order_by()
        .values(*COLUMNS.values())
    )


def _recipient_and_language(recipient: str | int) -> tuple[Expression, Expression]:
    """The recipient's id and the language they chose (settings.USER_LANGUAGE_LOOKUP)."""
    lookup = settings.USER_LANGUAGE_LOOKUP
    if isinstance(recipient, int):
        users = get_user_model().objects.filter(pk=recipient)
        code = users.values_list(lookup, flat=True).first() or settings.LANGUAGE_CODE
        return Value(recipient), Value(code)
    language = Coalesce(
        NullIf(F(f"{recipient}__{lookup}"), Value("")),
        Value(settings.LANGUAGE_CODE),
        output_field=CharField(),
    )
    return F(recipient), language


def _in_each_language(template: Promise, paths: dict[str, Field]) -> Expression:
    """The template rendered in SQL, in the row's recipient language."""
    renderings = {}
    for code, _name in settings.LANGUAGES:
        sources = {name: _source(path, code) for name, path in paths.items()}
        with translation.override(code):
            renderings[code] = _render(str(template), sources)
    default = renderings.pop(settings.LANGUAGE_CODE, None) or next(iter(renderings.values()))
    whens = [SqlWhen(n_language=code, then=expr) for code, expr in renderings.items()]
    return SqlCase(*whens, default=default, output_field=CharField())


def _source(path: Field, language: str) -> Expression:
    """A placeholder's text for readers of `language`."""
    if isinstance(path, str):
        return Cast(path, CharField())
    return path[language] if language in path else path[settings.LANGUAGE_CODE]


def _render(text: str, sources: dict[str, Expression]) -> Expression:
    parts: list[Expression] = []
    for index, piece in enumerate(PLACEHOLDER.split(text.replace("%%", "%"))):
        if index % 2 == 0:
            if piece:
                parts.append(Value(piece))
        else:
            parts.append(sources[piece])
    if len(parts) == 1:
        return parts[0]
    return Concat(*parts, output_field=CharField())


def stage_kinds(prefix: str, due_on: str, offsets: list[int], as_of: date) -> tuple[Expression, Q]:
    """One statement for every stage: the kind per row ("<prefix>.30d") and the rows' filter."""
    windows = offset_windows(offsets, as_of)
    whens = [
        SqlWhen(**{f"{due_on}__range": (first, last)}, then=Value(f"{prefix}.{offset}d"))
        for offset, first, last in windows
    ]
    due = Q(**{f"{due_on}__range": (windows[-1][1], windows[0][2])})
    return SqlCase(*whens, output_field=CharField()), due


def offset_windows(offsets: list[int], as_of: date) -> list[tuple[int, date, date]]:
    """(offset, first day, last day) per stage: a deadline 20 days out is the 30-day stage.

    Each stage covers the days up to its offset and beyond the next nearer one, so a missed
    day still catches up and a late reminder never claims more time than is left.
    """
    ordered = sorted(set(offsets), reverse=True)
    windows = []
    for index, offset in enumerate(ordered):
        nearer = ordered[index + 1] if index + 1 < len(ordered) else -1
        windows.append((offset, as_of + timedelta(days=nearer + 1), as_of + timedelta(days=offset)))
    return windows
