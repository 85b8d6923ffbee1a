"""Benchmark: the reminder sweeps against the bare SQL that writes the same rows (PostgreSQL).

Usage (a database of its own; loaded once, reused by later runs):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evl_reminders_bench \\
        python bench/reminders.py [--licences 1000000] [--commitments 200000] [--rounds 3]

Loads 10,000 enterprises (one member each), N licences (1 % due within 30 days, 60 %
expired, the rest valid beyond the window) with one goods line each, and M warranty
commitments (1 % ending within 90 days with nothing continuing them), by set-based SQL,
then ANALYZE. Each round empties the outbox and times, in one process and on the same data:
the bare `INSERT … SELECT … ON CONFLICT DO NOTHING` of the same rows (first run, rerun), then
our sweep (first run, rerun), with the query count. Prints medians and ratios, then every
sweep together (`run_sweeps`) and delivery of the whole outbox with a mail backend that
discards, against one UPDATE that marks the same rows sent.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from aftersales.sweeps import warranty_commitments_expiring  # noqa: E402
from licensing.sweeps import remind_licences_expiring  # noqa: E402
from notifications.bulk import offset_windows  # noqa: E402
from notifications.discovery import run_sweeps  # noqa: E402
from notifications.models import Notification  # noqa: E402
from notifications.services import notifications_deliver_pending  # noqa: E402

AS_OF = date(2026, 6, 1)
ENTERPRISES = 10_000
COUNTRIES = ["FR", "DE", "TH", "ES", "IT", "NL", "BE", "PL", "SE"]
DUE_COUNTRY = "NO"  # due commitments only, so none has a successor by construction
OUTBOX = Notification._meta.db_table
COLUMNS = (
    "recipient_id, kind, target_type, target_id, target_repr, due_on, language, subject, "
    "body, status, attempts, last_error, delivered_by, next_attempt_at, created_at"
)


# --- loading ------------------------------------------------------------------------------


def load(licences: int, commitments: int) -> None:
    """Create the world by set-based SQL unless this database already holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM licensing_licence")
        if cursor.fetchone()[0] >= licences:
            print(f"reusing the loaded data ({licences:,} licences)")
            return
        started = time.perf_counter()
        with transaction.atomic():
            for statement in LOAD_SQL:
                cursor.execute(
                    statement,
                    {"n": licences, "m": commitments, "e": ENTERPRISES, "as_of": AS_OF},
                )
        cursor.execute("ANALYZE")
    print(f"loaded in {time.perf_counter() - started:.0f} s, then ANALYZE")


