"""Bounded load test: portal pages, API reads and writes, caseworker admin pages under gunicorn.

    .venv/bin/python bench/load.py [--users 12] [--duration 60] [--database evl_load] [--keep-db]

Creates a PostgreSQL database of its own (`--database`, on the server of `DATABASE_URL`,
default postgres://postgres@127.0.0.1:5432), migrates it, runs `seed_demo`, ANALYZEs it,
starts gunicorn (gthread, 2 workers x 4 threads) on a free port of 127.0.0.1 with the local
settings, DEBUG off and a scratch media folder, then runs locust headless in this process: a
bounded number of users for at most --duration seconds (capped at 120). The API users take a
licence application from draft through its evidence (a PDF made in memory) to submitted, and
record customs declarations (new VINs with correct check digits) on the seeded licences.
Every request has one expected status; any other answer is a failure, and any failure makes
the exit status 1. Prints per request kind and overall the request count, requests/s, failure
ratio and p50/p95/p99 next to the baseline `/healthz` measured by the same users in the same
run, then stops gunicorn and drops the database.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import itertools  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

import gevent  # noqa: E402
from load_data import LicencePool, RunNumbers, evidence_pdf  # noqa: E402
from locust import HttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from locust.exception import StopUser  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "demo"
BASELINE = "baseline /healthz"
# Shared by every simulated user of this run (greenlets of one process).
NUMBERS = RunNumbers()
CONTRACTS = itertools.count(1)
LICENCES = LicencePool()


def _expect(client, method: str, path: str, name: str, expected: int, **kwargs):  # type: ignore[no-untyped-def]
    """Send one request; anything but the expected status (a redirect included) is a failure."""
    kwargs.setdefault("allow_redirects", False)
    with client.request(method, path, name=name, catch_response=True, **kwargs) as answer:
        if answer.status_code == expected:
            answer.success()
            return answer
        answer.failure(f"expected {expected}, got {answer.status_code}: {answer.text[:120]!r}")
        return None


def _csrf_login(client, path: str, username: str) -> None:  # type: ignore[no-untyped-def]
    _expect(client, "GET", path, f"login {path}", 200)
    token = client.cookies.get("csrftoken", "")
    # A good sign-in answers with a redirect; the login form again means it failed.
    _expect(
        client,
        "POST",
        path,
        f"login {path}",
        302,
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": client.base_url + path},
    )


class PortalUser(HttpUser):
    """A manufacturer's member reading the portal."""

    weight = 3
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        _csrf_login(self.client, "/portal/login/", "maker")

    @task(4)
    def pages(self) -> None:
        for path in ("/portal/", "/portal/cases/", "/portal/licences/", "/portal/notifications/"):
            _expect(self.client, "GET", path, f"portal {path}", 200)

    @task(1)
    def baseline(self) -> None:
        _expect(self.client, "GET", "/healthz", BASELINE, 200)


DRAFT_FIELDS = (
    "kind",
    "brand",
    "destination",
    "customs_port",
    "trade_mode",
    "contract_number",
    "payment_terms",
    "transport_mode",
    "use_mode",
    "valid_from",
    "valid_until",
)


class ApiClient(HttpUser):
    """An integration: reads, then a licence application from draft to submitted, and
    customs declarations against the seeded licences."""

    weight = 3
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        answer = _expect(
            self.client,
            "POST",
            "/api/v1/auth/token/",
            "api token",
            200,
            json={"username": "maker", "password": PASSWORD},
        )
        if answer is None:
            raise StopUser()
        self.client.headers["Authorization"] = f"Token {answer.json()['token']}"
        self.template = self._template()
        if LICENCES.lines is None:
            licences = _expect(
                self.client, "GET", "/api/v1/licences/?status=active", "api GET /licences/", 200
            )
            LICENCES.load(licences.json()["results"] if licences else [])

    def _template(self) -> dict:
        cases = _expect(self.client, "GET", "/api/v1/cases/?kind=licence", "api GET /cases/", 200)
        if cases is None:
            raise StopUser()
        case = cases.json()["results"][0]
        body = {name: case[name] for name in DRAFT_FIELDS if case.get(name) not in (None, "")}
        body["lines"] = [
            {k: line[k] for k in ("vehicle_model", "quantity", "unit_price_usd")}
            for line in case["lines"]
        ]
        return body

    @task(6)
    def reads(self) -> None:
        for path in ("/api/v1/cases/", "/api/v1/licences/", "/api/v1/exported-vehicles/"):
            _expect(self.client, "GET", path, f"api GET {path.removeprefix('/api/v1')}", 200)

    @task(2)
    def apply(self) -> None:
        """Create a draft, upload its contract (a PDF made here), submit it."""
        contract = f"LOAD-{NUMBERS.run}-{next(CONTRACTS)}"
        body = dict(self.template, contract_number=contract)
        created = _expect(self.client, "POST", "/api/v1/cases/", "api POST /cases/", 201, json=body)
        if created is None:
            return
        case_id = created.json()["id"]
        pdf = ("contract.pdf", evidence_pdf(f"Sales contract {contract}"), "application/pdf")
        uploaded = _expect(
            self.client,
            "POST",
            f"/api/v1/cases/{case_id}/documents/",
            "api POST /cases/{id}/documents/",
            201,
            data={"doc_type": "contract"},
            files={"file": pdf},
        )
        if uploaded is None:
            return
        _expect(
            self.client,
            "POST",
            f"/api/v1/cases/{case_id}/submit/",
            "api POST /cases/{id}/submit/",
            200,
            json={},
        )

    @task(1)
    def declare(self) -> None:
        """Record a customs declaration of one new vehicle on a seeded licence."""
        line = LICENCES.take()
        if line is None:
            return  # the seeded licences are used up: nothing left to declare
        body = {
            "number": NUMBERS.declaration_number(),
            "declared_on": line.declared_on,
            "lines": [
                {"vehicle_model": line.vehicle_model, "quantity": 1, "vins": [NUMBERS.vin()]}
            ],
        }
        path = f"/api/v1/licences/{line.licence}/declarations/"
        _expect(self.client, "POST", path, "api POST /licences/{id}/declarations/", 201, json=body)

    @task(1)
    def baseline(self) -> None:
        _expect(self.client, "GET", "/healthz", BASELINE, 200)


