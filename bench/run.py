"""The whole benchmark in one run: 2,000 resellers, 1,000,000 systems, one reseller with 100,000.

    .venv/bin/python bench/run.py            # DATABASE_URL defaults to .../partnerxpress_bench

Loads the data set once (later runs reuse it; --reload starts again) through the booking path:
`BookingBatch`, the code of the CSV import, applies the rules of §1.3 to every purchase of every
system (2 processes side by side, one transaction per 5,000 systems). Then measures, in order:

1. `/contracts/` and `GET /api/v1/systems/` in-process (Django's test client: middleware, view,
   queries, template), p50/p95 and queries, for the big reseller (100,000 systems) and a small
   one (1,000), and the ratio big/small;
2. entitlement look-ups per second (`/api/v1/systems/<serial>/entitlement/`, random serials);
3. gunicorn (2 workers) under wrk on loopback: the API list next to `/healthz`;
4. renewal outcomes (§1.9) and the pipeline page, big reseller against small;
5. a load test: 50 signed-in users of many resellers for 60 s (Locust, bench/locustfile.py);
6. confirmation letters per second with two Celery workers on Redis;
7. the monthly digest for every reseller, sent to an SMTP server on loopback (bench/digest.py).

Needs PostgreSQL, Redis (CELERY_BROKER_URL, default redis://127.0.0.1:6379/14) and wrk
(`apt-get install -y wrk`). Options: --systems, --resellers, --big, --runs, --reload, --only.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerxpress.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/partnerxpress_bench")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
# As in production (cached templates, no query log), but over plain HTTP on loopback.
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "bench-only-" + "x7Kq2mZ9vB4nR8tW1yL5pD3hF6jC0gS" * 2,
    "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "API_THROTTLE_USER": "1000000000/hour",  # measure the list, not the limit
    "LOG_LEVEL": "WARNING",
    "DATABASE_CONN_MAX_AGE": "60",
}
os.environ.update(PRODUCTION)


def ensure_database() -> None:
    """Create the benchmark database when it does not exist yet."""
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    admin.close()


ensure_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from contracts.models import Contract, Customer, Product, Region, Release, Reseller, System, User  # noqa: E402
from contracts.services import BookingBatch  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
import portal_contracts  # noqa: E402

BIG, SMALL = "R-BIG", "R-SMALL"
CHUNK = 5000  # systems per transaction


# ---------------------------------------------------------------------------------------- load


def plan(resellers: int, systems: int, big: int) -> list[tuple[str, int, int]]:
    """(account, systems, customers) per reseller: one big, one of 1,000, the rest even."""
    small = 1000
    others = resellers - 2
    each, extra = divmod(systems - big - small, others)
    rows = [(BIG, big, 2000), (SMALL, small, 20)]
    rows += [(f"R-{n:05d}", each + (1 if n < extra else 0), 10) for n in range(others)]
    return rows


def load(args) -> None:
    if System.objects.count() >= args.systems and not args.reload:
        return
    started = time.perf_counter()
    if args.reload:
        print("deleting the old data set …", flush=True)
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE contracts_system, contracts_historicalsystem, contracts_contract,"
                " contracts_historicalcontract, contracts_customer, contracts_reseller CASCADE"
            )
    regions = {
        code: Region.objects.get_or_create(code=code, defaults={"name": code, "time_zone": zone})[0]
        for code, zone in (("NA", "America/Los_Angeles"), ("EMEA", "Europe/London"))
    }
    for name, versions in portal_contracts.RELEASES.items():
        product, _ = Product.objects.get_or_create(
            name=name, defaults={"is_xpresscare_eligible": name != "RightFax"}
        )
        for version in versions:
            Release.objects.get_or_create(product=product, version=version)
    rows = plan(args.resellers, args.systems, args.big)
    with transaction.atomic():
        Reseller.objects.bulk_create(
            [
                Reseller(account_number=account, name=f"Reseller {account}", region=region)
                for n, (account, _, _) in enumerate(rows)
                for region in [regions["NA" if n % 2 == 0 else "EMEA"]]
            ],
            ignore_conflicts=True,
        )
        resellers = dict(Reseller.objects.values_list("account_number", "pk"))
        User.objects.bulk_create(
            [
                User(
                    username=f"rep-{account.lower()}",
                    email=f"rep@{account.lower()}.example",
                    reseller_id=resellers[account],
                    has_contracts_access=True,
                    is_contract_representative=True,
                    password="!",  # nobody signs in: the bench logs in with force_login
                )
                for account, _, _ in rows
            ],
            ignore_conflicts=True,
        )
        Customer.objects.bulk_create(
            [
                Customer(reseller_id=resellers[account], name=f"Customer {k:04d}")
                for account, _, customers in rows
                for k in range(customers)
            ],
            ignore_conflicts=True,
        )
    chunks = []
    for account, count, _ in rows:
        for first in range(0, count, CHUNK):
            chunks.append((resellers[account], account, first, min(count, first + CHUNK)))
    # Many small resellers per job: a job is about CHUNK systems.
    jobs, current, size = [], [], 0
    for chunk in chunks:
        current.append(chunk)
        size += chunk[3] - chunk[2]
        if size >= CHUNK:
            jobs.append(current)
            current, size = [], 0
    if current:
        jobs.append(current)
    connection.close()  # each process opens its own
    done = 0
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        for loaded in pool.imap_unordered(load_job, jobs):
            done += loaded
            elapsed = time.perf_counter() - started
            print(f"\r  {done:>9,} systems booked in {elapsed:5.0f} s", end="", flush=True)
    print()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    seconds = time.perf_counter() - started
    print(f"loaded in {seconds:.0f} s ({done / seconds:,.0f} systems/s)")


def load_job(job: list[tuple[int, str, int, int]]) -> int:
    """Book the systems of some resellers' chunks, one transaction per chunk; skip done ones."""
    loaded = 0
    releases: dict[str, list[Release]] = {}
    for release in Release.objects.select_related("product"):
        releases.setdefault(release.product.name, []).append(release)
    for reseller_id, account, first, last in job:
        if System.objects.filter(serial_number=f"{account}-{first:06d}").exists():
            continue
        reseller = Reseller.objects.select_related("region").get(pk=reseller_id)
        customers = list(Customer.objects.filter(reseller_id=reseller_id).order_by("name"))
        today = reseller.region.today(timezone.now())
        rng = random.Random(f"{account}-{first}")
        with transaction.atomic():
            batch = BookingBatch()
            for number in range(first, last):
                customer = customers[number % len(customers)]
                serial = f"{account}-{number:06d}"
                portal_contracts.book_system(batch, serial, customer, releases, today, rng)
            batch.save()
        loaded += last - first
    connection.close()
    return loaded


