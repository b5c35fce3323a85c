"""XpressCare coverage (SPEC §1.2–1.3): kinds, terms, dates, chains, status and entitlement.

Pure functions, no ORM, no clock; read as `contracts.rules.<name>`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from contracts.rules.releases import current_release, supported_releases, version_key

GRACE_DAYS = 30  # a renewal may be booked up to 30 days after the chain ends
EXPIRING_DAYS = 90  # "due for renewal within the next 90 days"
NEW_PURCHASE_DELAY_DAYS = 30  # "plans included with a new purchase begin 30 days after booking"
UM_CLIENTS_INCLUDED = 50  # more than 50 UM clients requires UM client coverage


class PurchaseKind(StrEnum):
    NEW_PURCHASE = "new_purchase"
    UPGRADE = "upgrade"
    PLAN = "plan"
    RENEWAL = "renewal"


KIND_LABELS = {
    PurchaseKind.NEW_PURCHASE: "new purchase",
    PurchaseKind.UPGRADE: "software upgrade",
    PurchaseKind.PLAN: "XpressCare plan",
    PurchaseKind.RENEWAL: "renewal",
}


def a_kind(kind: PurchaseKind) -> str:
    """ "A renewal", "An XpressCare plan": the kind's label with its article, for messages."""
    label = KIND_LABELS[kind]
    return ("An " if label[0] in "AEIOUX" else "A ") + label


RENEWAL_TERMS = (12, 13, 14, 15, 24, 36)
TERMS = {
    PurchaseKind.NEW_PURCHASE: (12, 24, 36),
    PurchaseKind.UPGRADE: (12, 24, 36),
    PurchaseKind.PLAN: (12, 24, 36),
    PurchaseKind.RENEWAL: RENEWAL_TERMS,
}
ALL_TERMS = tuple(sorted({term for terms in TERMS.values() for term in terms}))


class Status(StrEnum):
    INELIGIBLE = "ineligible"
    NEVER = "never"
    PENDING = "pending"
    COVERED = "covered"
    EXPIRING = "expiring"
    GRACE = "grace"
    LAPSED = "lapsed"


STATUS_LABELS = {
    Status.INELIGIBLE: "Not eligible",
    Status.NEVER: "Never covered",
    Status.PENDING: "Starts soon",
    Status.COVERED: "Covered",
    Status.EXPIRING: "Expiring",
    Status.GRACE: "Expired – renewable",
    Status.LAPSED: "Lapsed",
}
RENEWABLE_STATUSES = frozenset({Status.COVERED, Status.EXPIRING, Status.PENDING, Status.GRACE})

MESSAGES = {
    "ineligible_product": (
        "XpressCare does not include RightFax software upgrades or support. "
        "RightFax support plans must be purchased separately."
    ),
    "renewal_too_late": (
        "Coverage ended more than 30 days ago: purchase a software upgrade to return to XpressCare."
    ),
    "nothing_to_renew": "This system has never had XpressCare: buy an XpressCare plan instead.",
    "plan_after_coverage": (
        "This system has had XpressCare before: renew it, or after a lapse buy a software "
        "upgrade to return to XpressCare."
    ),
    "new_purchase_after_coverage": (
        "XpressCare with a new purchase is for new system software: this system has had "
        "XpressCare before."
    ),
    "upgrade_while_covered": (
        "This system is covered by XpressCare on {on}: covered systems receive upgrades at "
        "no charge."
    ),
}


# ---------------------------------------------------------------------------------------------
# Dates and periods


def ends_on(starts_on: date, term_months: int) -> date:
    """Last covered day: start + term in calendar months (day clipped to month end) − 1 day."""
    return starts_on + relativedelta(months=term_months) - timedelta(days=1)


@dataclass(frozen=True, order=True)
class Period:
    """A span of covered days, both ends inclusive."""

    starts_on: date
    ends_on: date

    def contains(self, on: date) -> bool:
        return self.starts_on <= on <= self.ends_on

    def overlaps(self, other: Period) -> bool:
        return self.starts_on <= other.ends_on and other.starts_on <= self.ends_on


