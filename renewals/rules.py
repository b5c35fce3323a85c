"""Renewal quote rules (SPEC §1.4): pure functions, no ORM, no clock."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from contracts.rules import ends_on

COTERM_TERMS = (12, 13, 14, 15)  # the only terms that move an expiration date
Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class Coterm:
    """Renewal terms that bring several systems to one common expiration date."""

    ends_on: date
    terms: dict


def coterm(starts: Mapping[Key, date]) -> Coterm | None:
    """The earliest common end date that 12–15-month renewals starting on `starts` reach.

    `starts` maps each system to the first day of its renewal. None when fewer than two systems
    are given or no such date exists (e.g. renewals starting on the 1st and the 15th).
    """
    if len(starts) < 2:
        return None
    reachable = {
        key: {ends_on(start, term): term for term in COTERM_TERMS} for key, start in starts.items()
    }
    common = set.intersection(*(set(ends) for ends in reachable.values()))
    if not common:
        return None
    target = min(common)
    return Coterm(ends_on=target, terms={key: reachable[key][target] for key in starts})
