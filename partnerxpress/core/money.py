"""Money as readers see it: an amount always with its currency, in their locale.

US English readers see `$1,612.00` and `£1,299.60`; UK English readers `£1,299.60` and
`US$1,612.00` (Babel's CLDR data). The locale is the active language: the browser's for pages,
the reseller's region's for e-mails and PDFs.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency
from django.utils.translation import get_language

LOCALES = {"en-gb": "en_GB"}  # any other English is US English


def money_locale(language: str | None = None) -> str:
    return LOCALES.get((language or get_language() or "").lower(), "en_US")


def format_money(amount: Decimal | str | None, currency: str, language: str | None = None) -> str:
    """`$1,612.00`; an em dash when there is no amount (e.g. an order from before prices)."""
    if amount in (None, "") or not currency:
        return "—"
    return format_currency(Decimal(str(amount)), currency, locale=money_locale(language))
