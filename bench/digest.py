"""Benchmark of the monthly renewal e-mail: 1,000 resellers, 200,000 systems, real SMTP.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/px_jobs python bench/digest.py

Runs in a throwaway database beside yours (<name>_bench, dropped at the end; --keep keeps it).
It loads resellers whose systems are in every status (some with three chains of coverage),
then does what the monthly job does for each reseller (`digest_send`, the code of
`manage.py send_renewal_digests`) while counting queries per reseller, and sends every e-mail
to an SMTP server on loopback (aiosmtpd). It asserts that the number of queries depends on the
number of resellers (and representatives), not on the number of systems.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerxpress.settings")
os.environ["CELERY_BROKER_URL"] = (
    "memory://localhost/"  # the e-mails are sent here, not by a worker
)
os.environ.setdefault("LOG_LEVEL", "WARNING")
# As in production: templates compiled once (the cached loader), no query log kept.
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

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
from renewals.services.digests import digest_emails_send, digest_send  # noqa: E402

ON = date(2026, 6, 1)


class QueryCounter:
    """Counts every query this process sends (a database execute wrapper)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def history(rng: random.Random) -> list[tuple[str, date, int]]:
    """A plausible purchase history (kind, start, term) ending in some status on ON."""
    scenario = rng.choices(
        ["covered", "due", "expired", "lapsed", "three_chains", "pending", "never"],
        weights=[40, 15, 6, 15, 6, 4, 14],
    )[0]
    if scenario == "never":
        return []
    if scenario == "pending":
        return [("new_purchase", ON + timedelta(days=rng.randrange(1, 30)), 12)]
    end = {
        "covered": ON + timedelta(days=rng.randrange(95, 700)),
        "due": ON + timedelta(days=rng.randrange(0, 90)),
        "expired": ON - timedelta(days=rng.randrange(1, 30)),
        "lapsed": ON - timedelta(days=rng.randrange(40, 600)),
        "three_chains": ON + timedelta(days=rng.randrange(-25, 400)),
    }[scenario]
    purchases = []
    start = end + timedelta(days=1) - relativedelta(months=12)
    if scenario == "three_chains":  # two lapses, each ended by a paid upgrade
        for gap in (0, 1):
            purchases.append(("upgrade" if gap == 0 else "plan", start, 12))
            start -= relativedelta(months=12) + timedelta(days=rng.randrange(60, 200))
        purchases.append(("plan", start, 12))
        return sorted(purchases, key=lambda p: p[1])
    for _ in range(rng.randrange(1, 4)):
        purchases.append(("renewal", start, 12))
        start -= relativedelta(months=12)
    purchases[-1] = ("plan", purchases[-1][1], 12)
    return sorted(purchases, key=lambda p: p[1])


def load(resellers: int, systems: int, seed: int = 2026) -> None:
    """Bulk-load resellers, representatives, customers, systems and contracts."""
    rng = random.Random(seed)
    regions = list(Region.objects.all())
    products = {p.name: p for p in Product.objects.all()}
    releases = {
        name: Release.objects.get_or_create(product=product, version="8.0")[0]
        for name, product in products.items()
    }
    made = Reseller.objects.bulk_create(
        Reseller(account_number=f"B-{n:05d}", name=f"Bench Reseller {n}", region=regions[n % 2])
        for n in range(resellers)
    )
    User.objects.bulk_create(
        User(
            username=f"bench-rep-{reseller.pk}-{k}",
            email=f"rep{k}@{reseller.account_number.lower()}.example",
            reseller=reseller,
            is_contract_representative=True,
            password="!",  # unusable: nobody logs in
        )
        for reseller in made
        for k in range(1 + reseller.pk % 2)  # one or two representatives
    )
    customers = Customer.objects.bulk_create(
        Customer(reseller=reseller, name=f"Customer {k:02d}")
        for reseller in made
        for k in range(10)
    )
    by_reseller = defaultdict(list)
    for customer in customers:
        by_reseller[customer.reseller_id].append(customer)
    # Uneven sizes (20 to 380 systems) that add up to `systems`.
    weights = [rng.uniform(0.1, 1.9) for _ in made]
    sizes = [int(systems * w / sum(weights)) for w in weights]
    sizes[0] += systems - sum(sizes)
    serial = 0
    for reseller, size in zip(made, sizes, strict=True):
        batch_systems, batch_contracts = [], []
        for _ in range(size):
            serial += 1
            customer = rng.choice(by_reseller[reseller.pk])
            product = rng.choices(["CallXpress", "Seneca", "RightFax"], weights=[60, 35, 5])[0]
            system = System(
                serial_number=f"BX-{serial:07d}",
                reseller=reseller,
                customer=customer,
                customer_name=customer.name,
                product=products[product],
                release=releases[product],
                um_clients=rng.choice([0, 10, 60, 200]),
                tts_channels=rng.choice([0, 0, 2]),
            )
            contracts = [
                Contract(
                    system=system,
                    kind=kind,
                    booked_on=start,
                    starts_on=start,
                    term_months=term,
                    ends_on=rules.ends_on(start, term),
                )
                for kind, start, term in (history(rng) if product != "RightFax" else [])
            ]
            system_summarise_coverage(system, contracts)
            batch_systems.append(system)
            batch_contracts.append(contracts)
        System.objects.bulk_create(batch_systems, batch_size=5000)
        for system, contracts in zip(batch_systems, batch_contracts, strict=True):
            for contract in contracts:
                contract.system_id = system.pk
        Contract.objects.bulk_create(
            [c for contracts in batch_contracts for c in contracts], batch_size=5000
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resellers", type=int, default=1000)
    parser.add_argument("--systems", type=int, default=200_000)
    parser.add_argument("--keep", action="store_true", help="keep and reuse the bench database")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the bench uses <its name>_bench).")

    database = settings.DATABASES["default"]
    database["TEST"] = {**database.get("TEST", {}), "NAME": f"{database['NAME']}_bench"}
    creation = connection.creation
    started = time.perf_counter()
    creation.create_test_db(verbosity=0, keepdb=args.keep, serialize=False)
    try:
        if not Reseller.objects.filter(account_number__startswith="B-").exists():
            load(args.resellers, args.systems)
        connection.cursor().execute("ANALYZE")
        print(
            f"data: {Reseller.objects.count():,} resellers, {System.objects.count():,} systems, "
            f"{Contract.objects.count():,} contracts, "
            f"{User.objects.filter(is_contract_representative=True).count():,} representatives "
            f"(loaded in {time.perf_counter() - started:.0f} s)"
        )
        run(list(Reseller.objects.order_by("pk")))
    finally:
        if not args.keep:
            creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


