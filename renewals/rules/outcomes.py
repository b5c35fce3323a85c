"""Renewal outcomes (SPEC §1.9): what became of each renewal opportunity. Pure, no ORM, no clock.

Every contract end date E of a CallXpress or Seneca system is an opportunity; `outcome_of` is
the rule, and renewals.outcomes states it once in SQL for counts (a test proves them equal).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum

from contracts.rules import GRACE_DAYS


class Outcome(StrEnum):
    ON_TIME = "on_time"
    IN_GRACE = "in_grace"
    DECLINED = "declined"
    LAPSED = "lapsed"
    OPEN = "open"


OUTCOME_LABELS = {
    Outcome.ON_TIME: "Renewed on time",
    Outcome.IN_GRACE: "Renewed in the grace period",
    Outcome.DECLINED: "Declined (will not renew)",
    Outcome.LAPSED: "Lapsed",
    Outcome.OPEN: "Still open",
}
# Table columns: a short heading, the label as its title.
OUTCOME_HEADINGS = [
    (heading, OUTCOME_LABELS[outcome])
    for outcome, heading in zip(
        Outcome, ["On time", "In grace", "Declined", "Lapsed", "Open"], strict=True
    )
]
DECIDED = (Outcome.ON_TIME, Outcome.IN_GRACE, Outcome.DECLINED, Outcome.LAPSED)  # not OPEN


def outcome_of(
    *, ended_on: date, renewal_booked_on: date | None, declined: bool, today: date
) -> Outcome:
    """The outcome of the opportunity that ended on `ended_on`, seen on `today`.

    `renewal_booked_on`: when the contract starting the day after was booked, if there is one;
    `declined`: a "will not renew" for that end is recorded and not withdrawn.
    """
    if renewal_booked_on is not None:
        return Outcome.ON_TIME if renewal_booked_on <= ended_on else Outcome.IN_GRACE
    if declined:
        return Outcome.DECLINED
    return Outcome.LAPSED if today > ended_on + timedelta(days=GRACE_DAYS) else Outcome.OPEN


def on_time_rate(counts: Mapping[Outcome, int]) -> float | None:
    """On time ÷ every opportunity with an outcome (open ones are not counted); None if none."""
    decided = sum(counts.get(outcome, 0) for outcome in DECIDED)
    return counts.get(Outcome.ON_TIME, 0) / decided if decided else None
