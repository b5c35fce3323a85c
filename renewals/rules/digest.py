"""Rules of the monthly renewal e-mail (SPEC §5): its month, its outbox keys, its sections.

Pure: no ORM, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

MAX_RUN_ATTEMPTS = 3  # a digest that fails to compose is tried again each hour, this many times
SECTION_TITLES = {
    "expired": "Expired recently — still renewable",
    "due": "Due for renewal in the next 90 days",
}


def digest_month(on: date) -> date:
    """The month a digest sent on `on` belongs to: its first day."""
    return on.replace(day=1)


def digest_email_key_prefix(account_number: str, month: date) -> str:
    """Every outbox key of one reseller's digest for one month starts with this."""
    return f"digest:{account_number}:{month:%Y-%m}:"


def digest_email_key(account_number: str, month: date, user_id: int) -> str:
    """The outbox key that makes the digest go once per representative per month."""
    return f"{digest_email_key_prefix(account_number, month)}{user_id}"


@dataclass(frozen=True)
class DigestCustomer:
    """One customer's systems in one section, earliest expiry first."""

    name: str
    rows: tuple[Any, ...]

    @property
    def total(self) -> Decimal | None:
        """What renewing them all for 12 months costs the reseller (None if one is unpriced)."""
        prices = [row.price for row in self.rows]
        if not prices or None in prices:
            return None
        return sum((price.net_price for price in prices), Decimal("0.00"))

    @property
    def currency(self) -> str:
        return self.rows[0].price.currency if self.rows and self.rows[0].price else ""


@dataclass(frozen=True)
class DigestSection:
    """Recently expired or due systems, by customer."""

    key: str
    title: str
    count: int
    customers: tuple[DigestCustomer, ...]


def digest_sections(rows: Sequence[Any]) -> tuple[DigestSection, ...]:
    """Rows (`renewals.due.DueSystem`) in sections, expired first, then by customer and expiry."""
    sections = []
    for key, title in SECTION_TITLES.items():
        in_section = [row for row in rows if row.section == key]
        if not in_section:
            continue
        customers: dict[tuple[str, int], list] = {}
        for row in sorted(in_section, key=lambda r: (r.customer, r.customer_id)):
            customers.setdefault((row.customer, row.customer_id), []).append(row)
        sections.append(
            DigestSection(
                key=key,
                title=title,
                count=len(in_section),
                customers=tuple(
                    DigestCustomer(
                        name=name,
                        rows=tuple(
                            sorted(group, key=lambda r: (r.coverage_ends_on, r.serial_number))
                        ),
                    )
                    for (name, _), group in customers.items()
                ),
            )
        )
    return tuple(sections)