@dataclass(frozen=True)
class Purchase:
    """A booked XpressCare purchase and the period it covers."""

    kind: PurchaseKind
    booked_on: date
    starts_on: date
    ends_on: date

    @property
    def period(self) -> Period:
        return Period(self.starts_on, self.ends_on)


def chains(periods: Iterable[Period]) -> tuple[Period, ...]:
    """Merge periods that follow each other without a gap into chains, oldest first."""
    merged: list[Period] = []
    for period in sorted(periods):
        if merged and period.starts_on <= merged[-1].ends_on + timedelta(days=1):
            last = merged[-1]
            merged[-1] = Period(last.starts_on, max(last.ends_on, period.ends_on))
        else:
            merged.append(period)
    return tuple(merged)


def anchor_chain(chain_list: Sequence[Period], on: date) -> Period | None:
    """The chain that decides coverage on a date: the last one started by then, else the next."""
    started = [chain for chain in chain_list if chain.starts_on <= on]
    if started:
        return started[-1]
    return chain_list[0] if chain_list else None


def chain_end_bounds(status: Status, on: date) -> tuple[date | None, date | None]:
    """Inclusive bounds on the end of a chain started by `on` for it to give `status` on `on`."""
    day = timedelta(days=1)
    expiring_until = on + timedelta(days=EXPIRING_DAYS)
    grace_from = on - timedelta(days=GRACE_DAYS)
    return {
        Status.COVERED: (expiring_until + day, None),
        Status.EXPIRING: (on, expiring_until),
        Status.GRACE: (grace_from, on - day),
        Status.LAPSED: (None, grace_from - day),
    }[status]


CHAIN_END_STATUSES = (Status.COVERED, Status.EXPIRING, Status.GRACE, Status.LAPSED)


def status_for_chain(chain: Period, on: date) -> Status:
    """Status on `on` decided by its anchor chain (see `anchor_chain`)."""
    if chain.starts_on > on:
        return Status.PENDING
    for status in CHAIN_END_STATUSES:
        low, high = chain_end_bounds(status, on)
        if (low is None or chain.ends_on >= low) and (high is None or chain.ends_on <= high):
            return status
    raise AssertionError("the bounds cover every date")


def renew_by(chain_end: date) -> date:
    """Last day a renewal of a chain ending on `chain_end` may be booked."""
    return chain_end + timedelta(days=GRACE_DAYS)


@dataclass(frozen=True)
class Coverage:
    """What a system's coverage history means on one date."""

    on: date
    status: Status
    covered: bool
    starts_on: date | None  # period containing `on`, else the pending one, else the last one
    ends_on: date | None  # end of the anchor chain
    renewable: bool
    renew_by: date | None


def coverage_on(periods: Iterable[Period], *, eligible: bool, on: date) -> Coverage:
    """Status, renewability and dates of a coverage history on a date (SPEC §1.3)."""
    periods = sorted(periods)
    chain = anchor_chain(chains(periods), on)
    if chain is None:
        status = Status.NEVER if eligible else Status.INELIGIBLE
        return Coverage(on, status, False, None, None, False, None)
    status = status_for_chain(chain, on) if eligible else Status.INELIGIBLE
    in_chain = [period for period in periods if chain.contains(period.starts_on)]
    current = next((period for period in in_chain if period.contains(on)), None)
    if current is not None:
        starts_on = current.starts_on
    elif chain.starts_on > on:
        starts_on = in_chain[0].starts_on
    else:
        starts_on = in_chain[-1].starts_on
    renewable = status in RENEWABLE_STATUSES
    return Coverage(
        on=on,
        status=status,
        covered=current is not None,
        starts_on=starts_on,
        ends_on=chain.ends_on,
        renewable=renewable,
        renew_by=renew_by(chain.ends_on) if renewable else None,
    )


