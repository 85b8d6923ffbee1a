"""Bounded load test: portal pages, API reads and writes, caseworker admin pages under gunicorn.

    .venv/bin/python bench/load.py [--users 12] [--duration 60] [--keep-db]

Creates a PostgreSQL database of its own (`evl_load`, on the server of `DATABASE_URL`,
default postgres://postgres@127.0.0.1:5432), migrates it, runs `seed_demo`, ANALYZEs it,
starts gunicorn (gthread, 2 workers x 4 threads) on a free port of 127.0.0.1 with the local
settings and DEBUG off, then runs locust headless in this process: a bounded number of users
for at most --duration seconds (capped at 120). Prints per request kind and overall the
request count, failure ratio and p50/p95/p99 next to the baseline `/healthz` measured by the
same users in the same run, then stops gunicorn and drops the database.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

import gevent  # noqa: E402
from locust import HttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "demo"
BASELINE = "baseline /healthz"


def _csrf_login(client, path: str, username: str) -> None:  # type: ignore[no-untyped-def]
    client.get(path, name=f"login {path}")
    token = client.cookies.get("csrftoken", "")
    with client.post(
        path,
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": client.base_url + path},
        name=f"login {path}",
        allow_redirects=False,
        catch_response=True,
    ) as answer:
        # A good sign-in answers with a redirect; the login form again means it failed.
        if answer.status_code != 302:
            answer.failure(f"sign-in refused: {answer.status_code}")


class PortalUser(HttpUser):
    """A manufacturer's member reading the portal."""

    weight = 3
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        _csrf_login(self.client, "/portal/login/", "maker")

    @task(4)
    def pages(self) -> None:
        for path in ("/portal/", "/portal/cases/", "/portal/licences/", "/portal/notifications/"):
            self.client.get(path, name=f"portal {path}")

    @task(1)
    def baseline(self) -> None:
        self.client.get("/healthz", name=BASELINE)


class ApiClient(HttpUser):
    """An integration reading cases and licences, creating drafts and submitting them."""

    weight = 3
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        answer = self.client.post(
            "/api/v1/auth/token/",
            json={"username": "maker", "password": PASSWORD},
            name="api token",
        )
        self.client.headers["Authorization"] = f"Token {answer.json()['token']}"
        self.template = self._template()

    def _template(self) -> dict:
        cases = self.client.get("/api/v1/cases/?kind=licence", name="api GET /cases/").json()
        case = cases["results"][0]
        fields = [
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
        ]
        body = {name: case[name] for name in fields if case.get(name) not in (None, "")}
        body["lines"] = [
            {k: line[k] for k in ("vehicle_model", "quantity", "unit_price_usd")}
            for line in case["lines"]
        ]
        return body

    @task(6)
    def reads(self) -> None:
        self.client.get("/api/v1/cases/", name="api GET /cases/")
        self.client.get("/api/v1/licences/", name="api GET /licences/")
        self.client.get("/api/v1/exported-vehicles/", name="api GET /exported-vehicles/")

    @task(2)
    def create_and_submit(self) -> None:
        body = dict(self.template, contract_number=f"LOAD-{random.randrange(10**9)}")
        created = self.client.post("/api/v1/cases/", json=body, name="api POST /cases/")
        if created.status_code != 201:
            return
        # Submitting a draft without its evidence is refused with a domain code (4xx):
        # counted as a success when the answer is that refusal, a failure on 5xx.
        with self.client.post(
            f"/api/v1/cases/{created.json()['id']}/submit/",
            json={},
            name="api POST /cases/{id}/submit/",
            catch_response=True,
        ) as answer:
            if answer.status_code < 500:
                answer.success()

    @task(1)
    def baseline(self) -> None:
        self.client.get("/healthz", name=BASELINE)


def _staff_get(client, path: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """GET an admin page; being sent back to the sign-in form counts as a failure."""
    with client.get(path, name=name, catch_response=True) as answer:
        if "/login/" in answer.url:
            answer.failure("sent back to sign-in")


class Caseworker(HttpUser):
    """A caseworker working the admin queue."""

    weight = 2
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        _csrf_login(self.client, "/admin/login/", "caseworker")
        self.ids: list[str] = []

    @task(3)
    def queue(self) -> None:
        _staff_get(self.client, "/admin/licensing/case/", "admin case list")
        _staff_get(self.client, "/admin/licensing/case/?status__exact=submitted", "admin case list")

    @task(2)
    def open_case(self) -> None:
        if not self.ids:
            token = self.client.get("/api/v1/cases/", name="admin api GET /cases/")
            self.ids = [str(c["id"]) for c in token.json().get("results", [])] or ["1"]
        path = f"/admin/licensing/case/{random.choice(self.ids)}/change/"
        _staff_get(self.client, path, "admin case page")

    @task(1)
    def baseline(self) -> None:
        self.client.get("/healthz", name=BASELINE)


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


def _start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen:
    command = [
        PYTHON, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
        "--worker-class", "gthread", "--workers", "2", "--threads", "4", "--timeout", "120",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not answer /healthz")


def _report(stats) -> None:  # type: ignore[no-untyped-def]
    base = stats.entries.get((BASELINE, "GET"))
    rows = sorted(stats.entries.values(), key=lambda e: (e.name != BASELINE, e.name, e.method))
    print(f"{'request':44} {'n':>6} {'fail%':>6} {'p50':>6} {'p95':>6} {'p99':>6}  p95/base")
    for entry in [*rows, stats.total]:
        ratio = ""
        if base and base.num_requests:
            ratio = f"{entry.get_response_time_percentile(0.95) / max(base.get_response_time_percentile(0.95), 1):.1f}x"  # noqa: E501
        name = "overall" if entry is stats.total else f"{entry.method} {entry.name}"
        print(
            f"{name[:44]:44} {entry.num_requests:>6} {100 * entry.fail_ratio:>5.2f}% "
            f"{entry.get_response_time_percentile(0.5):>5.0f} "
            f"{entry.get_response_time_percentile(0.95):>5.0f} "
            f"{entry.get_response_time_percentile(0.99):>5.0f}  {ratio}"
        )
    print("times in ms; p95/base = p95 over the baseline's p95 (/healthz, same run, same server)")
    for error in stats.errors.values():
        print(f"error x{error.occurrences}: {error.method} {error.name}: {error.error}"[:200])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--spawn-rate", type=float, default=4)
    parser.add_argument("--duration", type=int, default=60, help="seconds, at most 120")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    database = "evl_load"
    admin_url = _server_url("postgres")
    _psql(admin_url, f"DROP DATABASE IF EXISTS {database}")
    _psql(admin_url, f"CREATE DATABASE {database}")
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DEBUG="false",
        DATABASE_URL=_server_url(database),
        STAFF_OTP_REQUIRED="false",
    )
    server = None
    try:
        _prepare(env)
        port = _free_port()
        server = _start_gunicorn(env, port)
        environment = Environment(
            user_classes=[PortalUser, ApiClient, Caseworker], host=f"http://127.0.0.1:{port}"
        )
        runner = environment.create_local_runner()
        runner.start(args.users, spawn_rate=args.spawn_rate)
        gevent.spawn_later(min(args.duration, 120), runner.quit)
        runner.greenlet.join()
        print(f"{args.users} users, {min(args.duration, 120)} s, gunicorn gthread 2x4, seed_demo")
        _report(environment.stats)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        if not args.keep_db:
            _psql(admin_url, f"DROP DATABASE IF EXISTS {database}")


if __name__ == "__main__":
    main()
