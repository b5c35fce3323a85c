"""Server time of the XpressCare Contracts page with 100,000 systems for one reseller.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/px_portal
    .venv/bin/python bench/portal_contracts.py

Loads (once; later runs reuse it) 100,000 systems of 2,000 customers for reseller R-BENCH with
coverage histories in every status, booked through the booking batch so every row obeys the
rules, then times in-process requests with Django's test Client: the first page, a filtered
page, a search, a deep page and the CSV export. Prints p50/p95 server time and query counts.
Options: --systems N (default 100000), --runs N (default 20), --reload.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerxpress.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")  # the test client over plain HTTP, any host

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from contracts import rules  # noqa: E402
from contracts.models import Customer, Product, Region, Release, Reseller, System, User  # noqa: E402
from contracts.services import BookingBatch  # noqa: E402

ACCOUNT = "R-BENCH"
CUSTOMERS = 2000
RELEASES = {"CallXpress": ["8.0", "8.1"], "Seneca": ["5.0", "5.1"], "RightFax": ["10.0"]}


def load(total: int) -> Reseller:
    """The benchmark reseller with `total` systems (created when missing or when --reload)."""
    region, _ = Region.objects.get_or_create(
        code="NA", defaults={"name": "North America", "time_zone": "America/Los_Angeles"}
    )
    reseller, _ = Reseller.objects.get_or_create(
        account_number=ACCOUNT, defaults={"name": "Benchmark Voice", "region": region}
    )
    User.objects.get_or_create(
        username="bench-user", defaults={"reseller": reseller, "has_contracts_access": True}
    )
    if reseller.systems.count() >= total:
        return reseller
    started = time.perf_counter()
    rng = random.Random(100_000)
    today = region.today(timezone.now())
    releases = {}
    for name, versions in RELEASES.items():
        product, _ = Product.objects.get_or_create(
            name=name, defaults={"is_xpresscare_eligible": name != "RightFax"}
        )
        releases[name] = [
            Release.objects.get_or_create(product=product, version=version)[0]
            for version in versions
        ]
    with transaction.atomic():
        Customer.objects.bulk_create(
            [Customer(reseller=reseller, name=f"Customer {n:05d}") for n in range(CUSTOMERS)],
            ignore_conflicts=True,
        )
        customers = list(reseller.customers.all())
        batch = BookingBatch()
        existing = reseller.systems.count()
        for number in range(existing, total):
            customer = customers[number % len(customers)]
            book_system(batch, f"BX-{number:07d}", customer, releases, today, rng)
        batch.save()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("contracts_system", "contracts_contract", "contracts_customer"):
                cursor.execute(f"VACUUM ANALYZE {table}")  # as autovacuum soon would
    print(f"loaded {total - existing} systems in {time.perf_counter() - started:.1f} s")
    return reseller


def book_system(
    batch: BookingBatch,
    serial_number: str,
    customer: Customer,
    releases: dict[str, list[Release]],
    today,
    rng: random.Random,
) -> None:
    """A system of `customer` on a random product and release, with a history, into `batch`."""
    product = rng.choices(["CallXpress", "Seneca", "RightFax"], [70, 27, 3])[0]
    release = rng.choice(releases[product])
    system = System(
        serial_number=serial_number,
        reseller_id=customer.reseller_id,
        customer=customer,
        customer_name=customer.name,
        product=release.product,
        release=release,
        installed_on=today - timedelta(days=rng.randrange(100, 3650)),
        um_clients=rng.choice([0, 10, 50, 80]),
        tts_channels=rng.choice([0, 0, 2]),
    )
    batch.add(system)
    if product != "RightFax":
        book_history(batch, system, today, rng)


def book_history(batch: BookingBatch, system: System, today, rng: random.Random) -> None:
    """No coverage, a new purchase starting soon, or a plan with 0–2 renewals."""
    roll = rng.random()
    add_ons = {
        "covers_um_clients": rules.requires_um_coverage(system.um_clients),
        "covers_tts": rules.requires_tts_coverage(system.tts_channels),
    }
    if roll < 0.05:
        return
    if roll < 0.08:
        booked = today - timedelta(days=rng.randrange(1, 29))
        batch.book(system, rules.Booking(rules.PurchaseKind.NEW_PURCHASE, booked, 12, **add_ons))
        return
    booked = today - timedelta(days=rng.randrange(30, 1400))
    term = rng.choice([12, 12, 24, 36])
    contract = batch.book(system, rules.Booking(rules.PurchaseKind.PLAN, booked, term, **add_ons))
    for _ in range(rng.randrange(0, 3)):
        booked = contract.ends_on - timedelta(days=rng.randrange(-20, 40))
        if booked >= today:
            break
        term = rng.choice([12, 12, 13, 24])
        contract = batch.book(
            system, rules.Booking(rules.PurchaseKind.RENEWAL, booked, term, **add_ons)
        )


def measure(client: Client, url: str, runs: int, params: dict | None = None) -> dict:
    """Wall time of whole requests (middleware, view, queries, template) and this process's
    CPU time alone (what the machine's other load does not inflate)."""
    timings, cpu, queries, status, size = [], [], 0, 0, 0
    client.get(url, params or {})  # warm caches (templates, connection) like a running server
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, params or {})
            body = b"".join(response.streaming_content) if response.streaming else response.content
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        queries, status, size = len(captured), response.status_code, len(body)
    timings.sort()
    return {
        "p50": statistics.median(timings),
        "p95": timings[max(0, round(0.95 * len(timings)) - 1)],
        "cpu": statistics.median(cpu),
        "queries": queries,
        "status": status,
        "bytes": size,
    }


