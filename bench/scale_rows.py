"""The measurements behind `run_all.py`, one function per row of the table.

Each returns ours and a baseline measured now, on the same data, in the same process:
{"work", "ours_ms", "baseline", "baseline_ms", "queries", "note"}. Nothing is asserted.
"""

import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

RUNS = 9


def timed(call: Callable[[], Any], runs: int = RUNS) -> tuple[float, int]:
    """Median wall time in ms over `runs` calls after one warm-up, and the queries of one."""
    call()
    statements: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        # A write is timed inside a transaction that is rolled back, so its own atomic block
        # becomes a savepoint; in production it is a transaction of its own, whose BEGIN and
        # COMMIT are not counted either.
        if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            statements.append(sql)
        return execute(sql, params, many, context)

    # A wrapper, not CaptureQueriesContext: a request through the test client resets the log.
    with connection.execute_wrapper(count):
        call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    if os.environ.get("BENCH_SHOW_SQL"):
        print(*statements, sep="\n", file=sys.stderr)
    return statistics.median(samples), len(statements)


def _staff(username: str = "scale_caseworker0") -> Any:
    return get_user_model().objects.get(username=username)


def _admin_request(params: dict[str, str], user: Any) -> Any:
    request = RequestFactory().get("/admin/licensing/case/", params)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


class StockCaseAdmin(admin.ModelAdmin):
    """What `admin.register(Case)` gives with the obvious columns, filters and search."""

    list_display = ("reference", "kind", "applicant", "status", "assigned_to", "created_at")
    list_filter = ("status", "kind", "assigned_to")
    search_fields = ("reference", "contract_number", "applicant__name_en")


def admin_queue() -> dict[str, Any]:
    from licensing.models import Case

    user = _staff()
    ours = admin.site._registry[Case]
    stock = StockCaseAdmin(Case, admin.site)

    def render(model_admin: admin.ModelAdmin, params: dict[str, str]) -> Callable[[], Any]:
        return lambda: model_admin.changelist_view(_admin_request(params, user)).render()

    ours_ms, queries = timed(render(ours, {}))
    stock_ms, stock_queries = timed(render(stock, {}), runs=3)
    prefix = Case.objects.order_by("-pk").values_list("reference", flat=True).first()[:-3]
    search_ms, search_queries = timed(render(ours, {"q": prefix}))
    return [
        {
            "work": f"admin case queue, {Case.objects.count():,} cases",
            "ours_ms": ours_ms,
            "queries": queries,
            "baseline": f"stock ModelAdmin ({stock_queries} queries)",
            "baseline_ms": stock_ms,
        },
        {
            "work": f"admin search by reference prefix `{prefix}`",
            "ours_ms": search_ms,
            "queries": search_queries,
            "baseline": "stock ModelAdmin, same search",
            "baseline_ms": timed(render(stock, {"q": prefix}), runs=3)[0],
        },
    ]


def api_cases() -> list[dict[str, Any]]:
    from licensing.models import Case, Licence
    from registry.models import Membership

    staff, member = APIClient(), APIClient()
    staff.force_authenticate(_staff())
    biggest = (
        Membership.objects.filter(enterprise__name_en__startswith="Scale Motors")
        .order_by("enterprise_id")
        .first()
    )
    member.force_authenticate(biggest.user)
    rows = []
    for path, model in (("/api/v1/cases/", Case), ("/api/v1/licences/", Licence)):
        ours_ms, queries = timed(lambda p=path: _ok(staff.get(p)))
        base_ms, _q = timed(lambda p=path: _ok(member.get(p)))
        rows.append(
            {
                "work": f"`GET {path}` as staff, {model.objects.count():,} rows",
                "ours_ms": ours_ms,
                "queries": queries,
                "baseline": "same list as a manufacturer (exact count)",
                "baseline_ms": base_ms,
            }
        )
    auditor = APIClient()
    auditor.force_authenticate(_staff("scale_auditor0"))
    ours_ms, queries = timed(lambda: _ok(auditor.get("/api/v1/audit-events/")))
    base_ms, _q = timed(lambda: _bare("SELECT * FROM audit_auditevent ORDER BY seq DESC LIMIT 100"))
    rows.append(
        {
            "work": "`GET /api/v1/audit-events/` (cursor)",
            "ours_ms": ours_ms,
            "queries": queries,
            "baseline": "bare SQL of the page",
            "baseline_ms": base_ms,
        }
    )
    return rows


def _ok(response: Any) -> Any:
    assert response.status_code == 200, response.status_code
    return response


