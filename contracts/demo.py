"""Demo data for `manage.py seed_demo`: two resellers whose systems show every status today.

Dates are relative to the day it runs, and everything is booked through the booking batch, so
the demo obeys the same rules as real data. Running it again changes nothing that exists.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from contracts import rules
from contracts.coverage_sql import systems_with_status
from contracts.models import (
    Contract,
    Customer,
    Product,
    Region,
    Release,
    RenewalDecision,
    Reseller,
    System,
    User,
)
from contracts.services import BookingBatch, customer_create, renewal_decision_record

PASSWORD = "partnerxpress"
RELEASES = {
    "CallXpress": ["7.0", "7.5", "8.0", "8.1"],
    "Seneca": ["4.5", "5.0", "5.1"],
    "RightFax": ["10.0", "11.0"],
}
CUSTOMER_NAMES = [
    "Alder Creek Hospital",
    "Bayview Credit Union",
    "Blue Ridge County Schools",
    "Cascade Medical Center",
    "Cedar Logistics",
    "Coastal Insurance Group",
    "Crescent Hotels",
    "Evergreen University",
    "Fairhaven City Hall",
    "Foxglove Pharmaceuticals",
    "Granite State Utilities",
    "Harbor Freight Lines",
    "Highland Law Partners",
    "Ironwood Manufacturing",
    "Juniper Telecom Services",
    "Keystone Bank",
    "Lakeside Clinic",
    "Maple Leaf Foods",
    "Meridian Health Plan",
    "Northwind Traders",
    "Oakridge Senior Living",
    "Pinecrest Realty",
    "Quarry Stone Works",
    "Redwood Public Library",
    "Riverside Dental",
    "Summit Outdoor Gear",
    "Tidewater Shipping",
    "Union Station Transit",
    "Valley Farm Co-op",
    "Willow Creek Resorts",
    "Yellowstone Energy",
    "Zephyr Airlines",
]
SITES = {
    "NA": [
        ("United States", "Seattle, WA"),
        ("United States", "Portland, OR"),
        ("United States", "Denver, CO"),
        ("Canada", "Vancouver, BC"),
    ],
    "EMEA": [
        ("United Kingdom", "London"),
        ("United Kingdom", "Manchester"),
        ("Ireland", "Dublin"),
        ("Netherlands", "Rotterdam"),
    ],
}
STREETS = ["Main", "High", "Park", "Station", "Mill", "Church"]
SERIAL_PREFIX = {"CallXpress": "CX", "Seneca": "SN", "RightFax": "RF"}
# How many of each reseller's systems end today in each status (and how many extra chains).
STATUS_MIX = [
    ("covered", 60),
    ("expiring", 25),
    ("grace", 12),
    ("lapsed", 18),
    ("revived", 6),
    ("pending", 8),
    ("never", 14),
    ("rightfax", 7),
]


@dataclass(frozen=True)
class DemoReseller:
    account: str
    name: str
    region: str
    prefix: str
    user: str
    first_name: str
    last_name: str
    discount_percent: Decimal = Decimal(0)


PRODUCT_MIX = ["CallXpress", "CallXpress", "Seneca"]

RESELLERS = [
    DemoReseller("R-1001", "Pacific Voice Systems", "NA", "NA", "na-rep", "Nora", "Reyes"),
    DemoReseller(
        "R-2001", "Thames Telecom", "EMEA", "EU", "emea-rep", "Emma", "Ellis", Decimal(10)
    ),
]


def _user(username: str, **fields) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults=fields)
    if not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return user


def _releases() -> dict[str, list[Release]]:
    made = {}
    for product_name, versions in RELEASES.items():
        product = Product.objects.get(name=product_name)
        made[product_name] = [
            Release.objects.get_or_create(product=product, version=version)[0]
            for version in versions
        ]
    return made


class _Histories:
    """Books a plausible history for one system that ends today in the wanted status."""

    def __init__(self, batch: BookingBatch, today: date, rng: random.Random) -> None:
        self.batch, self.today, self.rng = batch, today, rng

    def book(
        self, system: System, kind: rules.PurchaseKind, booked_on: date, term: int
    ) -> rules.Period:
        booking = rules.Booking(
            kind=kind,
            booked_on=booked_on,
            term_months=term,
            covers_um_clients=rules.requires_um_coverage(system.um_clients),
            covers_tts=rules.requires_tts_coverage(system.tts_channels),
        )
        contract = self.batch.book(
            system, booking, po_number=f"PO-{self.rng.randrange(10000, 99999)}"
        )
        return contract.purchase.period

    def chain_ending(
        self, system: System, end: date, periods: int, first=rules.PurchaseKind.PLAN
    ) -> None:
        """Periods back to back whose last one ends on (about) `end`, each booked in its window."""
        terms = [self.rng.choice([12, 12, 12, 24, 36]) for _ in range(periods)]
        while True:
            start = end + timedelta(days=1) - relativedelta(months=sum(terms))
            delay = rules.NEW_PURCHASE_DELAY_DAYS if first == rules.PurchaseKind.NEW_PURCHASE else 0
            booked = start - timedelta(days=delay)
            if booked < self.today - timedelta(days=len(terms)):
                break
            terms.insert(0, 12)  # nothing is booked in the future: start a year earlier
        period = self.book(system, first, booked, terms[0])
        for number, term in enumerate(terms[1:]):
            # Booked in the window, never in the future, and never two on one day.
            early = period.ends_on - timedelta(days=self.rng.randrange(-25, 45))
            booked = min(early, self.today - timedelta(days=len(terms) - number))
            period = self.book(system, rules.PurchaseKind.RENEWAL, booked, term)

    def make(self, system: System, status: str) -> None:
        today, rng = self.today, self.rng
        first = rng.choice([rules.PurchaseKind.PLAN, rules.PurchaseKind.NEW_PURCHASE])
        if status == "covered":
            end = today + timedelta(days=rng.randrange(95, 700))
            self.chain_ending(system, end, rng.randrange(1, 4), first)
        elif status == "expiring":
            end = today + timedelta(days=rng.randrange(0, 88))
            self.chain_ending(system, end, rng.randrange(1, 4), first)
        elif status == "grace":
            end = today - timedelta(days=rng.randrange(3, 28))
            self.chain_ending(system, end, rng.randrange(1, 3), first)
        elif status in ("lapsed", "revived"):
            end = today - timedelta(days=rng.randrange(60, 500))
            self.chain_ending(system, end, rng.randrange(1, 3), first)
            if status == "revived":  # a lapse, then a paid upgrade back onto XpressCare
                self.book(
                    system,
                    rules.PurchaseKind.UPGRADE,
                    today - timedelta(days=rng.randrange(5, 40)),
                    12,
                )
        elif status == "pending":
            self.book(
                system,
                rules.PurchaseKind.NEW_PURCHASE,
                today - timedelta(days=rng.randrange(1, 28)),
                12,
            )


def _seed_reseller(spec: DemoReseller, staff: User, releases: dict[str, list[Release]]) -> None:
    region = Region.objects.get(code=spec.region)
    reseller, _ = Reseller.objects.get_or_create(
        account_number=spec.account,
        defaults={
            "name": spec.name,
            "region": region,
            "sales_representative": staff,
            "discount_percent": spec.discount_percent,
        },
    )
    _user(
        spec.user,
        reseller=reseller,
        email=f"{spec.user}@reseller.example",
        first_name=spec.first_name,
        last_name=spec.last_name,
        has_contracts_access=True,
        is_contract_representative=True,
        is_certified_technician=True,
        certification_expires_on=region.today(timezone.now()) + timedelta(days=400),
    )
    if reseller.systems.exists():
        return  # seeded before: keep its history as it is
    rng = random.Random(spec.account)
    _seed_systems(spec, _seed_customers(spec, reseller, rng), releases, rng)


def _seed_customers(spec: DemoReseller, reseller: Reseller, rng: random.Random) -> list[Customer]:
    customers = []
    for name in rng.sample(CUSTOMER_NAMES, 26):
        country, city = rng.choice(SITES[spec.region])
        site_address = f"{rng.randrange(1, 999)} {rng.choice(STREETS)} Street, {city}"
        customer = Customer.objects.filter(reseller=reseller, name=name).first()
        if customer is None:
            customer = customer_create(
                reseller=reseller, name=name, site_address=site_address, country=country
            )
        customers.append(customer)
    return customers


def _seed_systems(
    spec: DemoReseller,
    customers: list[Customer],
    releases: dict[str, list[Release]],
    rng: random.Random,
) -> None:
    """The reseller's systems in the STATUS_MIX, each with a coverage history that makes it so."""
    today = customers[0].reseller.region.today(timezone.now())
    batch = BookingBatch()
    histories = _Histories(batch, today, rng)
    statuses = [status for status, count in STATUS_MIX for _ in range(count)]
    for number, status in enumerate(statuses, start=1):
        product = "RightFax" if status == "rightfax" else rng.choice(PRODUCT_MIX)
        # Most systems run the current or previous release; a few are older.
        release = rng.choice(releases[product][-2:] * 3 + releases[product][:-2])
        system = System(
            serial_number=f"{SERIAL_PREFIX[product]}-{spec.prefix}-{number:04d}",
            customer=rng.choice(customers),
            product=release.product,
            release=release,
            um_clients=rng.choice([0, 0, 10, 25, 50, 80, 200]),
            tts_channels=rng.choice([0, 0, 0, 2, 4]),
        )
        batch.add(system)
        histories.make(system, status)
        system.installed_on = _installed_on(batch.purchases(system), today, rng)
    batch.save()