# ------------------------------------------------------------------------------- measurements


def client_for(account: str, *, api: bool = False) -> tuple[Client, str]:
    """A signed-in browser (session), or with `api` an API caller (token only)."""
    user = User.objects.get(username=f"rep-{account.lower()}")
    token, _ = Token.objects.get_or_create(user=user)
    if api:
        return Client(HTTP_AUTHORIZATION=f"Token {token.key}"), token.key
    client = Client(HTTP_ACCEPT_LANGUAGE="en-us")
    client.force_login(user)
    return client, token.key


def pages(runs: int) -> None:
    """Portal and API lists, big reseller next to small: p50/p95, queries and the ratio."""
    browsers = {account: client_for(account)[0] for account in (BIG, SMALL)}
    callers = {account: client_for(account, api=True)[0] for account in (BIG, SMALL)}
    cases = [
        ("/contracts/ first page", "/contracts/", {}),
        ("/contracts/ status=expiring", "/contracts/", {"status": "expiring"}),
        (
            "/contracts/ expiring_within=30 sort=expiry",
            "/contracts/",
            {"expiring_within": "30", "sort": "expiry"},
        ),
        ("/contracts/ search a serial", "/contracts/", {"q": "{account}-000042"}),
        ("/contracts/ search serial digits", "/contracts/", {"q": "004242"}),
        ("/contracts/ search a customer", "/contracts/", {"q": "customer 0007"}),
        ("/systems/<serial>/", "/systems/{account}-000042/", {}),
        ("/ (home)", "/", {}),
        ("API systems first page", "/api/v1/systems/", {}),
        ("API systems status=expiring", "/api/v1/systems/", {"status": "expiring"}),
        ("API systems sort=expiry", "/api/v1/systems/", {"sort": "expiry"}),
        ("API systems search a serial", "/api/v1/systems/", {"q": "{account}-000042"}),
        ("API systems search serial digits", "/api/v1/systems/", {"q": "004242"}),
        ("API bulletins (an empty list)", "/api/v1/bulletins/", {}),
    ]
    print(f"\n## Pages: in-process server time, {runs} requests each (ms)\n")
    print("| request | big p50 | big p95 | small p50 | small p95 | big/small p50 | queries |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, url, params in cases:
        results = {}
        clients = callers if url.startswith("/api/") else browsers
        for account, client in clients.items():
            fill = {key: value.format(account=account) for key, value in params.items()}
            result = portal_contracts.measure(client, url.format(account=account), runs, fill)
            assert result["status"] == 200, (name, account, result)
            results[account] = result
        big, small = results[BIG], results[SMALL]
        queries = f"{big['queries']} / {small['queries']}"
        print(
            f"| {name} | {big['p50']:.1f} | {big['p95']:.1f} | {small['p50']:.1f} | "
            f"{small['p95']:.1f} | {big['p50'] / small['p50']:.2f} | {queries} |"
        )


def outcomes(runs: int) -> None:
    """Renewal outcomes (SPEC §1.9) over the last 12 full months: the SQL (one query per
    reseller and period), by month, the API and the pipeline page, big reseller next to small."""
    from renewals.outcomes import outcome_counts, outcome_counts_by_month
    from renewals.pipeline import month_span

    resellers = {
        account: Reseller.objects.select_related("region").get(account_number=account)
        for account in (BIG, SMALL)
    }
    today = resellers[BIG].region.today(timezone.now())
    first, last = month_span(today.replace(day=1) - relativedelta(months=12), 12)
    print(f"\n## Renewal outcomes, {first:%Y-%m} to {last:%Y-%m}: {runs} runs each (ms)\n")
    print("| measured | big p50 | big p95 | small p50 | small p95 | big/small p50 |")
    print("|---|---:|---:|---:|---:|---:|")
    calls = {
        "outcome_counts (one query)": lambda r: outcome_counts(r, first, last, today),
        "outcome_counts_by_month (one query)": lambda r: outcome_counts_by_month(
            r, first, last, today
        ),
    }
    for name, call in calls.items():
        timings = {account: _timed(call, r, runs) for account, r in resellers.items()}
        _row(name, timings[BIG], timings[SMALL])
    pages = {
        "GET /api/v1/renewals/outcomes/": ("/api/v1/renewals/outcomes/", True),
        "/orders/pipeline/ (page)": ("/orders/pipeline/", False),
    }
    for name, (url, api) in pages.items():
        timings = {}
        for account in (BIG, SMALL):
            client = client_for(account, api=api)[0]
            result = portal_contracts.measure(client, url, runs, {})
            assert result["status"] == 200, (name, account, result)
            timings[account] = (result["p50"], result["p95"])
        _row(f"{name}, {result['queries']} queries", timings[BIG], timings[SMALL])
    counts = outcome_counts(resellers[BIG], first, last, today)
    print(f"\n{BIG}: {counts.total:,} opportunities, on-time rate {counts.rate:.3f}.")


def _timed(call, argument, runs: int) -> tuple[float, float]:
    """p50 and p95 in ms of `runs` calls of call(argument) (after one to warm up)."""
    call(argument)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call(argument)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, round(len(times) * 0.95) - 1)]


