"""Renewal quotes (SPEC §1.4): each system's allowed terms, and the co-term suggestion.

Pure: it composes `contracts.rules.renewal_options` and `renewals.rules.coterm_suggestion` over
facts the selectors loaded. The system page and the renewal form both suggest a co-term
through `coterm_of`, so the same systems on the same date get the same suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from contracts import rules as contract_rules
from contracts.models import System
from contracts.rules.prices import LinePrice
from partnerxpress.core.errors import RuleViolation
from renewals import rules


@dataclass(frozen=True)
class RenewalChoice:
    """A system and the renewal terms the reseller may choose from on a date."""

    system: System
    entitlement: contract_rules.Entitlement
    options: tuple[contract_rules.RenewalOption, ...]
    reason: str | None  # why it cannot be renewed, when `options` is empty

    @property
    def offers(self) -> tuple[rules.OrderKind, ...]:
        return rules.order_offers(self.entitlement)


def renewal_choice(system: System, facts: contract_rules.SystemFacts, on: date) -> RenewalChoice:
    """Every renewal term of a system on `on`, or the reason there is none."""
    try:
        options, reason = contract_rules.renewal_options(facts, on), None
    except RuleViolation as refused:
        options, reason = (), refused.message
    return RenewalChoice(system, contract_rules.entitlement_on(facts, on), options, reason)


def coterm_of(
    choices: Iterable[RenewalChoice], *, including: int | None = None
) -> rules.Coterm | None:
    """The co-term suggestion for the renewable systems among `choices` (terms by system pk).

    `including`, a system's pk, keeps that system in the suggestion when it is renewable.
    """
    starts = {choice.system.pk: choice.options[0].starts_on for choice in choices if choice.options}
    return rules.coterm_suggestion(starts, including=including if including in starts else None)


@dataclass(frozen=True)
class CotermLine:
    """One system of a co-term suggestion: renew for `term_months` from `starts_on`."""

    serial_number: str
    starts_on: date
    term_months: int
    is_this_system: bool


@dataclass(frozen=True)
class RenewalQuote:
    """The renewal quote of one system's page, with its co-term suggestion."""

    options: tuple[contract_rules.RenewalOption, ...]
    reason: str | None  # why there are no options
    coterm_ends_on: date | None
    coterm_lines: tuple[CotermLine, ...]  # this system first, then by serial number
    others_considered: int  # the customer's other renewable systems
    prices: tuple[LinePrice | None, ...] = ()  # each option's, with the required add-ons

    @property
    def priced_options(self) -> list[tuple[contract_rules.RenewalOption, LinePrice | None]]:
        return list(zip(self.options, self.prices or [None] * len(self.options), strict=True))


def renewal_quote(
    this: RenewalChoice,
    others: Sequence[RenewalChoice],
    prices: Sequence[LinePrice | None] = (),
) -> RenewalQuote:
    """A system's renewal terms (priced, when `prices` gives each option's), and the terms that
    co-term it with the customer's other renewable systems (`others`): all of them, or as
    many as one common end date allows."""
    if not this.options:
        return RenewalQuote((), this.reason, None, (), len(others))
    suggestion = coterm_of([this, *others], including=this.system.pk)
    if suggestion is None:
        return RenewalQuote(this.options, None, None, (), len(others), tuple(prices))
    by_pk = {choice.system.pk: choice for choice in (this, *others)}
    lines = sorted(
        (
            CotermLine(
                serial_number=by_pk[pk].system.serial_number,
                starts_on=by_pk[pk].options[0].starts_on,
                term_months=term,
                is_this_system=pk == this.system.pk,
            )
            for pk, term in suggestion.terms.items()
        ),
        key=lambda line: (not line.is_this_system, line.serial_number),
    )
    return RenewalQuote(
        this.options, None, suggestion.ends_on, tuple(lines), len(others), tuple(prices)
    )
