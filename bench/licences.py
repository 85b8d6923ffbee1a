"""Benchmark: issue N licences and draw each down once, through the real services.

Usage (a database of its own, created if missing by `migrate`):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evl_bench python bench/licences.py [N]

Bulk-creates N approved licence cases (two goods lines each) once, then issues a licence
for each with `licence_issue_for_case` and records one two-line declaration against each
with `declaration_record`, every call in its own transaction as in production. Prints the
query count per operation and the median, 95th percentile and total times.
"""

import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum.cn import uscc  # noqa: E402

from licensing.models import Case, CaseLine, Licence  # noqa: E402
from licensing.services.declarations import DeclaredLine, declaration_record  # noqa: E402
from licensing.services.issuance import licence_issue_for_case  # noqa: E402
from registry.models import (  # noqa: E402
    Brand,
    Country,
    Enterprise,
    IssuingOffice,
    Membership,
    VehicleModel,
)
from registry.validators import vin_check_digit_valid  # noqa: E402

RUN = uuid.uuid4().hex[:6].upper()
RUN_DIGITS = f"{int(time.time()) % 100_000:05d}"


def world() -> dict:
    """The enterprise, models, users and offices every case uses (created once)."""
    office, _ = IssuingOffice.objects.get_or_create(
        code="91", defaults={"name": "Bench office", "province": "Bench"}
    )
    Country.objects.get_or_create(code="FR")
    body = "91310000BENCH0001"
    enterprise, _ = Enterprise.objects.get_or_create(
        uscc=body + uscc.calc_check_digit(body),
        defaults={
            "name_zh": "基准汽车有限公司",
            "name_en": "Bench Motors",
            "kind": "manufacturer",
            "miit_catalogue_number": "MIIT-BENCH",
            "issuing_office": office,
        },
    )
    brand, _ = Brand.objects.get_or_create(name="Bench", defaults={"manufacturer": enterprise})
    models = [
        VehicleModel.objects.get_or_create(
            brand=brand, name=name, defaults={"powertrain": "BEV", "hs_code": "8703801090"}
        )[0]
        for name in ("B1", "B2")
    ]
    users = get_user_model().objects
    member, _ = users.get_or_create(username="bench-member")
    Membership.objects.get_or_create(user=member, defaults={"enterprise": enterprise})
    officer, _ = users.get_or_create(username="bench-officer", defaults={"is_staff": True})
    officer.groups.add(*Group.objects.filter(name="licensing_officer"))
    return {
        "enterprise": enterprise,
        "brand": brand,
        "models": models,
        "member": member,
        "officer": officer,
    }


def approved_cases(w: dict, n: int) -> list[Case]:
    """Bulk-create n approved multi-use licence cases with two lines each."""
    today = timezone.localdate()
    cases = Case.objects.bulk_create(
        [
            Case(
                reference=f"BN-{RUN}-{i:06d}",
                kind=Case.Kind.LICENCE,
                applicant=w["enterprise"],
                status=Case.Status.APPROVED,
                brand=w["brand"],
                destination_id="FR",
                customs_port="Shanghai Yangshan",
                trade_mode="general",
                contract_number=f"B{RUN}{i:06d}",
                payment_terms="T/T",
                transport_mode="sea",
                use_mode=Case.UseMode.MULTI,
                valid_from=today,
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    CaseLine.objects.bulk_create(
        [
            CaseLine(case=case, vehicle_model=model, quantity=10, unit_price_usd=Decimal("25000"))
            for case in cases
            for model in w["models"]
        ],
        batch_size=4000,
    )
    return cases


def vin(serial: int) -> str:
    """A Chinese-WMI VIN with its check digit (position 9), unique to this run."""
    body = f"LBN{RUN[:5]}0T{serial:07d}"
    for digit in "0123456789X":
        candidate = body[:8] + digit + body[9:]
        if vin_check_digit_valid(candidate):
            return candidate
    raise ValueError(body)


def measure(label: str, calls: list[Callable[[], object]]) -> None:
    """Run each call in its own transaction; print queries per call and timings."""
    times, queries = [], []
    started = time.perf_counter()
    for call in calls:
        connection.queries_log.clear()  # the log keeps 9000 queries; counts need it short
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            with transaction.atomic():
                call()
            times.append(time.perf_counter() - t0)
        queries.append(len(captured.captured_queries))
    total = time.perf_counter() - started
    times.sort()
    print(
        f"{label:<22} n={len(calls):>6}  queries/op min {min(queries)} max {max(queries)}"
        f" mean {statistics.mean(queries):.1f}  median {statistics.median(times) * 1000:.2f} ms"
        f"  p95 {times[int(len(times) * 0.95) - 1] * 1000:.2f} ms  total {total:.1f} s"
        f"  ({len(calls) / total:.0f}/s)"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    call_command("migrate", verbosity=0)
    w = world()
    print(f"database: {connection.vendor}; run {RUN}; creating {n} approved cases")
    cases = approved_cases(w, n)
    measure(
        "licence_issue_for_case",
        [lambda c=c: licence_issue_for_case(case=c, actor=w["officer"]) for c in cases],
    )
    licences = list(Licence.objects.filter(case__in=cases).order_by("pk"))
    models = [m.pk for m in w["models"]]
    today = timezone.localdate()

    def declare(index: int, licence: Licence) -> None:
        declaration_record(
            licence=licence,
            actor=w["member"],
            number=f"9{RUN_DIGITS}{index:012d}",
            declared_on=today,
            lines=[
                DeclaredLine(models[0], 2, [vin(index * 3), vin(index * 3 + 1)]),
                DeclaredLine(models[1], 1, [vin(index * 3 + 2)]),
            ],
        )

    measure(
        "declaration_record",
        [lambda i=i, lic=lic: declare(i, lic) for i, lic in enumerate(licences)],
    )


if __name__ == "__main__":
    main()
