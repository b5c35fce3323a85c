"""The renewal quote of a system page: the allowed terms and a co-term suggestion (SPEC §1.4).

Pure: it composes `contracts.rules.renewal_options` and `renewals.rules.coterm` over facts
the selectors loaded, and restates neither.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from contracts import rules
from partnerxpress.core.errors import RuleViolation
from renewals.rules import Coterm, coterm


@dataclass(frozen=True)
class CotermLine:
    """One system of a co-term suggestion: renew for `term_months` from `starts_on`."""

    serial_number: str
    starts_on: date
    term_months: int
    is_this_system: bool


@dataclass(frozen=True)
class RenewalQuote:
    options: tuple[rules.RenewalOption, ...]
    reason: str | None  # why there are no options
    coterm_ends_on: date | None
    coterm_lines: tuple[CotermLine, ...]
    others_considered: int  # the customer's other renewable systems


def renewal_quote(
    serial_number: str,
    facts: rules.SystemFacts,
    others: Sequence[tuple[str, rules.SystemFacts]],
    on: date,
) -> RenewalQuote:
    """Every renewal term of a system on `on`, and the terms that co-term it with the customer's
    other renewable systems (as many of them as one common end date allows)."""
    try:
        options = rules.renewal_options(facts, on)
    except RuleViolation as refusal:
        return RenewalQuote((), refusal.message, None, (), len(others))
    starts = {serial_number: options[0].starts_on}
    for other_serial, other_facts in others:
        try:
            starts[other_serial] = rules.renewal_start(other_facts, on)
        except RuleViolation:
            continue  # not renewable after all: not part of the suggestion
    suggestion = _largest_coterm(serial_number, starts)
    if suggestion is None:
        return RenewalQuote(options, None, None, (), len(others))
    lines = tuple(
        CotermLine(serial, starts[serial], term, serial == serial_number)
        for serial, term in sorted(
            suggestion.terms.items(), key=lambda item: (item[0] != serial_number, item[0])
        )
    )
    return RenewalQuote(options, None, suggestion.ends_on, lines, len(others))


def _largest_coterm(serial_number: str, starts: dict[str, date]) -> Coterm | None:
    """`coterm` of this system with every other one, or else with the largest group of others
    that can all meet it on one date."""
    everyone = coterm(starts)
    if everyone is not None or len(starts) < 3:
        return everyone
    mine = starts[serial_number]
    meeting: dict[str, date] = {}
    for serial, start in starts.items():
        pair = coterm({serial_number: mine, serial: start}) if serial != serial_number else None
        if pair is not None:
            meeting[serial] = pair.ends_on
    if not meeting:
        return None
    # The earliest common date of each pair; the date most of them share makes the group.
    target, _ = min(Counter(meeting.values()).items(), key=lambda item: (-item[1], item[0]))
    group = {serial: starts[serial] for serial, ends in meeting.items() if ends == target}
    return coterm({serial_number: mine, **group})
