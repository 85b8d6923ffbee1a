"""Write rows of plain values into a model's table: COPY on PostgreSQL, batched INSERTs else.

Rows bypass the ORM's per-object work (no `save()`, no signals, no auto_now), so callers set
every value themselves, primary keys included; `reset_sequences` then moves each table's id
sequence past what was loaded.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import IntegrityError, connection, models
from django.db.models import NOT_PROVIDED

INSERT_BATCH = 2000


class Table:
    """A model's concrete columns, with the value each takes when a row does not name it."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.base = [_default(f) for f in self.fields]
        self.position = {f.attname: n for n, f in enumerate(self.fields)}

    def row(self, **values: Any) -> list[Any]:
        """Return one row in column order; an unknown name is a KeyError, not a silent drop."""
        row = self.base.copy()
        for name, value in values.items():
            row[self.position[name]] = value
        return row


def _default(field: models.Field) -> Any:
    if field.default is not NOT_PROVIDED:
        return field.default() if callable(field.default) else field.default
    if field.null:
        return None
    if isinstance(field, (models.CharField, models.TextField)):
        return ""
    return None


def write(table: Table, rows: Sequence[list[Any]]) -> int:
    """Insert the rows into the table in the current transaction; return how many."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        _copy(table, rows)
    else:
        _insert(table, rows)
    return len(rows)


def _copy(table: Table, rows: Iterable[list[Any]]) -> None:
    names = ", ".join(connection.ops.quote_name(c) for c in table.columns)
    statement = f"COPY {connection.ops.quote_name(table.model._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _insert(table: Table, rows: Sequence[list[Any]]) -> None:
    # JSON columns already hold their canonical text; every other value is adapted as the
    # ORM would adapt it (datetimes, decimals, booleans).
    prepare = [
        None if isinstance(f, models.JSONField) else f.get_db_prep_save for f in table.fields
    ]
    names = ", ".join(connection.ops.quote_name(c) for c in table.columns)
    marks = ", ".join(["%s"] * len(table.columns))
    sql = f"INSERT INTO {connection.ops.quote_name(table.model._meta.db_table)} ({names}) "
    sql += f"VALUES ({marks})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            cursor.executemany(
                sql,
                [
                    [
                        v if p is None else p(v, connection)
                        for p, v in zip(prepare, row, strict=True)
                    ]
                    for row in batch
                ],
            )


def relax_checks() -> bool:
    """Speed up the current transaction's load; return True if foreign keys go unchecked.

    On PostgreSQL the commit is not waited for on disk (still durable once the WAL writer
    flushes: a crash loses at most the last chunk, never its consistency), and where the
    role may, `session_replication_role = replica` stops the per-row foreign-key triggers
    (every other trigger here fires ALWAYS); `check_references` then checks the chunk's keys
    set-based before the commit.
    """
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def check_references(ranges: dict[type[models.Model], tuple[int, int]]) -> None:
    """Raise IntegrityError if a row with a key in [first, stop) points at nothing."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, (first, stop) in ranges.items():
            if first >= stop:
                continue
            for field in model._meta.concrete_fields:
                if not (field.is_relation and field.db_constraint):
                    continue
                target = field.target_field
                child, column = quote(model._meta.db_table), quote(field.column)
                parent = quote(target.model._meta.db_table)
                key = quote(target.column)
                pk = quote(model._meta.pk.column)
                cursor.execute(
                    f"SELECT c.{pk} FROM {child} c WHERE c.{pk} >= %s AND c.{pk} < %s "  # noqa: S608
                    f"AND c.{column} IS NOT NULL AND NOT EXISTS "
                    f"(SELECT 1 FROM {parent} p WHERE p.{key} = c.{column}) LIMIT 1",
                    [first, stop],
                )
                orphan = cursor.fetchone()
                if orphan is not None:
                    raise IntegrityError(
                        f"{model._meta.label} {orphan[0]}: {field.name} points at no row"
                    )


def next_id(model: type[models.Model]) -> int:
    """Return the first free primary key of a table."""
    last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    """Move each table's id sequence past the rows loaded with explicit keys."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# Read through index-only scans (the queue counts): a freshly loaded table has no visibility
# map, so until a VACUUM every "index-only" row still visits its heap page.
VACUUMED = ("licensing_case",)


def analyse() -> None:
    """Give the planner statistics (autovacuum may be off) and the queue its visibility map."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            for table in VACUUMED:
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
        cursor.execute("ANALYZE")
