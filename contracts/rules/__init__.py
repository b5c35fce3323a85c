"""XpressCare coverage rules (SPEC §1.2–1.3): pure functions, no ORM, no clock.

Every date rule of the product lives here once; views, admin, API, import and jobs call these.
The rules of what staff record about systems, customers and products are in `records`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

# The rules of what staff record, read as rules.<name> like every other rule.
from contracts.rules.records import SystemRecord as SystemRecord
from contracts.rules.records import check_customer_move as check_customer_move
from contracts.rules.records import check_eligibility_change as check_eligibility_change
from contracts.rules.records import check_system_change as check_system_change
from contracts.rules.records import check_system_delete as check_system_delete
from partnerxpress.core.errors import RuleViolation

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
# Money

CURRENCIES = {"NA": "USD", "EMEA": "GBP"}


def currency_for_region(code: str) -> str:
    """The currency a region's resellers buy and are billed in (SPEC §1.7): NA USD, EMEA GBP."""
    try:
        return CURRENCIES[code]
    except KeyError:
        raise ValueError(f"No currency is set for region {code!r} (SPEC §1.7).") from None


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


# ---------------------------------------------------------------------------------------------
# Releases


VERSION = re.compile(r"[0-9]{1,6}(\.[0-9]{1,6})*")  # six digits a part: see version_sort_key


def version_key(version: str) -> tuple[int, ...]:
    """Dotted numbers compare numerically: 8.10 > 8.9."""
    if not VERSION.fullmatch(version.strip()):
        raise RuleViolation(
            "invalid_version", f"“{version}” is not a release number like 8.1 or 8.1.2.", "version"
        )
    return tuple(int(part) for part in version.strip().split("."))


def version_sort_key(version: str) -> str:
    """A string that sorts like `version_key`, for an indexed database column."""
    return ".".join(f"{part:06d}" for part in version_key(version))


def supported_releases(versions: Iterable[str]) -> tuple[str, ...]:
    """The current release and the one before it, newest first."""
    return tuple(sorted(set(versions), key=version_key, reverse=True)[:2])


def current_release(versions: Iterable[str]) -> str | None:
    """A product's current release: its highest version (None before its first release)."""
    supported = supported_releases(versions)
    return supported[0] if supported else None


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
    coverage = coverage_on(system.periods, eligible=system.eligible, on=on)
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


# ---------------------------------------------------------------------------------------------
# Booking


@dataclass(frozen=True)
class Booking:
    """An XpressCare purchase to book for one system."""

    kind: PurchaseKind
    booked_on: date
    term_months: int
    covers_um_clients: bool
    covers_tts: bool


def check_eligible(system: SystemFacts) -> None:
    if not system.eligible:
        raise RuleViolation("ineligible_product", MESSAGES["ineligible_product"], "serial_number")


def check_add_ons(system: SystemFacts, *, covers_um_clients: bool, covers_tts: bool) -> None:
    """Refuse a purchase that leaves out an add-on the system requires."""
    if requires_um_coverage(system.um_clients) and not covers_um_clients:
        raise RuleViolation(
            "um_coverage_required",
            f"XpressCare for UM clients is required: this system has {system.um_clients} "
            f"unified-messaging clients (more than {UM_CLIENTS_INCLUDED}).",
            "covers_um_clients",
        )
    if requires_tts_coverage(system.tts_channels) and not covers_tts:
        raise RuleViolation(
            "tts_coverage_required",
            f"XpressCare for text-to-speech is required: this system has {system.tts_channels} "
            "text-to-speech channel" + ("s." if system.tts_channels != 1 else "."),
            "covers_tts",
        )


def check_term(kind: PurchaseKind, term_months: int) -> None:
    allowed = TERMS[kind]
    if term_months not in allowed:
        terms = ", ".join(str(term) for term in allowed[:-1]) + f" or {allowed[-1]}"
        raise RuleViolation(
            "invalid_term",
            f"{a_kind(kind)} is sold for {terms} months, not {term_months}.",
            "term_months",
        )


def renewal_start(system: SystemFacts, on: date) -> date:
    """First day of a renewal booked on `on`, or the reason it cannot be booked."""
    chain = anchor_chain(chains(system.periods), on)
    if chain is None:
        raise RuleViolation("nothing_to_renew", MESSAGES["nothing_to_renew"], "serial_number")
    if on > renew_by(chain.ends_on):
        raise RuleViolation("renewal_too_late", MESSAGES["renewal_too_late"], "serial_number")
    return chain.ends_on + timedelta(days=1)


def start_date(system: SystemFacts, kind: PurchaseKind, booked_on: date) -> date:
    """First covered day of a purchase of `kind` booked on `booked_on`, or why it is refused."""
    ever_covered = bool(system.purchases)
    if kind == PurchaseKind.RENEWAL:
        return renewal_start(system, booked_on)
    if kind == PurchaseKind.PLAN and ever_covered:
        raise RuleViolation("plan_after_coverage", MESSAGES["plan_after_coverage"], "kind")
    if kind == PurchaseKind.NEW_PURCHASE:
        if ever_covered:
            raise RuleViolation(
                "new_purchase_after_coverage", MESSAGES["new_purchase_after_coverage"], "kind"
            )
        return booked_on + timedelta(days=NEW_PURCHASE_DELAY_DAYS)
    if kind == PurchaseKind.UPGRADE and any(
        period.contains(booked_on) for period in system.periods
    ):
        message = MESSAGES["upgrade_while_covered"].format(on=booked_on.isoformat())
        raise RuleViolation("upgrade_while_covered", message, "kind")
    return booked_on


def check_no_overlap(system: SystemFacts, new: Period) -> None:
    for period in system.periods:
        if period.overlaps(new):
            raise RuleViolation(
                "overlap",
                f"This coverage ({new.starts_on} to {new.ends_on}) would overlap existing "
                f"coverage ({period.starts_on} to {period.ends_on}).",
            )


def check_not_booked_twice(system: SystemFacts, booking: Booking) -> None:
    for purchase in system.purchases:
        if purchase.kind == booking.kind and purchase.booked_on == booking.booked_on:
            raise RuleViolation(
                "already_booked",
                f"{a_kind(booking.kind)} for this system is already booked on {booking.booked_on}.",
            )


def book(system: SystemFacts, booking: Booking) -> Period:
    """The period a purchase covers if every rule of SPEC §1.3 allows it; else RuleViolation."""
    check_eligible(system)
    check_term(booking.kind, booking.term_months)
    check_add_ons(
        system, covers_um_clients=booking.covers_um_clients, covers_tts=booking.covers_tts
    )
    check_not_booked_twice(system, booking)
    starts = start_date(system, booking.kind, booking.booked_on)
    period = Period(starts, ends_on(starts, booking.term_months))
    check_no_overlap(system, period)
    return period


@dataclass(frozen=True)
class RenewalOption:
    term_months: int
    starts_on: date
    ends_on: date


def renewal_options(system: SystemFacts, on: date) -> tuple[RenewalOption, ...]:
    """Every renewal term a reseller may book on `on`, with its dates; RuleViolation if none."""
    check_eligible(system)
    starts = renewal_start(system, on)
    options = []
    for term in RENEWAL_TERMS:
        period = Period(starts, ends_on(starts, term))
        check_no_overlap(system, period)
        options.append(RenewalOption(term, period.starts_on, period.ends_on))
    return tuple(options)