def report(name: str, result: dict) -> None:
    print(
        f"{name:44} {result['p50']:8.1f} {result['p95']:8.1f} {result['cpu']:8.1f} "
        f"{result['queries']:8} {result['status']:7} {result['bytes']:9}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--systems", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reload", action="store_true", help="delete the benchmark data first")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; set DATABASE_URL for meaningful figures", file=sys.stderr)
    if args.reload:
        from contracts.models import Contract

        Contract.history.filter(system__reseller__account_number=ACCOUNT).delete()
        Contract.objects.filter(system__reseller__account_number=ACCOUNT).delete()
        System.objects.filter(reseller__account_number=ACCOUNT).delete()
    reseller = load(args.systems)
    user = User.objects.get(username="bench-user")
    client = Client(HTTP_ACCEPT_LANGUAGE="en-gb")
    client.force_login(user)
    contracts = reverse("contracts:list")
    count = reseller.systems.count()
    cases = [
        ("first page", contracts, {}),
        ("filtered: status=expiring", contracts, {"status": "expiring"}),
        (
            "filtered: expiring_within=30, sort=expiry",
            contracts,
            {"expiring_within": "30", "sort": "expiry"},
        ),
        ("filtered: product + status=grace", contracts, {"product": "Seneca", "status": "grace"}),
        ("search: q=BX-00500", contracts, {"q": "BX-00500"}),
        ("search: q=customer 01234", contracts, {"q": "customer 01234"}),
        ("deep page (last)", contracts, {"page": str(count // 50 + 1)}),
        ("deep page, filtered (last)", contracts, {"status": "lapsed", "page": "100000"}),
        ("system page", reverse("system", args=["BX-0004242"]), {}),
        ("home", reverse("home"), {}),
    ]
    print(f"{count} systems of reseller {ACCOUNT} on {connection.vendor}; {args.runs} runs each")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(
        f"{'request':44} {'p50 ms':>8} {'p95 ms':>8} {'cpu ms':>8} {'queries':>8} "
        f"{'status':>7} {'bytes':>9}"
    )
    for name, url, params in cases:
        report(name, measure(client, url, args.runs, params))
    export = reverse("contracts:export")
    for name, params in [
        ("CSV export, all", {}),
        ("CSV export, status=expiring", {"status": "expiring"}),
    ]:
        report(name, measure(client, export, max(1, args.runs // 10), params))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
