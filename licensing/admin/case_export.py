"""CSV export of the case queue as filtered on screen: a column map and a row function."""

from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.export import table_csv_stream
from audit.times import TIME_LABEL, beijing_iso
from licensing.models import Case

EXPORT_CHUNK = 500


def _name(user: Any) -> str:
    return user.get_username() if user is not None else ""


COLUMNS: list[tuple[Any, Callable[[Case], Any]]] = [
    (_("Reference"), lambda c: c.reference),
    (_("Kind"), lambda c: c.get_kind_display()),
    (_("Applicant"), lambda c: c.applicant.name_en),
    (_("Unified social credit code"), lambda c: c.applicant.uscc),
    (_("Destination"), lambda c: c.destination_id or ""),
    (_("Contract"), lambda c: c.contract_number),
    (_("Status"), lambda c: c.get_status_display()),
    (_("Priority"), lambda c: c.get_priority_display()),
    (_("Assigned to"), lambda c: _name(c.assigned_to)),
    (None, lambda c: beijing_iso(c.submitted_at)),  # "Submitted (Beijing time)"
    (_("SLA due"), lambda c: c.sla_due_on.isoformat() if c.sla_due_on else ""),
]


def header() -> list[str]:
    """Column titles in the reader's language; the time column says its time zone."""
    submitted = f"{_('Submitted')} ({TIME_LABEL})"
    return [str(title) if title is not None else submitted for title, _row in COLUMNS]


def rows(queryset: QuerySet) -> Iterator[list[Any]]:
    """One list of cells per case, read in chunks without a query per row."""
    cases = queryset.select_related("applicant", "assigned_to").order_by("-pk")
    for case in cases.iterator(chunk_size=EXPORT_CHUNK):
        yield [cell(case) for _title, cell in COLUMNS]


def export_response(queryset: QuerySet) -> StreamingHttpResponse:
    """Stream the filtered queue as a CSV download."""
    response = StreamingHttpResponse(
        table_csv_stream(header(), rows(queryset)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
