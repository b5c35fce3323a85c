"""Time to generate one confirmation letter (target: under 300 ms once the worker is warm).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/px_jobs python bench/letters.py [N]

In a throwaway database (<name>_bench_letters), books one contract and generates its letter N times
(default 30) through `letter_generate`, the worker's code: claim, render with WeasyPrint,
store the PDF, e-mail it to the requester (the outbox row). Reports the first letter of the
process (WeasyPrint import, fonts and stylesheet set up once) apart from the following ones.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerxpress.settings")
os.environ["CELERY_BROKER_URL"] = "memory://localhost/"
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from contracts.models import (  # noqa: E402
    Letter,
    Product,
    Region,
    Release,
    Reseller,
    User,
)
from contracts.services import contract_book, customer_create, system_create  # noqa: E402
from contracts.services.letters import letter_generate, letter_request  # noqa: E402


def main(count: int) -> None:
    database = settings.DATABASES["default"]
    database["TEST"] = {**database.get("TEST", {}), "NAME": f"{database['NAME']}_bench_letters"}
    connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        reseller = Reseller.objects.create(
            account_number="R-1001",
            name="Pacific Voice Systems",
            region=Region.objects.get(code="NA"),
        )
        user = User.objects.create(username="rep", email="rep@example.com", reseller=reseller)
        customer = customer_create(
            reseller=reseller,
            name="Cascade Medical Center",
            site_address="412 Park Street, Seattle, WA",
            country="United States",
        )
        product = Product.objects.get(name="CallXpress")
        system = system_create(
            serial_number="CX-NA-0042",
            customer=customer,
            release=Release.objects.create(product=product, version="8.1"),
            um_clients=80,
            tts_channels=4,
        )
        contract = contract_book(
            system=system,
            kind="plan",
            booked_on=date(2026, 5, 1),
            term_months=12,
            covers_um_clients=True,
            covers_tts=True,
            po_number="PO-48213",
        )
        wall, cpu, render = [], [], []
        for number in range(count + 1):
            letter = letter_request(contract=contract, user=user, regenerate=number > 0)
            started, started_cpu = time.perf_counter(), time.process_time()
            assert letter_generate(letter.pk)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            render.append(Letter.objects.get(pk=letter.pk).render_ms)
        letter = Letter.objects.get()
        print(f"first letter of the process: {wall[0]:.0f} ms (render {render[0]} ms)")
        warm, warm_render = wall[1:], render[1:]
        print(
            f"next {count} letters: median {statistics.median(warm):.0f} ms, "
            f"p90 {statistics.quantiles(warm, n=10)[-1]:.0f} ms, min {min(warm):.0f} ms, "
            f"max {max(warm):.0f} ms; of which WeasyPrint: median "
            f"{statistics.median(warm_render):.0f} ms"
        )
        # CPU time is what one letter costs a worker; wall time also counts a busy machine.
        print(
            f"CPU time per letter: median {statistics.median(cpu[1:]):.0f} ms, "
            f"min {min(cpu[1:]):.0f} ms (load average now {os.getloadavg()[0]:.1f})"
        )
        print(f"the letter: {letter.pages} page(s), {letter.size / 1024:.0f} KiB")
    finally:
        connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
