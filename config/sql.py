"""INSERT statements compiled by Django, for the few writes that chain several in one trip.

On PostgreSQL a data-modifying WITH runs several inserts (and an update) as one statement;
Django compiles each insert, so values are prepared exactly as ``bulk_create`` would.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.db.models.sql import InsertQuery


def compiled_insert(
    model: type[Model],
    objs: Sequence[Model],
    *,
    connection: BaseDatabaseWrapper,
    returning: Iterable[str] = (),
) -> tuple[str, tuple[Any, ...]]:
    """Return the SQL and parameters of one INSERT of the objects (RETURNING the fields named).

    A field's value may be an expression, e.g. ``RawSQL("(SELECT id FROM earlier)", ())``
    naming the rows an earlier part of the same WITH statement inserted.
    """
    query = InsertQuery(model)
    query.insert_values([f for f in model._meta.concrete_fields if not f.primary_key], objs)
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [model._meta.get_field(name) for name in returning] or None
    [(sql, params)] = compiler.as_sql()
    return sql, tuple(params)
