"""Renewal decisions (SPEC §1.8): pure, no ORM, no clock.

A reseller may record, for a renewable system, that it will not renew (with a reason) or a
reminder for later (until a date). `applies` is the one rule of when a decision counts: the
contracts list, the home page, the monthly e-mail, renewals/due and the calendar feed all ask
it (the lists through its SQL twin in contracts.coverage_sql, proven equal by a test).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from contracts.rules.coverage import STATUS_LABELS, Coverage
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.locales import day_text


class DecisionKind(StrEnum):
    WILL_NOT_RENEW = "will_not_renew"
    REMIND_LATER = "remind_later"


DECISION_LABELS = {
    DecisionKind.WILL_NOT_RENEW: "Will not renew",
    DecisionKind.REMIND_LATER: "Remind me later",
}
REASONS = {
    "decommissioned": "Decommissioned",
    "replaced": "Replaced",
    "customer_declined": "Customer declined",
    "renews_elsewhere": "Renews elsewhere",
    "other": "Other",
}


@dataclass(frozen=True)
class Decision:
    """A decision as recorded: for which chain end, until when, and whether it was withdrawn."""

    kind: DecisionKind
    chain_ends_on: date
    until: date | None = None
    withdrawn: bool = False


def applies(decision: Decision, *, chain_ends_on: date | None, on: date) -> bool:
    """A decision counts on `on` while the system's chain still ends where it did when the
    decision was made (no renewal booked since), it is not withdrawn, and a reminder's date
    has not come."""
    if decision.withdrawn or decision.chain_ends_on != chain_ends_on:
        return False
    return decision.kind != DecisionKind.REMIND_LATER or on < decision.until


def check_decision(
    kind: str, *, reason: str, until: date | None, coverage: Coverage, today: date
) -> None:
    """Whether a decision may be recorded for a system with `coverage` on `today`."""
    if kind not in DECISION_LABELS:
        raise RuleViolation(
            "unknown_decision", "Choose “will not renew” or “remind me later”.", "decision"
        )
    if not coverage.renewable:
        label = STATUS_LABELS[coverage.status].lower()
        raise RuleViolation(
            "not_renewable",
            f"Renewal decisions are for systems that can be renewed; this one is {label}.",
            "decision",
        )
    if kind == DecisionKind.WILL_NOT_RENEW and reason not in REASONS:
        choices = ", ".join(label.lower() for label in REASONS.values())
        raise RuleViolation("unknown_reason", f"Choose a reason: {choices}.", "reason")
    if kind == DecisionKind.REMIND_LATER and not (
        until is not None and today < until <= coverage.renew_by
    ):
        raise RuleViolation(
            "until_out_of_range",
            f"Choose a date after today ({day_text(today)}) and no later than the renew-by "
            f"date ({day_text(coverage.renew_by)}).",
            "until",
        )
