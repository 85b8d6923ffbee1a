"""Benchmark: obligations over a large exported fleet, against bare SQL on the same data.

    DATABASE_URL=postgres://.../evl_obligations .venv/bin/python bench/obligations.py

Migrates, builds a world of 50 manufacturers × 2 brands × 20 countries with outlets and
commitments (some markets deliberately missing one), registers a small fleet through the
service, then COPYs exported vehicles up to --vehicles (default 1,000,000) and ANALYZEs.
It prints, each next to a baseline measured in the same run on the same data:
  full recompute (first pass writes every obligation, second finds nothing changed)
    vs the bare GROUP BY the recompute starts from; peak RSS growth of the process
  incremental update after one 10-car declaration: time and query count at the small
    fleet and at the full fleet (the count must not grow), vs the bare SQL floor of inserting
    the 10 cars and re-reading their market's count and last warranty end
  the public coverage check: queries and time vs a bare lookup of the VIN
"""

import argparse
import os
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")  # no query log: it would distort the figures

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from aftersales.coverage import vehicle_coverage  # noqa: E402
from aftersales.models import ExportedVehicle, Obligation  # noqa: E402
from aftersales.services import exported_vehicles_register, obligations_recompute  # noqa: E402
from registry.models import Brand, Country, VehicleModel  # noqa: E402

ENTERPRISES, BRANDS_EACH, COUNTRIES = 50, 2, 20
CODES = ["FR", "DE", "TH", "BR", "ES", "IT", "NL", "BE", "SE", "NO",
         "DK", "PL", "AU", "NZ", "MX", "CL", "IL", "AE", "SG", "MY"]  # fmt: skip
ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
START = date(2026, 1, 5)
COLUMNS = (
    "vin, enterprise_id, brand_id, vehicle_model_id, country_id, licence_number, "
    "declaration_number, exported_on, warranty_months, warranty_ends_on, created_at"
)


def world() -> list[tuple[int, int, int]]:
    """Create (once) the enterprises, brands, models and networks; return (e, brand, model)."""
    from tests.aftersales.factories import serve_market
    from tests.registry.factories import BrandFactory, EnterpriseFactory, VehicleModelFactory

    if not Brand.objects.filter(name__startswith="Bench").exists():
        for code in CODES:
            Country.objects.get_or_create(code=code)
        for e in range(ENTERPRISES):
            maker = EnterpriseFactory(kind="manufacturer", name_en=f"Bench Motors {e}")
            for b in range(BRANDS_EACH):
                brand = BrandFactory(manufacturer=maker, name=f"Bench {e}-{b}")
                VehicleModelFactory(brand=brand)
                for n, code in enumerate(CODES):
                    if (e + b + n) % 7:  # one market in seven has no network at all
                        serve_market(enterprise=maker, brand=brand, country_code=code)
    rows = VehicleModel.objects.filter(brand__name__startswith="Bench").values_list(
        "brand__manufacturer_id", "brand_id", "pk"
    )
    return sorted(rows)


def vin(n: int) -> str:
    digits = []
    for _ in range(8):
        n, r = divmod(n, len(ALPHABET))
        digits.append(ALPHABET[r])
    return "WBE" + "0A1B2C" + "".join(reversed(digits))


