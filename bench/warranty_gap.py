"""Benchmark: the warranty-gap sweep against the bare SQL that writes the same rows (PostgreSQL).

Usage (the database of bench/reminders.py; loaded once, reused by later runs):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evl_reminders_bench \\
        python bench/warranty_gap.py [--licences 1000000] [--commitments 200000] [--rounds 3]

Loads the world of bench/reminders.py, then one exported car per warranty commitment whose
warranty ends 200 days after the commitment (so every due, unrenewed commitment is a gap),
then ANALYZE, and compares warranty_outlives_warranty_commitment with hand-written SQL.
"""

import argparse
import sys

from reminders import AS_OF, COLUMNS, OUTBOX, _execute, compare, connection, load, settings

from aftersales.sweeps import warranty_outlives_warranty_commitment
from notifications.bulk import offset_windows

VEHICLES_SQL = (
    "INSERT INTO aftersales_exportedvehicle (vin, enterprise_id, brand_id, vehicle_model_id, "
    "country_id, licence_number, declaration_number, exported_on, warranty_months, "
    "warranty_ends_on, created_at) SELECT 'BENCH' || lpad(w.id::text, 12, '0'), "
    "w.enterprise_id, w.brand_id, m.id, w.country_id, '26-91-000001', '', "
    "w.valid_until - 300, 24, w.valid_until + 200, now() FROM aftersales_warrantycommitment w "
    "JOIN registry_vehiclemodel m ON m.brand_id = w.brand_id ON CONFLICT DO NOTHING"
)


def load_vehicles() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM aftersales_exportedvehicle")
        if cursor.fetchone()[0]:
            return
        cursor.execute(VEHICLES_SQL)
        cursor.execute("ANALYZE")


def bare_gap() -> int:
    """The same rows as warranty_outlives_warranty_commitment, by hand-written SQL."""
    added = 0
    for offset, first, last in offset_windows(
        settings.REMINDER_OFFSETS["commitment_ending"], AS_OF
    ):
        added += _execute(
            f"INSERT INTO {OUTBOX} ({COLUMNS}) SELECT m.user_id, %s, "
            "'aftersales.warrantycommitment', w.id::text, b.name, w.valid_until, 'en', "
            "b.name || ' cars in ' || w.country_id || ' outlive your warranty commitment', "
            "'Until ' || h.horizon, 'pending', 0, '', '', now(), now() "
            "FROM aftersales_warrantycommitment w JOIN registry_brand b ON b.id = w.brand_id "
            "JOIN registry_membership m ON m.enterprise_id = w.enterprise_id AND m.is_active "
            "AND m.role IN ('admin', 'applicant') "
            "JOIN auth_user u ON u.id = m.user_id AND u.is_active "
            "CROSS JOIN LATERAL (SELECT max(v.warranty_ends_on) AS horizon "
            "FROM aftersales_exportedvehicle v WHERE v.enterprise_id = w.enterprise_id "
            "AND v.brand_id = w.brand_id AND v.country_id = w.country_id) h "
            "WHERE w.withdrawn_at IS NULL AND w.valid_from <= %s AND w.valid_until >= %s "
            "AND w.valid_until BETWEEN %s AND %s AND h.horizon > w.valid_until AND NOT EXISTS ("
            "SELECT 1 FROM aftersales_warrantycommitment s WHERE s.withdrawn_at IS NULL "
            "AND s.enterprise_id = w.enterprise_id AND s.brand_id = w.brand_id "
            "AND s.country_id = w.country_id AND s.valid_from <= w.valid_until + 1 "
            "AND s.valid_until > w.valid_until AND s.id <> w.id) ON CONFLICT DO NOTHING",
            [f"aftersales.warranty_gap.warranty.{offset}d", AS_OF, AS_OF, first, last],
        )
    return added


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--licences", type=int, default=1_000_000)
    parser.add_argument("--commitments", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/warranty_gap.py needs PostgreSQL: set DATABASE_URL")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    load(args.licences, args.commitments)
    load_vehicles()
    print(f"\nmedian of {args.rounds} rounds, as of {AS_OF}\n")
    print("| sweep | rows | first run | bare SQL | ratio | rerun | bare rerun | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    compare("warranty gap (90/30/7)", warranty_outlives_warranty_commitment, bare_gap, args.rounds)


if __name__ == "__main__":
    main()
