"""Writes of contracts data: booking XpressCare purchases and keeping coverage summaries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from contracts import rules
from contracts.models import Contract, System
from contracts.selectors import product_versions, release_current, system_facts

SUMMARY_FIELDS = [
    "chain_starts_on",
    "chain_ends_on",
    "prior_chain_starts_on",
    "prior_chain_ends_on",
]


def system_summarise_coverage(system: System, contracts: Iterable[Contract]) -> None:
    """Copy the last two chains of coverage onto the system's indexed columns (not saved)."""
    chain_list = rules.chains(contract.purchase.period for contract in contracts)
    last = chain_list[-1] if chain_list else None
    prior = chain_list[-2] if len(chain_list) > 1 else None
    system.chain_starts_on = last.starts_on if last else None
    system.chain_ends_on = last.ends_on if last else None
    system.prior_chain_starts_on = prior.starts_on if prior else None
    system.prior_chain_ends_on = prior.ends_on if prior else None


def system_lock(system: System) -> System:
    """Lock a system's row for this transaction and return it fresh.

    Only the system row is locked: PostgreSQL re-checks a joined row after waiting for a lock,
    so locking a join would lose the row when the release changed meanwhile.
    """
    locked = System.objects.select_for_update().get(pk=system.pk)
    # Reuse the product and release the caller already loaded; they are not locked anyway.
    for relation in ("product", "release"):
        cached = system._state.fields_cache.get(relation)
        if cached is not None and cached.pk == getattr(locked, f"{relation}_id"):
            setattr(locked, relation, cached)
    return locked


@transaction.atomic
def contract_book(
    *,
    system: System,
    kind: rules.Kind | str,
    booked_on: date,
    term_months: int,
    covers_um_clients: bool = False,
    covers_tts: bool = False,
    po_number: str = "",
    versions: tuple[str, ...] | None = None,
    **extra,
) -> Contract:
    """Book an XpressCare purchase for a system as of `booked_on`, or raise RuleViolation.

    The system row is locked first, so two bookings for one system are applied one after the
    other and the second sees the first (no overlap even when both arrive at once).
    `extra` holds further Contract fields (e.g. the order it came from).
    """
    system = system_lock(system)
    contracts = list(system.contracts.all())
    versions = product_versions(system.product) if versions is None else versions
    booking = rules.Booking(
        kind=rules.Kind(kind),
        booked_on=booked_on,
        term_months=term_months,
        covers_um_clients=covers_um_clients,
        covers_tts=covers_tts,
    )
    period = rules.book(system_facts(system, contracts, versions), booking)
    contract = Contract.objects.create(
        system=system,
        kind=booking.kind,
        booked_on=booked_on,
        starts_on=period.starts_on,
        term_months=term_months,
        ends_on=period.ends_on,
        covers_um_clients=covers_um_clients,
        covers_tts=covers_tts,
        po_number=po_number,
        **extra,
    )
    update_fields = list(SUMMARY_FIELDS)
    if booking.kind == rules.Kind.UPGRADE:
        # A paid upgrade moves the system to the current release.
        system.release = release_current(system.product)
        update_fields.append("release")
    system_summarise_coverage(system, [*contracts, contract])
    system.save(update_fields=update_fields)
    return contract


@transaction.atomic
def contract_cancel(*, contract: Contract) -> None:
    """Remove a booking made in error and recompute the system's coverage summary."""
    system = system_lock(contract.system)
    contract.delete()
    system_summarise_coverage(system, system.contracts.all())
    system.save(update_fields=SUMMARY_FIELDS)
