"""Benchmark: the caseworker queue changelist over 100k cases on PostgreSQL.

Usage (a database of its own, created if missing by `migrate`):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evl_bench python bench/queue_changelist.py

Bulk-creates the cases once (fast `bulk_create`, not the services, plus the SLA clock events
the case list reads), logs a caseworker in with the test client and renders the changelist
unfiltered, through queue filters, deep pages and a search. Prints the median render time
over several runs and the query count of each view for page sizes 20 and 100.
"""

import hashlib
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum.cn import uscc  # noqa: E402

from audit.models import AuditEvent, ChainHead  # noqa: E402
from licensing.admin.cases import CaseAdmin  # noqa: E402
from licensing.models import Case  # noqa: E402
from registry.models import Country, Enterprise, IssuingOffice  # noqa: E402
from registry.roles import CASEWORKER  # noqa: E402

CASES = int(os.environ.get("BENCH_CASES", "100000"))
ENTERPRISES = 300
CASEWORKERS = 12
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
BATCH = 5000
S = Case.Status
# A ministry's table after a few years: nearly everything closed, a few hundred open.
STATUS_WEIGHTS = {
    S.DRAFT: 2,
    S.SUBMITTED: 1,
    S.UNDER_REVIEW: 1.5,
    S.INFO_REQUESTED: 0.5,
    S.RECOMMENDED: 0.5,
    S.APPROVED: 80,
    S.REFUSED: 8,
    S.WITHDRAWN: 6.5,
}
CLOSED = {S.APPROVED, S.REFUSED, S.WITHDRAWN}


def main() -> None:
    """Build the data set if needed, then measure and print."""
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: this benchmark is for PostgreSQL.")
    call_command("migrate", verbosity=0)
    caseworkers = _caseworkers()
    _populate(caseworkers)
    client = Client()
    client.force_login(caseworkers[0])
    print(f"{Case.objects.count():,} cases, {AuditEvent.objects.count():,} audit events")
    print(f"page size {CaseAdmin.list_per_page}; median of {RUNS} runs; load {_load()}")
    print(f"{'view':28} {'render ms':>9} {'SQL ms':>7} {'queries/20':>10} {'queries/100':>11}")
    for label, params in VIEWS:
        median, sql_ms = _median_ms(client, params)
        queries = [_queries(client, params, size) for size in (20, 100)]
        print(f"{label:28} {median:9.1f} {sql_ms:7.1f} {queries[0]:10d} {queries[1]:11d}")


VIEWS = [
    ("unfiltered, page 1", {}),
    ("queue: my cases", {"queue": "mine"}),
    ("queue: unassigned", {"queue": "unassigned"}),
    ("queue: overdue", {"queue": "overdue"}),
    ("status filter: approved", {"status__exact": "approved"}),
    ("unfiltered, page 500", {"p": "500"}),
    ("search: reference prefix", {"q": "BN-2026-0099"}),
]
URL = "/admin/licensing/case/"


def _median_ms(client: Client, params: dict) -> tuple[float, float]:
    """Median wall time of a full render, and median time spent in the database."""
    client.get(URL, params)  # warm the caches and the connection
    timings, sql = [], []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(URL, params)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
        sql.append(sum(float(q["time"]) for q in captured) * 1000)
    return statistics.median(timings), statistics.median(sql)


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def _queries(client: Client, params: dict, page_size: int) -> int:
    original = CaseAdmin.list_per_page
    CaseAdmin.list_per_page = page_size
    try:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, params)
        assert response.status_code == 200, response.status_code
    finally:
        CaseAdmin.list_per_page = original
    return len(captured)


def _caseworkers() -> list:
    User = get_user_model()
    group = Group.objects.get(name=CASEWORKER)
    users = []
    for n in range(CASEWORKERS):
        user, _created = User.objects.get_or_create(
            username=f"bench_cw{n}", defaults={"is_staff": True}
        )
        user.groups.add(group)
        users.append(user)
    return users