def _bare(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        cursor.fetchall()


def _rolled_back(call: Callable[[], Any]) -> Callable[[], Any]:
    """Run a write in a transaction that is undone, so the dataset stays as seeded."""

    def run() -> None:
        with transaction.atomic():
            call()
            transaction.set_rollback(True)

    return run


def issuance() -> list[dict[str, Any]]:
    from licensing.models import Case
    from licensing.services.issuance import licence_issue_for_case

    officer = _staff("scale_officer0")
    case = (
        Case.objects.filter(status=Case.Status.RECOMMENDED, kind=Case.Kind.LICENCE)
        .order_by("-pk")
        .first()
    )
    ours_ms, queries = timed(_rolled_back(lambda: licence_issue_for_case(case=case, actor=officer)))
    base_ms, _q = timed(_rolled_back(_write_floor))
    return [
        {
            "work": "`licence_issue_for_case`",
            "ours_ms": ours_ms,
            "queries": queries,
            "baseline": "bare INSERT + conditional UPDATE",
            "baseline_ms": base_ms,
        }
    ]


def _write_floor() -> None:
    """The physical floor of a draw-down or an issuance: one INSERT, one guarded UPDATE."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO licensing_licencenumbersequence (issuing_office_id, year, last_number) "
            "SELECT min(id), 2099, 0 FROM registry_issuingoffice"
        )
        cursor.execute(
            "UPDATE licensing_licenceline SET remaining = remaining - 1 "
            "WHERE id = (SELECT max(id) FROM licensing_licenceline) AND remaining >= 1"
        )


def _vin(serial: int) -> str:
    """A VIN with a valid ISO 3779 check digit (Chinese WMI)."""
    from registry.validators import vin_check_digit_valid

    for digit in "0123456789X":
        vin = f"LSCAB12C{digit}R{serial:07d}"
        if vin_check_digit_valid(vin):
            return vin
    raise ValueError(serial)


def declaration() -> list[dict[str, Any]]:
    from licensing.models import Licence
    from licensing.services.declarations import DeclaredLine, declaration_record

    licence = (
        Licence.objects.filter(
            status=Licence.Status.ACTIVE,
            use_mode=Licence.UseMode.MULTI,
            lines__remaining__gt=2,
            valid_from__lte=timezone.localdate(),
            valid_until__gte=timezone.localdate(),
        )
        .order_by("-pk")
        .first()
    )
    if licence is None:
        return []
    member = licence.holder.memberships.first().user
    line = licence.lines.filter(remaining__gt=2).first()
    serial = iter(range(1, 10_000_000))

    def record() -> None:
        n = next(serial)
        declaration_record(
            licence=licence,
            actor=member,
            number=f"9{n:017d}",
            declared_on=timezone.localdate(),
            lines=[
                DeclaredLine(vehicle_model_id=line.vehicle_model_id, quantity=1, vins=[_vin(n)])
            ],
        )

    ours_ms, queries = timed(_rolled_back(record))
    return [
        {
            "work": "`declaration_record` (one line, one VIN)",
            "ours_ms": ours_ms,
            "queries": queries,
            "baseline": "bare INSERT + conditional UPDATE",
            "baseline_ms": timed(_rolled_back(_write_floor))[0],
        }
    ]


def verify() -> list[dict[str, Any]]:
    from audit.chain import compute_hash
    from audit.export import COLUMNS, FIELDS
    from audit.models import AuditEvent
    from audit.verification import verify_database

    start = time.perf_counter()
    report = verify_database(key="")
    ours = (time.perf_counter() - start) * 1000
    assert report.ok, report.problems

    def tight_loop() -> int:
        count = 0
        records = AuditEvent.objects.order_by("seq").values_list(*FIELDS)
        for record in records.iterator(chunk_size=2000):
            values = [c.text(v) for c, v in zip(COLUMNS, record, strict=False)]
            count += compute_hash(values[:-1]) == values[-1]
        return count

    start = time.perf_counter()
    matched = tight_loop()
    base = (time.perf_counter() - start) * 1000
    rate = report.checked / ours * 1000
    return [
        {
            "work": f"`verify_audit`, {report.checked:,} events",
            "ours_ms": ours,
            "queries": None,
            "baseline": f"canonical hashing in a tight loop ({matched:,} rows)",
            "baseline_ms": base,
            "note": f"{rate:,.0f} rows/s",
        }
    ]


def certificate() -> list[dict[str, Any]]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from licensing.models import Licence
    from licensing.selectors import licence_for
    from licensing.services.certificate import licence_certificate_pdf

    staff = _staff()
    newest = list(Licence.objects.order_by("-pk").values_list("pk", flat=True)[: RUNS + 3])
    pk, others = newest[0], iter(newest[1:])

    def ours() -> bytes:
        return licence_certificate_pdf(licence_for(user=staff, pk=pk))

    def another() -> bytes:
        # A licence not drawn before in this process: its QR code, and the font subset of its
        # holder's names, are built afresh, as at a licence's first download.
        return licence_certificate_pdf(licence_for(user=staff, pk=next(others)))

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))

    def minimal() -> bytes:
        buffer = io.BytesIO()
        page = canvas.Canvas(buffer)
        page.setFont("STSong-Light", 12)
        page.drawString(72, 720, "中华人民共和国出口许可证 Export Licence")
        page.save()
        return buffer.getvalue()

    ours_ms, queries = timed(ours)
    first_ms, first_queries = timed(another)
    minimal_ms = timed(minimal)[0]
    return [
        {
            "work": "certificate PDF",
            "ours_ms": ours_ms,
            "queries": queries,
            "baseline": "minimal ReportLab CJK page",
            "baseline_ms": minimal_ms,
        },
        {
            "work": "certificate PDF, another licence each time",
            "ours_ms": first_ms,
            "queries": first_queries,
            "baseline": "minimal ReportLab CJK page",
            "baseline_ms": minimal_ms,
        },
    ]


ROWS: dict[str, Callable[[], list[dict[str, Any]]]] = {
    "admin": admin_queue,
    "api": api_cases,
    "issue": issuance,
    "declare": declaration,
    "certificate": certificate,
    "verify": verify,
}
