"""Reads of prices (SPEC §1.7): what is in force for a reseller on a date, loaded once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from contracts import rules
from contracts.models import PriceListEntry, Reseller, System, TermDiscount
from contracts.rules import prices

# A line's prices for every term and add-on choice: {"13:um+tts": {"list": "2015.00", "net": …}}
PriceTable = dict[str, dict[str, str]]


def price_key(term_months: int, covers_um_clients: bool, covers_tts: bool) -> str:
    """The key of one choice in a PriceTable (static/portal/prices.js builds the same)."""
    return f"{term_months}:{'um' if covers_um_clients else ''}+{'tts' if covers_tts else ''}"


@dataclass(frozen=True)
class Pricing:
    """What prices a reseller's lines on a date (SPEC §1.7), loaded once for any number."""

    on: date
    currency: str
    entries: dict[int, PriceListEntry]  # the entry in force, by product id
    term_discounts: dict[int, Decimal]
    reseller_discount: Decimal

    def line(
        self,
        system: System,
        *,
        kind: rules.PurchaseKind,
        term_months: int,
        covers_um_clients: bool,
        covers_tts: bool,
    ) -> prices.LinePrice | None:
        """A line's price, or None when no price list entry is in force for its product."""
        entry = self.entries.get(system.product_id)
        if entry is None:
            return None
        return prices.line_price(
            entry.as_rule,
            kind=kind,
            term_months=term_months,
            um_clients=system.um_clients,
            tts_channels=system.tts_channels,
            covers_um_clients=covers_um_clients,
            covers_tts=covers_tts,
            term_discounts=self.term_discounts,
            reseller_discount=self.reseller_discount,
        )

    def table(
        self, system: System, kind: rules.PurchaseKind, terms: Iterable[int]
    ) -> PriceTable | None:
        """Every term with every add-on choice (see `price_key`), for a form that shows the
        price of what is chosen as it changes (static/portal/prices.js); None if unpriced."""
        table = {}
        for term in terms:
            for um, tts in ((False, False), (True, False), (False, True), (True, True)):
                price = self.line(
                    system, kind=kind, term_months=term, covers_um_clients=um, covers_tts=tts
                )
                if price is None:
                    return None
                table[price_key(term, um, tts)] = {
                    "list": str(price.list_price),
                    "net": str(price.net_price),
                }
        return table

    def renewal(self, system: System, term_months: int = 12) -> prices.LinePrice | None:
        """A renewal of `term_months` with the add-ons the system requires."""
        return self.line(
            system,
            kind=rules.PurchaseKind.RENEWAL,
            term_months=term_months,
            covers_um_clients=rules.requires_um_coverage(system.um_clients),
            covers_tts=rules.requires_tts_coverage(system.tts_channels),
        )


def pricing_for(reseller: Reseller, on: date) -> Pricing:
    """The prices in force for a reseller on `on`, in its currency, with its discount."""
    return pricings_for([reseller], on)[reseller.pk]


def pricings_for(resellers: Iterable[Reseller], on: date) -> dict[int, Pricing]:
    """`pricing_for` of each reseller (region loaded), by pk: two queries for any number."""
    resellers = {reseller.pk: reseller for reseller in resellers}
    currencies = {reseller.currency for reseller in resellers.values()}
    entries: dict[str, dict[int, PriceListEntry]] = {currency: {} for currency in currencies}
    in_force = PriceListEntry.objects.filter(currency__in=currencies, effective_from__lte=on)
    for entry in in_force.order_by("product_id", "-effective_from"):
        entries[entry.currency].setdefault(entry.product_id, entry)  # the latest first
    discounts = dict(TermDiscount.objects.values_list("term_months", "percent"))
    return {
        pk: Pricing(on, r.currency, entries[r.currency], discounts, r.discount_percent)
        for pk, r in resellers.items()
    }