LOAD_SQL = [
    "INSERT INTO registry_issuingoffice (code, name, province) VALUES ('91', 'Bench', 'Bench')",
    "INSERT INTO registry_country (code, statutory_warranty_months, minimum_outlets, "
    "customs_code) SELECT c, 24, 1, '' FROM unnest(ARRAY["
    + ", ".join(f"'{c}'" for c in [*COUNTRIES, DUE_COUNTRY])
    + "]) c ON CONFLICT DO NOTHING",
    "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, "
    "is_staff, is_active, date_joined) SELECT '!', false, 'bench-' || i, '', '', "
    "'user' || i || '@bench.example', false, true, now() FROM generate_series(1, %(e)s) i",
    "INSERT INTO registry_enterprise (name_zh, name_en, uscc, kind, miit_catalogue_number, "
    "customs_code, status, negative_listed, negative_list_reason, created_at, "
    "issuing_office_id) SELECT '基准' || i, 'Bench ' || i, '91' || lpad(i::text, 16, '0'), "
    "'manufacturer', '', '', 'active', false, '', now(), "
    "(SELECT id FROM registry_issuingoffice WHERE code = '91') "
    "FROM generate_series(1, %(e)s) i",
    "INSERT INTO registry_membership (role, is_active, enterprise_id, user_id) "
    "SELECT 'admin', true, e.id, u.id FROM registry_enterprise e "
    "JOIN auth_user u ON u.username = 'bench-' || substr(e.name_en, 7)",
    "INSERT INTO registry_brand (name, name_zh, manufacturer_id) "
    "SELECT 'Brand ' || e.id, '品牌' || e.id, e.id FROM registry_enterprise e",
    "INSERT INTO registry_vehiclemodel (brand_id, name, powertrain, hs_code, "
    "type_approval_number, is_active) SELECT b.id, 'M', 'BEV', '8703801090', '', true "
    "FROM registry_brand b",
    "INSERT INTO licensing_case (reference, kind, status, version, created_at, updated_at, "
    "recommendation, recommendation_reasons, return_reason, decision, decision_reasons, "
    "appeal_information, customs_port, trade_mode, contract_number, payment_terms, "
    "transport_mode, use_mode, qualification_class, priority, applicant_id) "
    "SELECT 'BENCH-' || i, 'licence', 'approved', 1, now(), now(), '', '', '', 'approve', '', "
    "'', 'Shanghai', 'general', 'C' || i, '', 'sea', 'multi', '', 'normal', "
    "(SELECT min(id) FROM registry_enterprise) + i %% %(e)s "
    "FROM generate_series(1, %(n)s) i",
    # 1 %% due within 30 days, 60 %% long expired, the rest valid beyond the window.
    "INSERT INTO licensing_licence (number, customs_port, trade_mode, contract_number, "
    "payment_terms, transport_mode, use_mode, valid_from, valid_until, uses_left, status, "
    "status_reason, version, issued_at, brand_id, case_id, destination_id, holder_id, "
    "issuing_office_id) SELECT (10 + c.id / 1000000)::text || '-91-' || "
    "lpad((c.id %% 1000000)::text, 6, '0'), 'Shanghai', 'general', c.contract_number, '', 'sea', "
    "'multi', d.until - 150, d.until, 12, d.status, '', 1, now(), b.id, c.id, 'FR', "
    "c.applicant_id, (SELECT id FROM registry_issuingoffice WHERE code = '91') "
    "FROM licensing_case c JOIN registry_brand b ON b.manufacturer_id = c.applicant_id "
    "CROSS JOIN LATERAL (SELECT CASE WHEN c.id %% 100 = 0 "
    "THEN %(as_of)s::date + ((c.id / 100) %% 30)::int "
    "WHEN c.id %% 100 < 60 THEN %(as_of)s::date - (1 + c.id %% 300)::int "
    "ELSE %(as_of)s::date + (31 + c.id %% 150)::int END AS until, "
    "CASE WHEN c.id %% 100 BETWEEN 1 AND 59 THEN 'expired' ELSE 'active' END AS status) d "
    "WHERE c.reference LIKE 'BENCH-%%'",
    "INSERT INTO licensing_licenceline (licensed_quantity, remaining, unit_price_usd, "
    "licence_id, vehicle_model_id) SELECT 100, 40, 25000, l.id, m.id FROM licensing_licence l "
    "JOIN registry_vehiclemodel m ON m.brand_id = l.brand_id",
    "INSERT INTO aftersales_warrantycommitment (valid_from, valid_until, version, created_at, "
    "vehicle_warranty_months, battery_warranty_months, battery_warranty_km, brand_id, "
    "country_id, enterprise_id) SELECT %(as_of)s::date - 400, CASE WHEN j %% 100 = 0 "
    f"THEN %(as_of)s::date + ((j / 100) %% 90)::int ELSE %(as_of)s::date + (100 + j %% 500)::int "
    f"END, 1, now(), 36, 96, 160000, b.id, CASE WHEN j %% 100 = 0 THEN '{DUE_COUNTRY}' ELSE "
    f"(ARRAY[{', '.join(repr(c) for c in COUNTRIES)}])[1 + j %% {len(COUNTRIES)}] END, e.id "
    "FROM generate_series(1, %(m)s) j "
    "JOIN registry_enterprise e ON e.id = (SELECT min(id) FROM registry_enterprise) + "
    "(CASE WHEN j %% 100 = 0 THEN j / 100 ELSE j END) %% %(e)s "
    "JOIN registry_brand b ON b.manufacturer_id = e.id",
]