@dataclass(frozen=True)
class CoverageSummary:
    """A system's coverage as the booking service keeps it on indexed columns, plus one fact
    SQL finds on the contracts' (system, start) index: the latest period start on or before a
    date (the current period's start while covered)."""

    chains: tuple[Period, ...]  # the last two chains, oldest first (`System.summary_chains`)
    period_starts_on: date | None  # the latest period start on or before `on`, if any

    @classmethod
    def from_columns(
        cls,
        prior_chain: tuple[date | None, date | None],
        chain: tuple[date | None, date | None],
        period_starts_on: date | None = None,
    ) -> CoverageSummary:
        """From the (start, end) columns of the prior and last chains; a chain not there has
        no start."""
        pairs = (prior_chain, chain)
        return cls(tuple(Period(s, e) for s, e in pairs if s is not None), period_starts_on)


def coverage_from_summary(summary: CoverageSummary, *, eligible: bool, on: date) -> Coverage:
    """`coverage_on` without the whole history: equal to it whenever at most one chain starts
    after `on` (always so for today: only a new purchase starts after its booking day, and
    only a system never covered may have one). A list reads this; one system, `coverage_on`."""
    chain = anchor_chain(summary.chains, on)
    if chain is None:
        status = Status.NEVER if eligible else Status.INELIGIBLE
        return Coverage(on, status, False, None, None, False, None)
    status = status_for_chain(chain, on) if eligible else Status.INELIGIBLE
    started = chain.starts_on <= on
    renewable = status in RENEWABLE_STATUSES
    return Coverage(
        on=on,
        status=status,
        covered=started and on <= chain.ends_on,  # a chain has no gap
        # Periods never overlap: once the anchor chain has started, the latest start on or
        # before `on` is its period containing `on`, or its last period after it ended.
        starts_on=summary.period_starts_on if started else chain.starts_on,
        ends_on=chain.ends_on,
        renewable=renewable,
        renew_by=renew_by(chain.ends_on) if renewable else None,
    )


# ---------------------------------------------------------------------------------------------
# Systems


@dataclass(frozen=True)
class SystemFacts:
    """What the rules need to know about one system."""

    eligible: bool  # the product is XpressCare-eligible
    release: str
    product_releases: tuple[str, ...]
    um_clients: int
    tts_channels: int
    purchases: tuple[Purchase, ...] = ()

    @property
    def periods(self) -> tuple[Period, ...]:
        return tuple(purchase.period for purchase in self.purchases)


def requires_um_coverage(um_clients: int) -> bool:
    return um_clients > UM_CLIENTS_INCLUDED


def requires_tts_coverage(tts_channels: int) -> bool:
    return tts_channels >= 1


@dataclass(frozen=True)
class Entitlement:
    """Everything a reseller may claim for a system on a date (SPEC §6.2 entitlement)."""

    coverage: Coverage
    upgrade_eligible: bool
    upgrade_to: str | None
    support_eligible: bool
    requires_um_coverage: bool
    requires_tts_coverage: bool


def entitlement_on(system: SystemFacts, on: date) -> Entitlement:
    """Coverage plus the upgrade and support entitlements it brings on a date."""
    return entitlement_for(system, coverage_on(system.periods, eligible=system.eligible, on=on))


def entitlement_from_summary(
    system: SystemFacts, summary: CoverageSummary, on: date
) -> Entitlement:
    """`entitlement_on` of a list row, from its coverage summary (see `coverage_from_summary`);
    the facts' purchases are not read."""
    return entitlement_for(system, coverage_from_summary(summary, eligible=system.eligible, on=on))


def entitlement_for(system: SystemFacts, coverage: Coverage) -> Entitlement:
    """The upgrade and support entitlements a system's coverage brings."""
    supported = supported_releases(system.product_releases)
    current = current_release(system.product_releases)
    covered = coverage.covered and system.eligible
    upgrade_eligible = bool(
        covered and current and version_key(system.release) < version_key(current)
    )
    return Entitlement(
        coverage=coverage,
        upgrade_eligible=upgrade_eligible,
        upgrade_to=current if upgrade_eligible else None,
        support_eligible=covered and system.release in supported,
        requires_um_coverage=requires_um_coverage(system.um_clients),
        requires_tts_coverage=requires_tts_coverage(system.tts_channels),
    )