def _populate(caseworkers: list) -> None:
    existing = Case.objects.count()
    if existing >= CASES:
        _move_chain_head()
        return
    rng = random.Random(2026)
    enterprises = _enterprises()
    countries = _countries()
    statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    next_seq = (AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    for start in range(existing, CASES, BATCH):
        cases = [
            _case(rng, n, enterprises, countries, caseworkers, rng.choices(statuses, weights)[0])
            for n in range(start, min(start + BATCH, CASES))
        ]
        Case.objects.bulk_create(cases)
        events = _clock_events(cases, next_seq)
        AuditEvent.objects.bulk_create(events)
        next_seq += len(events)
        print(f"  created {start + len(cases):,} cases", file=sys.stderr)
    _move_chain_head()
    with connection.cursor() as cursor:
        # What autovacuum would have done by now: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE licensing_case")
        cursor.execute("VACUUM ANALYZE audit_auditevent")


def _move_chain_head() -> None:
    # Later real events (a login, say) must append after the bulk-inserted ones.
    last = AuditEvent.objects.order_by("-seq").first()
    if last is not None:
        ChainHead.objects.update_or_create(pk=1, defaults={"seq": last.seq, "hash": last.hash})


def _enterprises() -> list[Enterprise]:
    office, _created = IssuingOffice.objects.get_or_create(
        code="31", defaults={"name": "Shanghai Commission of Commerce", "province": "Shanghai"}
    )
    found = list(Enterprise.objects.filter(name_en__startswith="Bench Motors"))
    if found:
        return found
    rows = []
    for n in range(ENTERPRISES):
        body = f"913100009{n:08d}"
        rows.append(
            Enterprise(
                name_zh=f"基准汽车{n}有限公司",
                name_en=f"Bench Motors {n:03d}",
                uscc=body + uscc.calc_check_digit(body),
                kind=Enterprise.Kind.MANUFACTURER,
                miit_catalogue_number=f"MIIT-B-{n:03d}",
                issuing_office=office,
            )
        )
    return Enterprise.objects.bulk_create(rows)


def _countries() -> list[Country]:
    for code in ("FR", "DE", "TH", "BR", "AU", "MX"):
        Country.objects.get_or_create(code=code)
    return list(Country.objects.all())


def _case(rng, n, enterprises, countries, caseworkers, status) -> Case:  # type: ignore[no-untyped-def]
    now = timezone.now()
    created = now - timedelta(days=(CASES - n) * 1000 / CASES, minutes=rng.randint(0, 600))
    submitted = None if status == S.DRAFT else created + timedelta(hours=2)
    assessed = status not in (S.DRAFT, S.SUBMITTED)
    late = status not in CLOSED and status not in (S.DRAFT, S.INFO_REQUESTED)
    return Case(
        reference=f"BN-2026-{n:07d}",
        kind=Case.Kind.LICENCE,
        applicant=rng.choice(enterprises),
        destination=rng.choice(countries),
        status=status,
        created_at=created,
        submitted_at=submitted,
        assigned_to=rng.choice(caseworkers) if assessed else None,
        sla_due_on=(now + timedelta(days=rng.randint(-4, 4))).date() if late else None,
        contract_number=f"CT-{n:07d}",
        customs_port="Shanghai Yangshan",
    )


def _clock_events(cases: list[Case], first_seq: int) -> list[AuditEvent]:
    """The events the SLA clock reads: submitted, and decided/withdrawn for closed cases."""
    events = []
    for case in cases:
        if case.submitted_at is None:
            continue
        verbs = ["licensing.case.submitted"]
        if case.status in CLOSED:
            verbs.append(
                "licensing.case.withdrawn"
                if case.status == S.WITHDRAWN
                else "licensing.case.decided"
            )
        for offset, verb in enumerate(verbs):
            seq = first_seq + len(events)
            events.append(
                AuditEvent(
                    seq=seq,
                    occurred_at=case.submitted_at + timedelta(days=offset * 2),
                    actor_label="bench",
                    verb=verb,
                    target_type="licensing.case",
                    target_id=str(case.pk),
                    target_repr=case.reference,
                    enterprise_id=case.applicant_id,
                    payload={},
                    prev_hash="0" * 64,
                    # Not a real chain: this database exists only to be measured.
                    hash=hashlib.sha256(f"bench-{seq}".encode()).hexdigest(),
                )
            )
    return events


if __name__ == "__main__":
    main()