# --- the bare SQL anchors -------------------------------------------------------------------


def bare_licences() -> int:
    """The same rows as remind_licences_expiring, written by hand-written SQL."""
    added = 0
    for offset, first, last in offset_windows(settings.REMINDER_OFFSETS["licence_expiring"], AS_OF):
        added += _execute(
            f"INSERT INTO {OUTBOX} ({COLUMNS}) SELECT m.user_id, %s, 'licensing.licence', "
            "l.id::text, l.number, l.valid_until, 'en', "
            "'Licence ' || l.number || ' expires on ' || l.valid_until, 'Ship or exchange.', "
            "'pending', 0, '', '', now(), now() FROM licensing_licence l "
            "JOIN registry_membership m ON m.enterprise_id = l.holder_id AND m.is_active "
            "AND m.role IN ('admin', 'applicant') "
            "JOIN auth_user u ON u.id = m.user_id AND u.is_active "
            "WHERE l.status = 'active' AND l.valid_until BETWEEN %s AND %s AND EXISTS ("
            "SELECT 1 FROM licensing_licenceline ll WHERE ll.licence_id = l.id "
            "AND ll.remaining > 0) ON CONFLICT DO NOTHING",
            [f"licence.expiring.{offset}d", first, last],
        )
    return added


def bare_warranty() -> int:
    """The same rows as warranty_commitments_expiring, written by hand-written SQL."""
    added = 0
    for offset, first, last in offset_windows(
        settings.REMINDER_OFFSETS["commitment_ending"], AS_OF
    ):
        added += _execute(
            f"INSERT INTO {OUTBOX} ({COLUMNS}) SELECT m.user_id, %s, "
            "'aftersales.warrantycommitment', w.id::text, b.name, w.valid_until, 'en', "
            "'The ' || b.name || ' warranty commitment in ' || w.country_id || ' ends on ' || "
            "w.valid_until, 'Renew it.', 'pending', 0, '', '', now(), now() "
            "FROM aftersales_warrantycommitment w JOIN registry_brand b ON b.id = w.brand_id "
            "JOIN registry_membership m ON m.enterprise_id = w.enterprise_id AND m.is_active "
            "AND m.role IN ('admin', 'applicant') "
            "JOIN auth_user u ON u.id = m.user_id AND u.is_active "
            "WHERE w.withdrawn_at IS NULL AND w.valid_from <= %s AND w.valid_until >= %s "
            "AND w.valid_until BETWEEN %s AND %s AND NOT EXISTS ("
            "SELECT 1 FROM aftersales_warrantycommitment s WHERE s.withdrawn_at IS NULL "
            "AND s.enterprise_id = w.enterprise_id AND s.brand_id = w.brand_id "
            "AND s.country_id = w.country_id AND s.valid_from <= w.valid_until + 1 "
            "AND s.valid_until > w.valid_until AND s.id <> w.id) ON CONFLICT DO NOTHING",
            [f"aftersales.warranty_commitment.ending.{offset}d", AS_OF, AS_OF, first, last],
        )
    return added


def _execute(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# --- measuring ------------------------------------------------------------------------------


def timed(work: Callable[[], object], atomic: bool = True) -> tuple[float, int, object]:
    """Seconds, queries and result of `work`, by default in one committed transaction."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        if atomic:
            with transaction.atomic():
                result = work()
        else:
            result = work()
        seconds = time.perf_counter() - started
    return seconds, len(queries.captured_queries), result


def empty_outbox() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {OUTBOX}")


def analyze_outbox() -> None:
    """Untimed, before each rerun: autovacuum would have analysed the outbox by the next day
    (here it is off, and a truncated table left with stale statistics invites a nested loop)."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {OUTBOX}")