def _row(name: str, big: tuple[float, float], small: tuple[float, float]) -> None:
    print(
        f"| {name} | {big[0]:.1f} | {big[1]:.1f} | {small[0]:.1f} | {small[1]:.1f} | "
        f"{big[0] / small[0]:.2f} |"
    )


def entitlements(seconds: float) -> None:
    client, _ = client_for(BIG, api=True)
    size = System.objects.filter(reseller__account_number=BIG).count()
    rng = random.Random(7)
    on = date.today().isoformat()
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        serial = f"{BIG}-{rng.randrange(size):06d}"
        response = client.get(f"/api/v1/systems/{serial}/entitlement/", {"on": on})
        assert response.status_code == 200, response.content
        count += 1
    elapsed = time.perf_counter() - started
    print(
        f"\n## Entitlement look-ups\n\n{count:,} look-ups of random serials of {BIG} in "
        f"{elapsed:.1f} s, one process, in-process: **{count / elapsed:,.0f} per second** "
        f"({elapsed / count * 1000:.2f} ms each)."
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


def gunicorn(duration: int) -> None:
    """Requests per second through gunicorn, measured by wrk on loopback."""
    if not shutil.which("wrk"):
        print("\n(gunicorn: skipped, wrk is not installed: apt-get install -y wrk)")
        return
    port = free_port()
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "partnerxpress.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
    )
    try:
        wait_for_port(port)
        _, big = client_for(BIG)
        _, small = client_for(SMALL)
        base = f"http://127.0.0.1:{port}"
        cases = [
            ("/healthz (trivial, one SELECT 1)", "/healthz", None),
            (f"API systems list, {BIG}", "/api/v1/systems/", big),
            (f"API systems list, {SMALL}", "/api/v1/systems/", small),
            (
                f"API entitlement, {BIG}",
                f"/api/v1/systems/{BIG}-004242/entitlement/",
                big,
            ),
            (f"API bulletins (an empty list), {BIG}", "/api/v1/bulletins/", big),
        ]
        print(
            f"\n## gunicorn (2 sync workers) under wrk (1 thread, 8 connections, {duration} s)"
            "\n\n| endpoint | requests/s | latency p50 | p99 |\n|---|---:|---:|---:|"
        )
        for name, path, token in cases:
            command = ["wrk", "-t1", "-c8", f"-d{duration}s", "--latency", base + path]
            if token:
                command[1:1] = ["-H", f"Authorization: Token {token}"]
            out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            rate = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
            p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1)
            p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            note = f" ({errors.group(1)} errors)" if errors else ""
            print(f"| {name} | {float(rate):,.0f}{note} | {p50} | {p99} |")
    finally:
        server.terminate()
        server.wait()


