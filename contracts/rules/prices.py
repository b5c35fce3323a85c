"""Prices of XpressCare and upgrades (SPEC §1.7): pure, no ORM, no clock, never a float.

Amounts are in the reseller's currency (`rules.currency_for_region`). One function,
`line_price`, prices every line a reseller chooses or reviews: the renewal quote,
the order forms, orders, their e-mails, the monthly e-mail and the pipeline all call it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from contracts.rules.coverage import PurchaseKind
from partnerxpress.core.errors import RuleViolation

CURRENCIES = {"NA": "USD", "EMEA": "GBP"}


def currency_for_region(code: str) -> str:
    """The currency a region's resellers buy and are billed in (SPEC §1.7): NA USD, EMEA GBP."""
    try:
        return CURRENCIES[code]
    except KeyError:
        raise ValueError(f"No currency is set for region {code!r} (SPEC §1.7).") from None


CENT = Decimal("0.01")
HUNDRED = Decimal(100)
MAX_RESELLER_DISCOUNT = Decimal(50)
PRICED_KINDS = frozenset({PurchaseKind.RENEWAL, PurchaseKind.PLAN, PurchaseKind.UPGRADE})


def round2(value: Decimal) -> Decimal:
    """To cents, halves up (Python's round() would round halves to even)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PriceList:
    """The price list entry in force for one product and currency on a date."""

    currency: str
    xpresscare_annual: Decimal  # one system, one year
    um_client_annual: Decimal  # per UM client, when UM clients are covered
    tts_channel_annual: Decimal  # per TTS channel, when TTS is covered
    upgrade: Decimal  # a paid upgrade, with its first 12 months of XpressCare


@dataclass(frozen=True)
class LinePrice:
    """What one line costs: its list price, and the net price after both discounts."""

    currency: str
    list_price: Decimal
    net_price: Decimal
    term_discount: Decimal  # percent
    reseller_discount: Decimal  # percent


def annual_price(
    prices: PriceList,
    *,
    um_clients: int,
    tts_channels: int,
    covers_um_clients: bool,
    covers_tts: bool,
) -> Decimal:
    """One year of XpressCare for a system with the add-ons it covers."""
    annual = prices.xpresscare_annual
    if covers_um_clients:
        annual += um_clients * prices.um_client_annual
    if covers_tts:
        annual += tts_channels * prices.tts_channel_annual
    return annual


def line_price(
    prices: PriceList,
    *,
    kind: PurchaseKind,
    term_months: int,
    um_clients: int,
    tts_channels: int,
    covers_um_clients: bool,
    covers_tts: bool,
    term_discounts: Mapping[int, Decimal],
    reseller_discount: Decimal,
) -> LinePrice:
    """The list and net price of a renewal, plan or paid upgrade of one system (SPEC §1.7)."""
    if kind not in PRICED_KINDS:
        raise ValueError(f"{kind} has no price")
    annual = annual_price(
        prices,
        um_clients=um_clients,
        tts_channels=tts_channels,
        covers_um_clients=covers_um_clients,
        covers_tts=covers_tts,
    )
    if kind == PurchaseKind.UPGRADE:
        list_price = prices.upgrade + round2(annual * (term_months - 12) / 12)
    else:
        list_price = round2(annual * term_months / 12)
    term_discount = term_discounts.get(term_months, Decimal(0))
    net = list_price * (HUNDRED - term_discount) / HUNDRED * (HUNDRED - reseller_discount) / HUNDRED
    return LinePrice(prices.currency, list_price, round2(net), term_discount, reseller_discount)


def free(currency: str) -> LinePrice:
    """A line that costs nothing: a no-charge upgrade."""
    zero = Decimal("0.00")
    return LinePrice(currency, zero, zero, Decimal(0), Decimal(0))


def check_reseller_discount(percent: Decimal) -> None:
    if not Decimal(0) <= percent <= MAX_RESELLER_DISCOUNT:
        raise RuleViolation(
            "discount_out_of_range",
            f"A reseller discount is between 0 and {MAX_RESELLER_DISCOUNT} percent.",
            "discount_percent",
        )


def check_term_discount(percent: Decimal) -> None:
    if not Decimal(0) <= percent < HUNDRED:
        raise RuleViolation(
            "discount_out_of_range",
            "A term discount is at least 0 and less than 100 percent.",
            "percent",
        )


def check_prices(prices: PriceList) -> None:
    """Every amount of a price list entry is zero or more."""
    for name in ("xpresscare_annual", "um_client_annual", "tts_channel_annual", "upgrade"):
        if getattr(prices, name) < 0:
            raise RuleViolation("negative_price", "A price cannot be negative.", name)