def run(resellers: list[Reseller]) -> None:
    from notifications.models import Email
    from renewals.models import DigestRun

    DigestRun.objects.all().delete()
    Email.objects.all().delete()
    system_counts = dict(System.objects.values_list("reseller_id").annotate(n=Count("pk")))
    rep_counts = dict(
        User.objects.filter(is_contract_representative=True)
        .values_list("reseller_id")
        .annotate(n=Count("pk"))
    )
    queries: dict[int, int] = {}
    runs = []
    counter = QueryCounter()
    compose_started = time.perf_counter()
    with connection.execute_wrapper(counter):
        for reseller in resellers:
            before = counter.count
            run, _ = digest_send(reseller_id=reseller.pk, on=ON)
            queries[reseller.pk] = counter.count - before
            runs.append(run)
    compose_seconds = time.perf_counter() - compose_started

    # A real SMTP server in its own process (aiosmtpd, accepting and discarding).
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ]
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    send_started = time.perf_counter()
    sent, failed = digest_emails_send([run for run in runs if run.status == "queued"])
    send_seconds = time.perf_counter() - send_started
    smtp.terminate()
    size = statistics.mean(
        len(body) for body in Email.objects.values_list("body_html", flat=True)[:200]
    )

    listed = sum(run.expired + run.due for run in runs)
    statuses = defaultdict(int)
    for run in runs:
        statuses[str(run.status)] += 1
    print(f"runs: {dict(statuses)}; systems listed: {listed:,}")
    print(
        f"compose {len(resellers):,} digests: {compose_seconds:.1f} s "
        f"({compose_seconds / len(resellers) * 1000:.0f} ms per reseller)"
    )
    print(
        f"send {sent:,} e-mails to SMTP on loopback: {send_seconds:.1f} s "
        f"= {sent / send_seconds:.0f} e-mails/s "
        f"(HTML part {size / 1024:.0f} KiB on average; {failed} failed)"
    )
    total = compose_seconds + send_seconds
    print(f"total: {total:.1f} s for {sent:,} e-mails = {sent / total:.0f} e-mails/s end to end")

    # Queries depend on representatives (one e-mail each), never on systems.
    by_reps: dict[int, set[int]] = defaultdict(set)
    by_size: dict[int, list[int]] = defaultdict(list)
    for run in runs:
        by_reps[rep_counts.get(run.reseller_id, 0)].add(queries[run.reseller_id])
    for reseller in resellers:
        systems = system_counts.get(reseller.pk, 0)
        bucket = 10 ** (len(str(systems)) - 1) if systems else 0  # 0, 1, 10, 100, 1000, …
        by_size[bucket].append(queries[reseller.pk])
    print("queries per reseller, by number of systems:")
    for bucket in sorted(by_size):
        values = by_size[bucket]
        print(
            f"  {bucket:>7,}–{max(bucket * 10 - 1, 0):<7,} systems: {len(values):>4} resellers, "
            f"queries min {min(values)} / median {statistics.median(values):.0f} "
            f"/ max {max(values)}"
        )
    print(
        "queries per reseller, by number of representatives:",
        {k: sorted(v) for k, v in by_reps.items()},
    )
    total_queries = sum(queries.values())
    first_100 = sum(queries[r.pk] for r in resellers[:100])
    print(
        f"total queries: {total_queries:,} for {len(resellers):,} resellers and "
        f"{sum(system_counts.values()):,} systems (first 100 resellers: {first_100:,})"
    )
    # Composed runs (e-mails queued) cost the same whatever the system count.
    composed = [run for run in runs if run.status == "queued"]
    per_reps = defaultdict(set)
    for run in composed:
        per_reps[rep_counts[run.reseller_id]].add(queries[run.reseller_id])
    assert all(len(values) == 1 for values in per_reps.values()), per_reps
    assert total_queries <= 20 * len(resellers), "queries must grow with resellers, not systems"
    expected = sum(run.recipients for run in composed)
    assert Email.objects.filter(status="sent").count() == sent == expected, (sent, expected)


if __name__ == "__main__":
    main()