class Caseworker(HttpUser):
    """A caseworker working the admin queue."""

    weight = 2
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        _csrf_login(self.client, "/admin/login/", "caseworker")
        self.ids: list[str] = []

    @task(3)
    def queue(self) -> None:
        for query in ("", "?status__exact=submitted"):
            path = f"/admin/licensing/case/{query}"
            _expect(self.client, "GET", path, "admin case list", 200)

    @task(2)
    def open_case(self) -> None:
        if not self.ids:
            cases = _expect(self.client, "GET", "/api/v1/cases/", "admin api GET /cases/", 200)
            self.ids = [str(c["id"]) for c in (cases.json()["results"] if cases else [])]
        if self.ids:
            path = f"/admin/licensing/case/{random.choice(self.ids)}/change/"
            _expect(self.client, "GET", path, "admin case page", 200)

    @task(1)
    def baseline(self) -> None:
        _expect(self.client, "GET", "/healthz", BASELINE, 200)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_url(database: str) -> str:
    base = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return urlunsplit(base._replace(path=f"/{database}"))


def _psql(admin_url: str, sql: str) -> None:
    subprocess.run(["psql", admin_url, "-qc", sql], check=True)


def _prepare(env: dict[str, str]) -> None:
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True, env=env)
    subprocess.run([*manage, "seed_demo"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["psql", env["DATABASE_URL"], "-qc", "ANALYZE"], check=True)


def _start_gunicorn(env: dict[str, str], port: int, log: str | None) -> subprocess.Popen:
    command = [
        PYTHON, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
        "--worker-class", "gthread", "--workers", "2", "--threads", "4", "--timeout", "120",
    ]  # fmt: skip
    errors = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=errors)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not answer /healthz")


def _ms(entry, share: float) -> str:  # type: ignore[no-untyped-def]
    return f"{entry.get_response_time_percentile(share):>6.0f}"


def _report(stats, seconds: float) -> None:  # type: ignore[no-untyped-def]
    base = stats.entries.get((BASELINE, "GET"))
    base_p95 = max(base.get_response_time_percentile(0.95), 1) if base else 0
    rows = sorted(stats.entries.values(), key=lambda e: (e.name != BASELINE, e.name, e.method))
    heads = ("n", "req/s", "fail%", "p50", "p95", "p99")
    print(f"{'request':44} " + " ".join(f"{h:>6}" for h in heads) + "  p95/base")
    for entry in [*rows, stats.total]:
        ratio = f"{entry.get_response_time_percentile(0.95) / base_p95:.1f}x" if base_p95 else ""
        name = "overall" if entry is stats.total else f"{entry.method} {entry.name}"
        print(
            f"{name[:44]:44} {entry.num_requests:>6} {entry.num_requests / seconds:>6.1f} "
            f"{100 * entry.fail_ratio:>5.2f}% {_ms(entry, 0.5)} {_ms(entry, 0.95)} "
            f"{_ms(entry, 0.99)}  {ratio}"
        )
    print("times in ms; p95/base = p95 over the baseline's p95 (/healthz, same run, same server)")
    print(f"declarations sent: {LICENCES.taken} (one vehicle each, on the seeded active licences)")
    for error in stats.errors.values():
        print(f"error x{error.occurrences}: {error.method} {error.name}: {error.error}"[:200])


def _run(args: argparse.Namespace, host: str) -> int:
    """Run the users for the bounded time; print the figures; answer the exit status."""
    environment = Environment(user_classes=[PortalUser, ApiClient, Caseworker], host=host)
    runner = environment.create_local_runner()
    started = time.monotonic()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    gevent.spawn_later(min(args.duration, 120), runner.quit)
    runner.greenlet.join()
    seconds = time.monotonic() - started
    print(f"{args.users} users, {seconds:.0f} s, gunicorn gthread 2x4, seed_demo")
    _report(environment.stats, seconds)
    # Any failure fails the run: every request has one expected status.
    return 1 if environment.stats.total.num_failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--spawn-rate", type=float, default=4)
    parser.add_argument("--duration", type=int, default=60, help="seconds, at most 120")
    parser.add_argument("--database", default="evl_load", help="created and dropped by the run")
    parser.add_argument("--server-log", help="file for gunicorn's error log (default: discard)")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    database = args.database
    admin_url = _server_url("postgres")
    _psql(admin_url, f"DROP DATABASE IF EXISTS {database}")
    _psql(admin_url, f"CREATE DATABASE {database}")
    media = tempfile.mkdtemp(prefix="evl-load-media-")
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DEBUG="false",
        DATABASE_URL=_server_url(database),
        MEDIA_ROOT=media,
        STAFF_OTP_REQUIRED="false",
    )
    server = None
    status = 1
    try:
        _prepare(env)
        port = _free_port()
        server = _start_gunicorn(env, port, args.server_log)
        status = _run(args, f"http://127.0.0.1:{port}")
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(media, ignore_errors=True)
        if not args.keep_db:
            _psql(admin_url, f"DROP DATABASE IF EXISTS {database}")
    sys.exit(status)


if __name__ == "__main__":
    main()
