"""Write a legacy-import CSV of N rows (default 100,000) for timing the import.

    python bench/make_import_csv.py 100000 > /tmp/xpresscare.csv
    time python manage.py import_xpresscare /tmp/xpresscare.csv

Each system gets a first purchase and then renewals booked inside their windows, so every row
passes the rules; a few systems record only the system (empty kind) or are RightFax.
"""

import csv
import random
import sys
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

HEADER = (
    "reseller_account,reseller_name,region,customer_name,serial_number,product,release,"
    "installed_on,um_clients,tts_channels,kind,booked_on,term_months,covers_um_clients,"
    "covers_tts,po_number"
).split(",")  # SPEC §6.1; this script runs without Django, so it does not import the importer


def rows(total: int, seed: int = 7):
    rng = random.Random(seed)
    written = 0
    serial = 0
    while written < total:
        serial += 1
        account = f"R-{1000 + serial % 50}"
        region = "NA" if serial % 50 < 30 else "EMEA"
        product, release = rng.choice(
            [("CallXpress", "8.1"), ("CallXpress", "8.0"), ("Seneca", "5.1")]
        )
        if serial % 97 == 0:
            product, release = "RightFax", "10.0"
        base = [
            account,
            f"Reseller {account}",
            region,
            f"Customer {serial % 4000:04d}",
            f"BX-{serial:07d}",
            product,
            release,
            "2018-06-01",
        ]
        um = rng.choice([0, 0, 20, 80])
        tts = rng.choice([0, 0, 2])
        addons = ["true" if um > 50 else "false", "true" if tts else "false"]
        if product == "RightFax":
            yield [*base, 0, 0, "", "", "", "", "", ""]
            written += 1
            continue
        booked = date(2018, 1, 1) + timedelta(days=rng.randrange(0, 2500))
        kind, term = rng.choice([("plan", 12), ("new_purchase", 12), ("upgrade", 24)])
        start = booked + timedelta(days=30 if kind == "new_purchase" else 0)
        while written < total and booked < date(2026, 11, 1):
            yield [*base, um, tts, kind, booked.isoformat(), term, *addons, f"PO-{written}"]
            written += 1
            end = start + relativedelta(months=term) - timedelta(days=1)
            kind, term = "renewal", rng.choice([12, 12, 12, 13, 24, 36])
            booked = end - timedelta(days=rng.randrange(0, 40))  # early or in the 30-day grace
            start = end + timedelta(days=1)
            if rng.random() < 0.1:
                break


if __name__ == "__main__":
    out = csv.writer(sys.stdout)
    out.writerow(HEADER)
    out.writerows(rows(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