def _installed_on(purchases: list[Contract], today: date, rng: random.Random) -> date:
    """Installed before its coverage began; with XpressCare bought new, on the day it was sold."""
    if not purchases:
        return today - timedelta(days=rng.randrange(100, 3650))
    first = min(purchases, key=lambda purchase: purchase.starts_on)
    if first.kind == rules.PurchaseKind.NEW_PURCHASE:
        return first.booked_on
    return first.starts_on - timedelta(days=rng.randrange(0, 400))


@transaction.atomic
def seed_demo() -> None:
    """Create or complete the demo data and logins (SPEC §6.4)."""
    staff = _user(
        "staff",
        is_staff=True,
        is_superuser=True,
        email="staff@avst.example",
        first_name="Sam",
        last_name="Staff",
    )
    releases = _releases()
    for spec in RESELLERS:
        _seed_reseller(spec, staff, releases)
    na = Reseller.objects.get(account_number="R-1001")
    _user(
        "na-viewer",
        reseller=na,
        email="na-viewer@reseller.example",
        first_name="Nia",
        last_name="Vega",
        has_contracts_access=False,
    )


def seed_decisions(rep: User, today: date) -> None:
    """Renewal decisions a reseller would have made (SPEC §1.8): a decommissioned system, one
    renewed elsewhere, and a reminder; on systems with no order, so the demo stays coherent."""
    if RenewalDecision.objects.filter(system__reseller=rep.reseller).exists():
        return
    systems = System.objects.filter(reseller=rep.reseller, order_lines__isnull=True)
    expiring = systems_with_status(systems, rules.Status.EXPIRING, today)
    in_grace = systems_with_status(systems, rules.Status.GRACE, today)
    picks = [*expiring.order_by("-serial_number")[:2], *in_grace.order_by("-serial_number")[:1]]
    choices = [
        {"kind": "will_not_renew", "reason": "decommissioned", "note": "Replaced by Teams Phone."},
        {"kind": "remind_later", "until": today + timedelta(days=14), "note": "Budget in Jan."},
        {"kind": "will_not_renew", "reason": "renews_elsewhere", "note": ""},
    ]
    for system, choice in zip(picks, choices, strict=False):
        renewal_decision_record(system=system, user=rep, today=today, **choice)
