"""Writes of the records staff keep: customers, products and systems (not their coverage).

Models' save() writes only their own row; what else a change touches is written here: the
systems' copy of their customer's name and reseller, and the resellers' coverage version (the
name of their cached coverage figures). Admin, the CSV import, the demo data and tests call these.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import F, ProtectedError

from contracts import rules
from contracts.models import Customer, Product, Release, Reseller, System, User
from partnerxpress.core.errors import RuleViolation

SYSTEM_RECORD_FIELDS = (
    "serial_number",
    "customer",
    "product",
    "release",
    "installed_on",
    "um_clients",
    "tts_channels",
)
CUSTOMER_FIELDS = ("reseller", "name", "site_address", "country")
PRODUCT_FIELDS = ("name", "is_xpresscare_eligible")


def reseller_coverage_changed(reseller_ids: Iterable[int | None]) -> None:
    """Say that these resellers' systems' statuses may have changed: their cached figures go."""
    ids = {pk for pk in reseller_ids if pk is not None}
    if ids:
        Reseller.objects.filter(pk__in=ids).update(coverage_version=F("coverage_version") + 1)


def _only(fields: tuple[str, ...], changes: dict) -> None:
    unknown = set(changes) - set(fields)
    if unknown:
        raise TypeError(f"not editable here: {', '.join(sorted(unknown))}")


def customer_create(
    *,
    reseller: Reseller,
    name: str,
    site_address: str = "",
    country: str = "",
    by: User | None = None,
) -> Customer:
    """Record a reseller's new end customer."""
    customer = Customer(reseller=reseller, name=name, site_address=site_address, country=country)
    customer._history_user = by
    customer.save()
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, by: User | None = None, **changes) -> Customer:
    """Change a customer; a customer with systems stays with its reseller, and its systems
    take a new name with it (they carry it so the contracts list sorts without a join)."""
    _only(CUSTOMER_FIELDS, changes)
    before = Customer.objects.select_for_update().get(pk=customer.pk)
    for name, value in changes.items():
        setattr(customer, name, value)
    if customer.reseller_id != before.reseller_id:
        rules.check_customer_move(name=before.name, systems=before.systems.count())
    customer._history_user = by
    customer.save()
    customer.systems.exclude(customer_name=customer.name).update(customer_name=customer.name)
    return customer


def product_create(*, name: str, is_xpresscare_eligible: bool, by: User | None = None) -> Product:
    """Record a product (CallXpress, Seneca and RightFax come with the first migration)."""
    product = Product(name=name, is_xpresscare_eligible=is_xpresscare_eligible)
    product._history_user = by
    product.save()
    return product


@transaction.atomic
def product_update(*, product: Product, by: User | None = None, **changes) -> Product:
    """Rename a product, or change its eligibility while none of its systems has a contract."""
    _only(PRODUCT_FIELDS, changes)
    before = Product.objects.select_for_update().get(pk=product.pk)
    for name, value in changes.items():
        setattr(product, name, value)
    eligibility_changed = product.is_xpresscare_eligible != before.is_xpresscare_eligible
    if eligibility_changed:
        contracts = System.objects.filter(product=product, contracts__isnull=False).count()
        rules.check_eligibility_change(product=before.name, contracts=contracts)
    product._history_user = by
    product.save()
    if eligibility_changed:  # it decides every status of the product's systems
        resellers = System.objects.filter(product=product).values_list("reseller_id", flat=True)
        reseller_coverage_changed(resellers.distinct())
    return product


def _record(system: System, contracts: int) -> rules.SystemRecord:
    return rules.SystemRecord(
        serial_number=system.serial_number,
        product=system.product.name,
        release_product=system.release.product.name,
        reseller_id=system.customer.reseller_id,
        contracts=contracts,
    )


def system_check(system: System) -> None:
    """Apply the rules of a system's record to a changed (or new) system, before it is saved;
    raises RuleViolation. Forms call it to show a refusal on the field; the services too."""
    before = None
    if system.pk is not None:
        stored = System.objects.select_related("product", "release__product", "customer")
        stored = stored.get(pk=system.pk)
        before = _record(stored, stored.contracts.count())
    rules.check_system_change(before, _record(system, before.contracts if before else 0))


@transaction.atomic
def system_create(
    *,
    serial_number: str,
    customer: Customer,
    release: Release,
    product: Product | None = None,
    installed_on: date | None = None,
    um_clients: int = 0,
    tts_channels: int = 0,
    by: User | None = None,
) -> System:
    """Record a customer's system; its product is its release's unless another is named
    (which is refused). It starts with no coverage: status "never" (or not eligible)."""
    system = System(
        serial_number=serial_number,
        customer=customer,
        reseller_id=customer.reseller_id,
        customer_name=customer.name,
        product=product or release.product,
        release=release,
        installed_on=installed_on,
        um_clients=um_clients,
        tts_channels=tts_channels,
    )
    system_check(system)
    system._history_user = by
    system.save()
    reseller_coverage_changed([system.reseller_id])
    return system


@transaction.atomic
def system_update(*, system: System, by: User | None = None, **changes) -> System:
    """Change what staff record about a system, within the rules of `system_check`.

    The row is locked first (a booking locks it too), and only the recorded fields are written:
    the coverage summary belongs to the booking service.
    """
    _only(SYSTEM_RECORD_FIELDS, changes)
    locked = System.objects.select_for_update().get(pk=system.pk)
    for name, value in changes.items():
        setattr(system, name, value)
    system_check(system)
    system.reseller_id = system.customer.reseller_id
    system.customer_name = system.customer.name
    system._history_user = by
    system.save(update_fields=[*SYSTEM_RECORD_FIELDS, "reseller", "customer_name"])
    reseller_coverage_changed([locked.reseller_id, system.reseller_id])
    return system


@transaction.atomic
def system_delete(*, system: System, by: User | None = None) -> None:
    """Delete a system recorded in error; refused when it has contracts, orders or cases."""
    locked = System.objects.select_for_update().select_related("product", "release__product")
    locked = locked.select_related("customer").get(pk=system.pk)
    rules.check_system_delete(_record(locked, locked.contracts.count()))
    locked._history_user = by
    try:
        with transaction.atomic():
            locked.delete()
    except ProtectedError as error:
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})
        raise RuleViolation(
            "system_in_use",
            f"{locked.serial_number} cannot be deleted: it has {', '.join(kinds)}.",
        ) from None
    reseller_coverage_changed([locked.reseller_id])