def fill(target: int, markets: list[tuple[int, int, int]]) -> None:
    """COPY vehicles until the fleet holds `target`, spread over every market and 3 years."""
    have = ExportedVehicle.objects.count()
    if have >= target:
        return
    started = time.perf_counter()
    statement = f"COPY aftersales_exportedvehicle ({COLUMNS}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for n in range(have, target):
            enterprise, brand, model = markets[n % len(markets)]
            exported = START + timedelta(days=n % 1000)
            copy.write_row(
                    (vin(n + 10_000_000), enterprise, brand, model, CODES[(n // 7) % COUNTRIES],
                     "26-11-000001", f"{n:018d}", exported, 24,
                     exported + timedelta(days=730), "2026-01-01T00:00:00Z")
                )  # fmt: skip
    with connection.cursor() as cursor:
        # VACUUM as autovacuum would after a bulk load: it sets the visibility map that
        # index-only scans need.
        cursor.execute("VACUUM ANALYZE aftersales_exportedvehicle")
    print(f"loaded {target - have:,} vehicles in {time.perf_counter() - started:.1f} s")


@contextmanager
def counted() -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block (without DEBUG's query log)."""
    statements: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield statements


def timed(fn, runs: int = 3) -> float:  # type: ignore[no-untyped-def]
    """Median seconds of `runs` calls."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bare_group_by() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT enterprise_id, brand_id, country_id, max(warranty_ends_on), count(*) "
            "FROM aftersales_exportedvehicle GROUP BY 1, 2, 3"
        )
        cursor.fetchall()


def declaration(markets: list[tuple[int, int, int]], serial: list[int]) -> int:
    """Register one 10-car declaration through the service; return the queries it took."""
    enterprise, brand, model = markets[0]
    serial[0] += 10
    with counted() as queries:
        exported_vehicles_register(
            actor=None, enterprise_id=enterprise, brand_id=brand, country_id="FR",
            licence_number="26-11-000002", declaration_number=f"9{serial[0]:017d}",
            exported_on=date(2026, 6, 1),
            vehicles=[(vin(serial[0] + i), model) for i in range(10)],
        )  # fmt: skip
    return len(queries)


def bare_declaration(markets: list[tuple[int, int, int]], serial: list[int]) -> None:
    """The floor for one declaration: insert its 10 cars, re-read its market's count and end."""
    enterprise, brand, model = markets[0]
    serial[0] += 10
    rows = [
        (vin(serial[0] + i), enterprise, brand, model, "FR", "26-11-000002",
         f"8{serial[0]:017d}", date(2026, 6, 1), 24, date(2028, 5, 31), "2026-01-01T00:00:00Z")
        for i in range(10)
    ]  # fmt: skip
    values = ", ".join(["(" + ", ".join(["%s"] * 11) + ")"] * len(rows))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO aftersales_exportedvehicle ({COLUMNS}) VALUES {values}",
            [value for row in rows for value in row],
        )
        cursor.execute(
            "SELECT max(warranty_ends_on), count(*) FROM aftersales_exportedvehicle "
            "WHERE enterprise_id = %s AND brand_id = %s AND country_id = 'FR'",
            [enterprise, brand],
        )
        cursor.fetchall()


def incremental(label: str, markets: list[tuple[int, int, int]], serial: list[int]) -> None:
    counts: list[int] = []
    seconds = timed(lambda: counts.append(declaration(markets, serial)), runs=5)
    baseline = timed(lambda: bare_declaration(markets, serial), runs=5)
    print(f"incremental after one declaration ({label}): {seconds * 1000:.1f} ms, "
          f"{counts[-1]} queries (bare insert + market count {baseline * 1000:.1f} ms, "
          f"x{seconds / baseline:.1f})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vehicles", type=int, default=1_000_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL.")
    call_command("migrate", verbosity=0)
    markets = world()
    serial = [ExportedVehicle.objects.filter(vin__startswith="WBE").count() + 50_000_000]
    fill(min(args.vehicles, 1000), markets)
    incremental(f"fleet of {ExportedVehicle.objects.count():,}", markets, serial)
    fill(args.vehicles, markets)
    Obligation.objects.all().delete()
    baseline = timed(bare_group_by)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    first = timed(lambda: obligations_recompute(), runs=1)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - rss
    again = timed(lambda: obligations_recompute())
    fleet = ExportedVehicle.objects.count()
    print(f"fleet {fleet:,} vehicles, {Obligation.objects.count():,} obligations")
    print(f"bare GROUP BY baseline: {baseline:.2f} s")
    print(
        f"full recompute, first pass: {first:.2f} s (x{first / baseline:.2f}), RSS +{grown:.0f} MB"
    )
    print(f"full recompute, unchanged:  {again:.2f} s (x{again / baseline:.2f})")
    incremental(f"fleet of {fleet:,}", markets, serial)
    check_coverage()


def check_coverage() -> None:
    target = ExportedVehicle.objects.order_by("-pk").values_list("vin", flat=True).first()

    def bare() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM aftersales_exportedvehicle WHERE vin = %s", [target])
            cursor.fetchall()

    with counted() as queries:
        vehicle_coverage(vin=target)
    ours, base = timed(lambda: vehicle_coverage(vin=target), 21), timed(bare, 21)
    print(f"public check: {len(queries)} queries, {ours * 1000:.2f} ms "
          f"(bare VIN lookup {base * 1000:.2f} ms, x{ours / base:.1f})")  # fmt: skip


if __name__ == "__main__":
    main()
