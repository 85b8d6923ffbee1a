"""CSV export of audit events: one column map and row function for every entry point.

Two byte-identical paths: on PostgreSQL the rows are rendered and escaped in SQL and
streamed with ``COPY ... TO STDOUT``; elsewhere a chunked ``values_list`` iterator does the
same in Python. Both quote every cell (RFC 4180, LF line ends) after a UTF-8 BOM.
"""

import csv
import hashlib
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connections
from django.db.models import QuerySet

from audit.chain import CSV_COLUMNS, FORMULA_TRIGGERS, escape_cell, format_time

BOM = "\ufeff".encode()
CHUNK_ROWS = 1000
COPY_BLOCK_BYTES = 256 * 1024


@dataclass(frozen=True)
class Column:
    """One exported column: its model field, its Python rendering and its SQL rendering."""

    name: str
    field: str
    text: Callable[[Any], str]
    sql: str  # over the subquery alias t
    # False where no value can start with a formula trigger (digits, hex, addresses), so
    # SQL skips the test; Python still escapes every cell, a no-op there.
    escapable: bool = True
    # An integer column, whose text can start with a trigger only as a negative number.
    numeric: bool = False


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def _time(value: datetime) -> str:
    return format_time(value)


UTC_ISO = """to_char(t.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""

COLUMNS = (
    Column("seq", "seq", _plain, "t.seq::text", escapable=False),
    Column("occurred_at", "occurred_at", _time, UTC_ISO, escapable=False),
    Column("actor", "actor_label", _plain, "t.actor_label::text"),
    Column("actor_id", "actor_id", _plain, "COALESCE(t.actor_id::text, '')", escapable=False),
    Column("verb", "verb", _plain, "t.verb::text"),
    Column("target_type", "target_type", _plain, "t.target_type::text"),
    Column("target_id", "target_id", _plain, "t.target_id::text"),
    Column("target_repr", "target_repr", _plain, "t.target_repr::text"),
    Column(
        "enterprise_id",
        "enterprise_id",
        _plain,
        "COALESCE(t.enterprise_id::text, '')",
        numeric=True,
    ),
    Column("payload", "payload_text", _plain, "t.payload_text"),
    Column("ip", "ip", _plain, "COALESCE(host(t.ip), '')", escapable=False),
    Column(
        "hash_version",
        "hash_version",
        _plain,
        "COALESCE(t.hash_version::text, '')",
        escapable=False,
    ),
    Column("prev_hash", "prev_hash", _plain, "t.prev_hash::text", escapable=False),
    Column("hash", "hash", _plain, "t.hash::text", escapable=False),
)
HEADER = tuple(c.name for c in COLUMNS)
FIELDS = tuple(c.field for c in COLUMNS)
if HEADER != CSV_COLUMNS:  # pragma: no cover - the offline verifier reads CSV_COLUMNS
    raise RuntimeError("export columns drifted from audit.chain.CSV_COLUMNS")


def csv_row(record: Iterable[Any]) -> list[str]:
    """Render one values_list record (FIELDS order) as escaped CSV cells."""
    return [escape_cell(c.text(v)) for c, v in zip(COLUMNS, record, strict=True)]


def _csv_lines(rows: Iterable[Iterable[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def header_bytes() -> bytes:
    """Return the BOM and header line every export starts with."""
    return BOM + _csv_lines([HEADER])


def ordered(queryset: QuerySet) -> QuerySet:
    """Order an export the way the chain runs."""
    return queryset.order_by("seq")


def python_stream(queryset: QuerySet) -> Iterator[bytes]:
    """Yield the CSV in blocks of CHUNK_ROWS rows from a values_list iterator."""
    yield header_bytes()
    rows: list[list[str]] = []
    for record in ordered(queryset).values_list(*FIELDS).iterator(chunk_size=CHUNK_ROWS):
        rows.append(csv_row(record))
        if len(rows) == CHUNK_ROWS:
            yield _csv_lines(rows)
            rows = []
    if rows:
        yield _csv_lines(rows)


# Code points of the formula triggers: ascii() reads the first character in place, where
# left() copied it into a new text for each of seven text comparisons. PostgreSQL tests a
# constant list of nine or more by one hash probe instead of one call per element, so the
# list is padded to nine with repeats (a repeat changes nothing in IN).
_TRIGGER_CODES = ", ".join(
    str(ord(trigger)) for trigger in (FORMULA_TRIGGERS * 2)[: max(9, len(FORMULA_TRIGGERS))]
)


def _escaped_sql(column: "Column") -> str:
    expression = column.sql
    if column.numeric:
        # Only a minus sign can start a number's text: one integer comparison per row.
        test = f"t.{column.field} < 0"
    else:
        test = f"ascii({expression}) IN ({_TRIGGER_CODES})"
    return f"CASE WHEN {test} THEN '''' || {expression} ELSE {expression} END"


def copy_sql(queryset: QuerySet) -> str:
    """Return the COPY statement exporting a queryset, with escaping done in SQL."""
    inner = queryset.order_by().values_list(*FIELDS)
    sql, params = inner.query.sql_with_params()
    connection = connections[queryset.db]
    inner_sql = connection.ops.compose_sql(sql, params)
    select = ", ".join(_escaped_sql(c) if c.escapable else c.sql for c in COLUMNS)
    aliases = ", ".join(FIELDS)
    # Our own column expressions; the queryset's SQL and parameters were composed by Django.
    return (
        f"COPY (SELECT {select} FROM ({inner_sql}) AS t({aliases}) ORDER BY t.seq) "  # noqa: S608
        "TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *)"
    )


def copy_stream(queryset: QuerySet) -> Iterator[bytes]:
    """Yield the CSV streamed by PostgreSQL COPY, in blocks of about COPY_BLOCK_BYTES."""
    yield header_bytes()
    statement = copy_sql(queryset)
    with connections[queryset.db].cursor() as cursor, cursor.cursor.copy(statement) as copy:
        # Rows arrive one message each: join them once per block instead of growing a
        # buffer and copying it out again.
        block: list[memoryview] = []
        size = 0
        for data in copy:
            block.append(data)
            size += len(data)
            if size >= COPY_BLOCK_BYTES:
                yield b"".join(block)
                block, size = [], 0
        if block:
            yield b"".join(block)


def csv_stream(queryset: QuerySet) -> Iterator[bytes]:
    """Yield an export of the queryset by the fastest path the database offers."""
    if connections[queryset.db].vendor == "postgresql":
        return copy_stream(queryset)
    return python_stream(queryset)


class Digest:
    """Pass a byte stream through while computing its SHA-256 and size."""

    def __init__(self) -> None:
        self.sha256 = hashlib.sha256()
        self.size = 0

    def watch(self, blocks: Iterable[bytes]) -> Iterator[bytes]:
        """Yield the blocks unchanged, hashing them on the way."""
        for block in blocks:
            self.sha256.update(block)
            self.size += len(block)
            yield block


def table_csv_stream(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[bytes]:
    """Stream any table as CSV in the audit export's dialect: BOM, all quoted, escaped cells."""
    yield BOM
    yield _csv_lines([[escape_cell(str(cell)) for cell in header]])
    chunk: list[list[str]] = []
    for row in rows:
        chunk.append([escape_cell("" if cell is None else str(cell)) for cell in row])
        if len(chunk) >= CHUNK_ROWS:
            yield _csv_lines(chunk)
            chunk = []
    if chunk:
        yield _csv_lines(chunk)
