"""`{{ amount|money:currency }}`: an amount with its currency ($1,612.00, £1,299.60)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from contracts.money import format_money

register = template.Library()


@register.filter
def money(amount: Decimal | str | None, currency: str) -> str:
    """An em dash when there is no amount (or no currency: an order from before prices)."""
    if amount in (None, "") or not currency:
        return "—"
    return format_money(Decimal(amount), currency)
