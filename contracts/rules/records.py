"""Rules of the records staff keep about systems, customers and products (SPEC §1.2): what a
change may not do once coverage depends on it. Pure functions, no ORM, no clock."""

from __future__ import annotations

import re
from dataclasses import dataclass

from partnerxpress.core.errors import RuleViolation

# A serial number is part of addresses (/systems/<serial>/, the API, calendar events): letters,
# digits and . _ - only, starting with a letter or digit.
SERIAL_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def is_serial_number(text: str) -> bool:
    """Only letters, digits, ".", "_" and "-", starting with a letter or digit."""
    return SERIAL_NUMBER.fullmatch(text) is not None


def check_serial_number(serial_number: str) -> None:
    if not is_serial_number(serial_number):
        raise RuleViolation(
            "serial_number_characters",
            f"Serial number “{serial_number}”: use only letters, digits, “.”, “_” and “-”, "
            "starting with a letter or digit.",
            "serial_number",
        )


@dataclass(frozen=True)
class SystemRecord:
    """What staff record about a system that its coverage depends on."""

    serial_number: str
    product: str
    release_product: str  # the product the installed release belongs to
    reseller_id: int
    contracts: int  # how many XpressCare contracts it has


def check_system_change(before: SystemRecord | None, after: SystemRecord) -> None:
    """A release belongs to the system's product; a system with contracts keeps its product
    (eligibility and every contract's terms depend on it) and its reseller (who bought them)."""
    if after.release_product != after.product:
        raise RuleViolation(
            "release_of_other_product",
            f"That is a {after.release_product} release: choose a release of {after.product}.",
            "release",
        )
    if before is None or not before.contracts:
        return
    if after.product != before.product:
        raise RuleViolation(
            "product_fixed",
            f"{before.serial_number} has XpressCare contracts as a {before.product} system: its "
            "product cannot change. Record the other product's system under its own serial number.",
            "product",
        )
    if after.reseller_id != before.reseller_id:
        raise RuleViolation(
            "reseller_fixed",
            f"{before.serial_number} has XpressCare contracts bought through its reseller: it can "
            "move only to another customer of the same reseller.",
            "customer",
        )


def check_system_delete(record: SystemRecord) -> None:
    """A system with contracts is the record of what was sold: it is never deleted."""
    if record.contracts:
        raise RuleViolation(
            "system_has_contracts",
            f"{record.serial_number} has {record.contracts} XpressCare contract(s): a system "
            "with coverage history cannot be deleted.",
        )


def check_customer_move(*, name: str, systems: int) -> None:
    """A customer's systems (and their coverage) belong to its reseller: it stays with it."""
    if systems:
        raise RuleViolation(
            "customer_has_systems",
            f"{name} has {systems} system(s) of this reseller: it cannot move to another one.",
            "reseller",
        )


def check_eligibility_change(*, product: str, contracts: int) -> None:
    """Whether a product is XpressCare-eligible decides its contracts: fixed once it has any."""
    if contracts:
        raise RuleViolation(
            "eligibility_fixed",
            f"{product} systems have {contracts} XpressCare contract(s): whether {product} is "
            "XpressCare-eligible cannot change.",
            "is_xpresscare_eligible",
        )