def load_test(users: int, seconds: int) -> None:
    """Locust (bench/locustfile.py) in headless mode: `users` signed-in representatives of
    many resellers, a fifth of them R-BIG's, against gunicorn as the image runs it
    (3 sync workers) with the Redis cache shared as in docker-compose."""
    import csv
    import json
    import tempfile

    from django.conf import settings

    locust = Path(sys.executable).parent / "locust"
    if not locust.exists():
        print("\n(load: skipped, Locust is not installed: .venv/bin/pip install -e '.[bench]')")
        return
    accounts = [BIG] * (users // 5) + [SMALL] * (users // 10)
    others = Reseller.objects.exclude(account_number__in=[BIG, SMALL]).order_by("pk")
    accounts += list(others.values_list("account_number", flat=True)[: users - len(accounts)])
    sizes = {
        account: System.objects.filter(reseller__account_number=account).count()
        for account in set(accounts)
    }
    people = []
    for account in accounts:
        browser, token = client_for(account)
        people.append(
            {
                "account": account,
                "systems": sizes[account],
                "cookie": settings.SESSION_COOKIE_NAME,
                "session": browser.cookies[settings.SESSION_COOKIE_NAME].value,
                "token": token,
            }
        )
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    (work / "users.json").write_text(json.dumps(people))
    port = free_port()
    env = {
        **os.environ,
        "CACHE_URL": "redis://127.0.0.1:6379/13",
        "LOAD_USERS": str(work / "users.json"),
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "partnerxpress.wsgi", "--bind",
         f"127.0.0.1:{port}", "--workers", "3", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        wait_for_port(port)
        load_before = os.getloadavg()[0]
        subprocess.run(
            [str(locust), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "--users", str(users), "--spawn-rate", "10", "--run-time", f"{seconds}s",
             "--host", f"http://127.0.0.1:{port}", "--csv", str(work / "load"),
             "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT,
            env=env,
            check=False,  # Locust exits 1 when a request failed: the table says which
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait()
    with open(work / "load_stats.csv") as file:
        rows = list(csv.DictReader(file))
    print(
        f"\n## Load: {users} signed-in users for {seconds} s (Locust, headless)\n\n"
        f"gunicorn with 3 sync workers (as the image), PostgreSQL and the Redis cache on this "
        f"machine; users think 0.5–2 s between requests; load average {load_before:.2f} before, "
        f"{load_after:.2f} after.\n\n"
        "| request | requests | failures | req/s | p50 ms | p95 ms | p99 ms | max ms |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    for row in rows:
        name = "**all**" if row["Name"] == "Aggregated" else row["Name"]
        print(
            f"| {name} | {int(row['Request Count']):,} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} | "
            f"{float(row['Max Response Time']):.0f} |"
        )


def smtp_sink() -> tuple[subprocess.Popen, int]:
    port = free_port()
    sink = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c",
         "aiosmtpd.handlers.Sink"]
    )  # fmt: skip
    wait_for_port(port)
    return sink, port


def letters(count: int) -> None:
    """Confirmation letters per second, rendered and e-mailed by two Celery worker processes."""
    from contracts.models import Letter
    from contracts.services.letters import letter_request
    from partnerxpress.celery import app

    sink, port = smtp_sink()
    env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
    app.control.purge()
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "partnerxpress",
            "worker",
            "--concurrency=2",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(ROOT / "var" / "bench-worker.log", "w"),  # noqa: SIM115
    )
    try:
        user = User.objects.get(username=f"rep-{BIG.lower()}")
        contracts = list(
            Contract.objects.filter(system__reseller__account_number=BIG)
            .exclude(letters__isnull=False)
            .order_by("?")[: count + 4]
        )

        def request(batch: list[Contract]) -> list[int]:
            with transaction.atomic():
                ids = [letter_request(contract=c, user=user).pk for c in batch]
            return ids

        def wait(ids: list[int]) -> None:
            deadline = time.monotonic() + 600
            while Letter.objects.filter(pk__in=ids, status="ready").count() < len(ids):
                assert time.monotonic() < deadline, "letters did not finish in 10 minutes"
                time.sleep(0.05)

        wait(request(contracts[:4]))  # warm both worker processes (WeasyPrint, fonts)
        started = time.perf_counter()
        ids = request(contracts[4:])
        wait(ids)
        elapsed = time.perf_counter() - started
        render = list(Letter.objects.filter(pk__in=ids).values_list("render_ms", flat=True))
        print(
            f"\n## Confirmation letters\n\n{len(ids)} letters requested at once, generated, "
            f"stored and e-mailed (PDF attached) by 2 worker processes: {elapsed:.1f} s = "
            f"**{len(ids) / elapsed:.1f} letters/s**; WeasyPrint per letter median "
            f"{statistics.median(render):.0f} ms, max {max(render)} ms."
        )
    finally:
        worker.terminate()
        worker.wait()
        sink.terminate()


def digest() -> None:
    """The monthly renewal e-mail for every reseller (bench/digest.py's run), real SMTP."""
    import digest as digest_bench

    digest_bench.ON = Region.objects.get(code="NA").today(timezone.now())
    print(f"\n## Monthly renewal e-mail for every reseller, as of {digest_bench.ON}\n")
    print("```")
    digest_bench.run(list(Reseller.objects.order_by("pk")))
    print("```")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resellers", type=int, default=2000)
    parser.add_argument("--systems", type=int, default=1_000_000)
    parser.add_argument("--big", type=int, default=100_000, help="systems of the big reseller")
    parser.add_argument("--jobs", type=int, default=2, help="processes that load the data")
    parser.add_argument("--runs", type=int, default=20, help="requests per measured page")
    parser.add_argument("--reload", action="store_true", help="delete and load the data again")
    parser.add_argument(
        "--only",
        default="pages,outcomes,entitlements,gunicorn,load,letters,digest",
        help="comma-separated parts to measure",
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # served as in production
    load(args)
    parts = args.only.split(",")
    print(
        f"# PartnerXpress benchmark, {timezone.now():%Y-%m-%d %H:%M} UTC\n\n"
        f"Machine: {platform.node()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, PostgreSQL "
        f"{connection.cursor().connection.server_version / 10000:.0f}; load average "
        f"{os.getloadavg()[0]:.2f}.\nData: {Reseller.objects.count():,} resellers, "
        f"{System.objects.count():,} systems, {Contract.objects.count():,} contracts; "
        f"{BIG} has {System.objects.filter(reseller__account_number=BIG).count():,} systems, "
        f"{SMALL} {System.objects.filter(reseller__account_number=SMALL).count():,}."
    )
    if "pages" in parts:
        pages(args.runs)
    if "outcomes" in parts:
        outcomes(args.runs)
    if "entitlements" in parts:
        entitlements(10)
    if "gunicorn" in parts:
        gunicorn(10)
    if "load" in parts:
        load_test(50, 60)
    if "letters" in parts:
        letters(100)
    if "digest" in parts:
        digest()


if __name__ == "__main__":
    main()
