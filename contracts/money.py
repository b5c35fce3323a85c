"""Amounts shown with their currency, in that currency's own locale (SPEC §1.7).

Pure: no ORM, no settings. The currency of an amount comes from `rules.currency_for_region`.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency

# Each currency in its home locale: en_GB would write USD as "US$1,612.00".
LOCALES = {"USD": "en_US", "GBP": "en_GB"}


def format_money(amount: Decimal | None, currency: str) -> str:
    """The amount with its currency, e.g. $1,612.00 or £1,299.60; "" when there is none."""
    if amount is None:
        return ""
    return _formatted(Decimal(amount), currency)


# Babel parses and applies the locale's pattern each time; a renewal e-mail or a price list
# shows the same few amounts hundreds of times.
@lru_cache(maxsize=4096)
def _formatted(amount: Decimal, currency: str) -> str:
    return format_currency(amount, currency, locale=LOCALES[currency])
