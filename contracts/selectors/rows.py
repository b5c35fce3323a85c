"""The rows of the XpressCare Contracts page: plain values and each system's coverage summary,
no model instance per system and no walk through its whole history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from contracts import rules
from contracts.models import Contract, RenewalDecision, Reseller
from contracts.rules import prices
from contracts.selectors import (
    ShowsCoverage,
    decisions_applying,
    pricings_for,
    release_versions,
    system_value_entitlement,
    system_values,
)
from partnerxpress.core.tenancy import for_user


@dataclass(frozen=True)
class ListedSystem:
    """A system as a list row shows it: a `system_values` row."""

    pk: int
    serial_number: str
    reseller_id: int
    customer_id: int
    customer_name: str
    product_id: int
    product_name: str
    release_version: str
    um_clients: int
    tts_channels: int
    values: dict = field(repr=False, compare=False)  # the row, for `system_value_entitlement`


@dataclass(frozen=True)
class ListRow(ShowsCoverage):
    """A row of the contracts page: the entitlement on a date from the coverage summary
    (`system_value_entitlement`, equal to the full rule for today), the add-ons of the period
    its coverage starts with, the 12-month renewal price and the decision that applies."""

    system: ListedSystem
    entitlement: rules.Entitlement
    covers_um_clients: bool = False
    covers_tts: bool = False
    renewal_price: prices.LinePrice | None = None  # 12 months, required add-ons; if renewable
    decision: RenewalDecision | None = None


def listed_systems(user, keys: Sequence[int], on: date) -> list[ListedSystem]:
    """The systems with these pks that the user may see, in the order of `keys`, with what
    their rows need for `on`: one query."""
    found = {row["id"]: row for row in for_user(system_values(on), user).filter(pk__in=keys)}
    return [
        ListedSystem(
            pk=row["id"],
            serial_number=row["serial_number"],
            reseller_id=row["reseller_id"],
            customer_id=row["customer_id"],
            customer_name=row["customer_name"],
            product_id=row["product_id"],
            product_name=row["product_name"],
            release_version=row["release_version"],
            um_clients=row["um_clients"],
            tts_channels=row["tts_channels"],
            values=row,
        )
        for row in (found[key] for key in keys if key in found)
    ]


def system_list_rows(
    systems: Sequence[ListedSystem], on: date, resellers: Iterable[Reseller] = ()
) -> list[ListRow]:
    """The rows of `listed_systems(…, on)`: five or six queries for any number. `resellers`
    already loaded with their region (the user's own) are not read again."""
    if not systems:
        return []
    versions = release_versions({system.product_id for system in systems})
    entitlements = [system_value_entitlement(system.values, on, versions) for system in systems]
    add_ons = _add_ons(
        {s.pk: e.coverage.starts_on for s, e in zip(systems, entitlements, strict=True)}
    )
    loaded = {reseller.pk: reseller for reseller in resellers}
    missing = {system.reseller_id for system in systems} - set(loaded)
    if missing:
        loaded.update(
            (reseller.pk, reseller)
            for reseller in Reseller.objects.select_related("region").filter(pk__in=missing)
        )
    pricings = pricings_for(loaded.values(), on)
    rows = []
    for system, entitlement in zip(systems, entitlements, strict=True):
        renewable = entitlement.coverage.renewable
        price = pricings[system.reseller_id].renewal(system) if renewable else None
        um, tts = add_ons.get(system.pk, (False, False))
        rows.append(ListRow(system, entitlement, um, tts, price))
    applying = decisions_applying(rows, on)
    return [
        replace(row, decision=applying[row.system.pk]) if row.system.pk in applying else row
        for row in rows
    ]


def _add_ons(starts: dict[int, date | None]) -> dict[int, tuple[bool, bool]]:
    """(UM clients, TTS) of the period each system's coverage starts with: one query."""
    periods = Contract.objects.filter(system__in=list(starts)).values_list(
        "system_id", "starts_on", "covers_um_clients", "covers_tts"
    )
    return {
        system_id: (um, tts)
        for system_id, starts_on, um, tts in periods.order_by()
        if starts[system_id] == starts_on
    }
