"""Systems with coverage in a chosen status on a reseller's today, booked through the rules."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from contracts import rules
from contracts.models import Customer, Release, Reseller, System
from contracts.services import BookingBatch, contract_book
from tests.factories import CustomerFactory, ReleaseFactory, SystemFactory

# (kind, days before today it is booked, term): the first purchase giving each status today.
FIRST_PURCHASE = {
    "covered": (rules.PurchaseKind.PLAN, 100, 24),
    "expiring": (rules.PurchaseKind.PLAN, 300, 12),  # ends in about 65 days
    "grace": (rules.PurchaseKind.PLAN, 380, 12),  # ended about 15 days ago
    "lapsed": (rules.PurchaseKind.PLAN, 800, 12),
    "pending": (rules.PurchaseKind.NEW_PURCHASE, 5, 12),
}


def release(product: str = "CallXpress", version: str = "8.0") -> Release:
    """A release of a product; CallXpress has 7.5, 8.0 and 8.1 (current), RightFax is ineligible."""
    versions = {"CallXpress": ["7.5", "8.0", "8.1"], "Seneca": ["5.0", "5.1"], "RightFax": ["10.0"]}
    for other in versions[product]:
        ReleaseFactory(product__name=product, version=other)
    return ReleaseFactory(product__name=product, version=version)


def system_in_status(
    reseller: Reseller,
    status: str,
    today: date,
    *,
    customer: str = "Globex",
    serial_number: str | None = None,
    **fields,
) -> System:
    """A system of the reseller's customer whose status on `today` is `status`."""
    product = "RightFax" if status == "ineligible" else fields.pop("product", "CallXpress")
    version = "10.0" if product == "RightFax" else fields.pop("version", "8.0")
    chosen = release(product, version)
    extra = {"serial_number": serial_number} if serial_number else {}
    system = SystemFactory(
        customer=CustomerFactory(reseller=reseller, name=customer),
        product=chosen.product,
        release=chosen,
        **extra,
        **fields,
    )
    if status in FIRST_PURCHASE:
        kind, days_ago, term = FIRST_PURCHASE[status]
        contract_book(
            system=system,
            kind=kind,
            booked_on=today - timedelta(days=days_ago),
            term_months=term,
            covers_um_clients=rules.requires_um_coverage(system.um_clients),
            covers_tts=rules.requires_tts_coverage(system.tts_channels),
            po_number=f"PO-{system.serial_number}",
        )
    return system


def system_renewing_on(reseller: Reseller, first_of_month: date, **kwargs) -> System:
    """A covered system whose renewal would start on `first_of_month` (a 1st), for co-terms."""
    system = system_in_status(reseller, "never", first_of_month, **kwargs)
    contract_book(
        system=system,
        kind=rules.PurchaseKind.PLAN,
        booked_on=first_of_month - relativedelta(months=12),
        term_months=12,
    )
    return system


def bulk_systems(customer: Customer, count: int, today: date, prefix: str = "BLK") -> None:
    """`count` covered systems of one customer, written in bulk through the booking batch."""
    chosen = release("CallXpress", "8.0")
    batch = BookingBatch()
    for number in range(count):
        system = System(
            serial_number=f"{prefix}-{number:05d}",
            reseller=customer.reseller,
            customer=customer,
            customer_name=customer.name,
            product=chosen.product,
            release=chosen,
        )
        batch.add(system)
        booked = today - timedelta(days=number % 600)
        batch.book(system, rules.Booking(rules.PurchaseKind.PLAN, booked, 24, False, False))
    batch.save()
