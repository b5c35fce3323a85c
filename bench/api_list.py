"""Time the API systems list, first page and deep pages, with 100,000 systems of one reseller.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/px_api python bench/api_list.py [N] [--explain]

Bulk-loads N systems (default 100,000) for reseller R-BENCH once (each covered system has one
plan; a fifth of them end on the same day, 5% were never covered), then times GET requests
through Django's test client with a token: p50/p95 in milliseconds and the queries each
request runs, for the first page and for pages deep into the list (keyset cursors taken while
walking the whole list with 500-row pages).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerxpress.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")  # the test client over plain HTTP, any host
os.environ.setdefault("API_THROTTLE_USER", "100000000/hour")  # measure the list, not the limit

import django

django.setup()

from dateutil.relativedelta import relativedelta  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from contracts import rules  # noqa: E402
from contracts.models import (  # noqa: E402
    Contract,
    Customer,
    Product,
    Region,
    Release,
    Reseller,
    System,
    User,
)
from contracts.services import system_summarise_coverage  # noqa: E402

ACCOUNT = "R-BENCH"
REPEAT = 30


def load(total: int) -> Reseller:
    """The bench reseller with `total` systems (loaded once; run again to reuse them)."""
    region, _ = Region.objects.get_or_create(
        code="NA", defaults={"name": "North America", "time_zone": "America/Los_Angeles"}
    )
    reseller, _ = Reseller.objects.get_or_create(
        account_number=ACCOUNT, defaults={"name": "Bench Reseller", "region": region}
    )
    have = System.objects.filter(reseller=reseller).count()
    if have >= total:
        return reseller
    product, _ = Product.objects.get_or_create(name="CallXpress")
    for version in ("8.0", "8.1"):
        Release.objects.get_or_create(product=product, version=version)
    release = Release.objects.get(product=product, version="8.0")
    rng = random.Random(100_000)
    today = date.today()
    same_day = date(today.year, 12, 31)
    started = time.monotonic()
    with transaction.atomic():
        customers = [
            Customer.objects.get_or_create(reseller=reseller, name=f"Bench customer {n:05d}")[0]
            for n in range(2000)
        ]
        batch_systems, batch_contracts = [], []
        for n in range(have, total):
            customer = customers[rng.randrange(len(customers))]
            system = System(
                serial_number=f"BENCH-{n:07d}",
                reseller=reseller,
                customer=customer,
                customer_name=customer.name,
                product=product,
                release=release,
                tts_channels=rng.choice((0, 0, 0, 2)),
            )
            draw = rng.random()
            if draw >= 0.05:
                ends = same_day if draw < 0.25 else today + timedelta(days=rng.randrange(-400, 900))
                starts = ends + timedelta(days=1) - relativedelta(years=1)
                contract = Contract(
                    system=system,
                    kind="plan",
                    booked_on=starts,
                    starts_on=starts,
                    term_months=12,
                    ends_on=rules.ends_on(starts, 12),
                    covers_tts=system.tts_channels > 0,
                )
                system_summarise_coverage(system, [contract])
                batch_contracts.append(contract)
            batch_systems.append(system)
        System.objects.bulk_create(batch_systems, batch_size=5000)
        for contract in batch_contracts:
            contract.system_id = contract.system.pk
        Contract.objects.bulk_create(batch_contracts, batch_size=5000)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    print(f"loaded {total - have:,} systems in {time.monotonic() - started:.1f} s")
    return reseller


def client_for(reseller: Reseller) -> Client:
    user, _ = User.objects.get_or_create(
        username="bench-api", defaults={"reseller": reseller, "has_contracts_access": True}
    )
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


@dataclass
class Sample:
    ms: float  # the whole request, through the test client
    sql_ms: float  # the database's share (as Django measured each query)
    queries: int
    body: dict


def timed(client: Client, url: str) -> Sample:
    reset_queries()  # the request resets the log; a full log would hide this request's queries
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.content[:300]
    sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000
    return Sample(elapsed, sql_ms, len(queries), response.json())


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):6.1f} ms  p95 {p95:6.1f} ms"


def summary(samples: list[Sample]) -> str:
    sql = statistics.median(sample.sql_ms for sample in samples)
    times = percentiles([sample.ms for sample in samples])
    return f"{times}  (SQL p50 {sql:5.1f} ms)  {samples[0].queries} queries"


def walk(client: Client, url: str) -> tuple[list[str], list[float], int]:
    """Follow `next` to the end with 500-row pages; the cursors met and each page's time."""
    cursors, times, rows = [], [], 0
    while url:
        sample = timed(client, url)
        elapsed, body = sample.ms, sample.body
        times.append(elapsed)
        rows += len(body["results"])
        url = body["next"]
        if url:
            cursors.append(url.split("cursor=")[1].split("&")[0])
    return cursors, times, rows


def main() -> None:
    total = int(next((arg for arg in sys.argv[1:] if arg.isdigit()), 100_000))
    call_command("migrate", verbosity=0)
    reseller = load(total)
    client = client_for(reseller)
    print(
        f"{connection.vendor}, {System.objects.filter(reseller=reseller).count():,} systems of "
        f"{ACCOUNT}; {REPEAT} requests each; 50 rows a page\n"
    )
    scenarios = {
        "customer (default)": {},
        "expiry": {"sort": "expiry"},
        "-expiry": {"sort": "-expiry"},
        "status=expiring,grace": {"status": ["expiring", "grace"], "sort": "expiry"},
        "expiring_within=90": {"expiring_within": 90, "sort": "expiry"},
    }
    for name, params in scenarios.items():
        base = "/api/v1/systems/?" + urlencode(params, doseq=True)
        firsts = [timed(client, base) for _ in range(REPEAT)]
        cursors, walk_times, rows = walk(client, base + "&page_size=500")
        deep = cursors[len(cursors) // 2] if cursors else None
        last = cursors[-1] if cursors else None
        print(f"{name:24} first  page {summary(firsts)}")
        for label, cursor in (("middle", deep), ("last", last)):
            if cursor:
                pages = [timed(client, f"{base}&cursor={cursor}") for _ in range(REPEAT)]
                print(f"{'':24} {label:6} page {summary(pages)}")
        print(
            f"{'':24} walk of {rows:,} rows in {len(walk_times)} pages of 500: "
            f"{percentiles(walk_times)} per page, {sum(walk_times) / 1000:.1f} s\n"
        )
    if "--explain" in sys.argv and connection.vendor == "postgresql":
        explain(client, "/api/v1/systems/?sort=expiry&page_size=500")


def explain(client: Client, url: str) -> None:
    """EXPLAIN ANALYZE of the row query of a page in the middle of the list."""
    cursors, _, _ = walk(client, url)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        client.get(f"{url}&cursor={cursors[len(cursors) // 2]}")
    sql = next(q["sql"] for q in queries if 'FROM "contracts_system"' in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql)
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