def compare(name: str, ours: Callable[[], object], bare: Callable[[], object], rounds: int):
    """Median first run and rerun of the bare SQL and of ours, alternating, same data."""
    figures: dict[str, list] = {key: [] for key in ("bf", "br", "of", "or")}
    for _ in range(rounds):
        empty_outbox()
        figures["bf"].append(timed(bare))
        analyze_outbox()
        figures["br"].append(timed(bare))
        empty_outbox()
        figures["of"].append(timed(lambda: ours(AS_OF)))
        analyze_outbox()
        figures["or"].append(timed(lambda: ours(AS_OF)))
    med = {key: statistics.median(run[0] for run in runs) for key, runs in figures.items()}
    rows = figures["of"][0][2]
    assert rows == figures["bf"][0][2], f"{name}: ours wrote {rows}, bare {figures['bf'][0][2]}"
    print(
        f"| {name} | {rows:,} | {med['of']:.3f} s ({figures['of'][0][1]} q) | "
        f"{med['bf']:.3f} s | {med['of'] / med['bf']:.2f}× | "
        f"{med['or']:.3f} s ({figures['or'][0][1]} q) | {med['br']:.3f} s | "
        f"{med['or'] / med['br']:.2f}× |"
    )


def whole_run(rounds: int) -> None:
    """Every sweep (run_sweeps) first and again, then delivery of the whole outbox."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    firsts, reruns, bares = [], [], []
    for _ in range(rounds):
        empty_outbox()
        bares.append(timed(lambda: (bare_licences(), bare_warranty()))[0])
        empty_outbox()
        firsts.append(timed(lambda: run_sweeps(AS_OF)))
        reruns.append(timed(lambda: run_sweeps(AS_OF)))
    first, rerun = firsts[0], reruns[0]
    bare = statistics.median(bares)
    print(
        f"| every sweep (`run_sweeps`) | {sum(v or 0 for v in first[2].values()):,} | "
        f"{statistics.median(f[0] for f in firsts):.3f} s ({first[1]} q) | {bare:.3f} s | "
        f"{statistics.median(f[0] for f in firsts) / bare:.2f}× | "
        f"{statistics.median(r[0] for r in reruns):.3f} s ({rerun[1]} q) | — | — |"
    )
    # As a worker runs it: each claim and each "sent" mark commits on its own.
    connection.queries_log = type(connection.queries_log)(maxlen=100_000)
    delivery = timed(notifications_deliver_pending, atomic=False)
    empty_outbox()
    run_sweeps(AS_OF)
    update = timed(
        lambda: Notification.objects.filter(status="pending").update(status="sent", attempts=1)
    )
    sent = delivery[2]["sent"]
    print(
        f"\ndelivery of {sent:,} rows (discarding mail backend): {delivery[0]:.2f} s, "
        f"{delivery[1]:,} queries ({delivery[1] / max(sent, 1):.2f} per row); one UPDATE "
        f"marking the same rows sent: {update[0]:.3f} s ({delivery[0] / update[0]:.0f}×)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--licences", type=int, default=1_000_000)
    parser.add_argument("--commitments", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/reminders.py needs PostgreSQL: set DATABASE_URL")
    call_command("migrate", verbosity=0)
    load(args.licences, args.commitments)
    print(f"\nmedian of {args.rounds} rounds, as of {AS_OF}\n")
    print("| sweep | rows | first run | bare SQL | ratio | rerun | bare rerun | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    compare("licences expiring (30/14/7)", remind_licences_expiring, bare_licences, args.rounds)
    compare("warranty ending (90/30/7)", warranty_commitments_expiring, bare_warranty, args.rounds)
    whole_run(args.rounds)


if __name__ == "__main__":
    main()
