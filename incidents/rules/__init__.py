"""Support rules (SPEC §4): which case a system gets, per-incident billing; business hours are
in `hours` (read here as rules.<name> too).

Pure functions over plain values: no ORM, no settings, no clock (the instant is an argument).
Views, API, admin and services all call these, so a quote and the bill agree to the cent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from contracts.rules import MESSAGES as CONTRACT_MESSAGES
from contracts.rules import Entitlement, Status
from contracts.rules.prices import round2
from incidents.rules.hours import WEEKDAY_NAMES as WEEKDAY_NAMES
from incidents.rules.hours import BusinessHours as BusinessHours
from incidents.rules.hours import format_local as format_local
from incidents.rules.hours import is_business_day as is_business_day
from incidents.rules.hours import is_business_hours as is_business_hours
from incidents.rules.hours import local_date as local_date
from incidents.rules.hours import local_datetime as local_datetime
from incidents.rules.hours import next_opening as next_opening
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.locales import day_text

BILLING_STEP_MINUTES = 30  # time is billed in started half hours

MESSAGES = {
    "covered": "This system is covered by XpressCare on {on}: support is included at no charge.",
    "release_too_old": (
        "This system's release is too old for support: it must be upgraded first. Its "
        "XpressCare coverage entitles it to a no-charge upgrade to {upgrade_to}."
    ),
    "outside_business_hours": (
        "Outside business hours, per-incident support is only for a system that is down. "
        "The next business-hours opening is {opening}: accept it to open the case for then."
    ),
    "installed_on_unknown": (
        "This system's installation date is not on record, so its per-incident rate cannot be "
        "set: ask AVST support to record it."
    ),
    "no_rate": (
        "The rate card has no {hours} rate for a system {age} years old: AVST staff must add one."
    ),
}


# ---------------------------------------------------------------------------------------------
# Age, rate card, billing


def age_years(installed_on: date, on: date) -> int:
    """Completed years since installation on the date `on`.

    A year is completed on the same calendar day (clipped to the month's end, as contract
    dates are: a system installed on 29 February completes a year on 28 February).
    """
    years = on.year - installed_on.year
    if installed_on + relativedelta(years=years) > on:
        years -= 1
    return max(years, 0)


@dataclass(frozen=True)
class Rate:
    """One row of the rate card: an age band, business or after hours, rate and minimum."""

    min_age_years: int
    max_age_years: int | None  # None: and older
    business_hours: bool
    hourly_rate: Decimal
    minimum_minutes: int

    def covers(self, age: int) -> bool:
        return self.min_age_years <= age and (
            self.max_age_years is None or age <= self.max_age_years
        )

    def overlaps(self, other: Rate) -> bool:
        if self.business_hours != other.business_hours:
            return False
        top = self.max_age_years if self.max_age_years is not None else float("inf")
        other_top = other.max_age_years if other.max_age_years is not None else float("inf")
        return self.min_age_years <= other_top and other.min_age_years <= top


def hours_label(business_hours: bool) -> str:
    return "business-hours" if business_hours else "after-hours"


def band_label(rate: Rate) -> str:
    if rate.max_age_years is None:
        return f"{rate.min_age_years}+ years"
    return f"{rate.min_age_years}–{rate.max_age_years} years"


def check_rate(rate: Rate, others: Iterable[Rate]) -> None:
    """Refuse a rate card row that could not be billed or that overlaps another row."""
    if rate.max_age_years is not None and rate.max_age_years < rate.min_age_years:
        raise RuleViolation("band_reversed", "The age band ends before it starts.", "max_age_years")
    if rate.minimum_minutes <= 0 or rate.minimum_minutes % BILLING_STEP_MINUTES:
        raise RuleViolation(
            "minimum_not_whole_half_hours",
            f"The minimum must be a positive multiple of {BILLING_STEP_MINUTES} minutes "
            "(time is billed in half hours).",
            "minimum_minutes",
        )
    if rate.hourly_rate <= 0:
        raise RuleViolation("rate_not_positive", "The hourly rate must be positive.", "hourly_rate")
    for other in others:
        if rate.overlaps(other):
            raise RuleViolation(
                "band_overlap",
                f"This age band overlaps the {hours_label(other.business_hours)} row for "
                f"{band_label(other)}.",
                "min_age_years",
            )


def rate_for(card: Sequence[Rate], *, age: int, business_hours: bool) -> Rate:
    """The rate card row for a system's age and business or after hours."""
    for rate in card:
        if rate.business_hours == business_hours and rate.covers(age):
            return rate
    raise RuleViolation(
        "no_rate", MESSAGES["no_rate"].format(hours=hours_label(business_hours), age=age)
    )


def billable_minutes(minutes_worked: int, minimum: int) -> int:
    """max(minimum, minutes worked rounded up to whole half hours)."""
    if minutes_worked < 0:
        raise ValueError("minutes worked cannot be negative")
    half_hours = -(-minutes_worked // BILLING_STEP_MINUTES)  # ceiling in integers
    return max(minimum, half_hours * BILLING_STEP_MINUTES)


def amount(billable: int, hourly_rate: Decimal) -> Decimal:
    """billable minutes / 60 × hourly rate, rounded half-up to cents."""
    return round2(Decimal(billable) * hourly_rate / Decimal(60))


# ---------------------------------------------------------------------------------------------
# Cases and quotes


class CaseKind(StrEnum):
    XPRESSCARE = "xpresscare"
    PER_INCIDENT = "per_incident"


def case_kind(entitlement: Entitlement) -> CaseKind:
    """XpressCare (no charge) or per-incident (billed) case, or RuleViolation (SPEC §4.2)."""
    coverage = entitlement.coverage
    if coverage.status == Status.INELIGIBLE:
        raise RuleViolation(
            "ineligible_product", CONTRACT_MESSAGES["ineligible_product"], "serial_number"
        )
    if coverage.covered and entitlement.support_eligible:
        return CaseKind.XPRESSCARE
    if coverage.covered:
        message = MESSAGES["release_too_old"].format(upgrade_to=entitlement.upgrade_to)
        raise RuleViolation("release_too_old", message, "serial_number")
    return CaseKind.PER_INCIDENT


@dataclass(frozen=True)
class Price:
    """The per-incident terms of a case starting at one instant."""

    age_years: int
    rate: Rate


def price(
    *, installed_on: date | None, starts_at: datetime, hours: BusinessHours, card: Sequence[Rate]
) -> Price:
    """Rate card row for a case starting at `starts_at`: business hours and age decide it."""
    if installed_on is None:
        raise RuleViolation(
            "installed_on_unknown", MESSAGES["installed_on_unknown"], "serial_number"
        )
    age = age_years(installed_on, local_date(hours, starts_at))
    rate = rate_for(card, age=age, business_hours=is_business_hours(hours, starts_at))
    return Price(age, rate)


@dataclass(frozen=True)
class IncidentQuote:
    """What support for a system would be and cost, asked at one instant (SPEC §6.2 quote).

    When the start is outside business hours and the system is not down, the price is the one
    of the case offered instead, at the next business-hours opening (`starts_at`).
    """

    kind: CaseKind | None  # None: no case can be opened (reason says why)
    billable: bool
    reason: str | None
    business_hours: bool
    available: bool
    next_business_hours_start: datetime | None
    starts_at: datetime
    age_years: int | None = None
    hourly_rate: Decimal | None = None
    minimum_minutes: int | None = None
    billable_minutes: int | None = None
    amount: Decimal | None = None


def quote(
    *,
    entitlement: Entitlement,
    installed_on: date | None,
    started_at: datetime,
    minutes: int,
    system_down: bool,
    hours: BusinessHours,
    card: Sequence[Rate],
) -> IncidentQuote:
    """The quote for support starting at `started_at` for `minutes` of work.

    `entitlement` is the system's on the region's date of `started_at`.
    """
    in_hours = is_business_hours(hours, started_at)
    available = in_hours or system_down
    opening = None if available else next_opening(hours, started_at)
    starts_at = started_at if available else opening
    timing = {
        "business_hours": in_hours,
        "available": available,
        "next_business_hours_start": opening,
        "starts_at": starts_at,
    }
    try:
        kind = case_kind(entitlement)
    except RuleViolation as refused:
        return IncidentQuote(kind=None, billable=False, reason=refused.message, **timing)
    if kind == CaseKind.XPRESSCARE:
        reason = MESSAGES["covered"].format(on=day_text(local_date(hours, started_at)))
        return IncidentQuote(kind=kind, billable=False, reason=reason, **timing)
    terms = price(installed_on=installed_on, starts_at=starts_at, hours=hours, card=card)
    billable = billable_minutes(minutes, terms.rate.minimum_minutes)
    return IncidentQuote(
        kind=kind,
        billable=True,
        reason=None,
        **timing,
        age_years=terms.age_years,
        hourly_rate=terms.rate.hourly_rate,
        minimum_minutes=terms.rate.minimum_minutes,
        billable_minutes=billable,
        amount=amount(billable, terms.rate.hourly_rate),
    )


@dataclass(frozen=True)
class CaseTerms:
    """How a case is opened: its kind, when work starts, and the per-incident price."""

    kind: CaseKind
    starts_at: datetime
    business_hours: bool  # of `starts_at`; decides the rate
    after_hours_callback: bool  # a system-down case outside business hours
    price: Price | None  # None for an XpressCare case (no charge)


def case_terms(
    *,
    entitlement: Entitlement,
    installed_on: date | None,
    opened_at: datetime,
    system_down: bool,
    accept_next_opening: bool,
    hours: BusinessHours,
    card: Sequence[Rate],
) -> CaseTerms:
    """The terms of a case opened at `opened_at`, or RuleViolation (SPEC §4.2, §4.3).

    Outside business hours a system-down case starts at once with the emergency after-hours
    call-back; a normal XpressCare case waits for the next opening; a normal per-incident case
    is only opened when the technician accepts the next opening.
    """
    kind = case_kind(entitlement)
    in_hours = is_business_hours(hours, opened_at)
    starts_at = opened_at
    if not (in_hours or system_down):
        starts_at = next_opening(hours, opened_at)
        if kind == CaseKind.PER_INCIDENT and not accept_next_opening:
            message = MESSAGES["outside_business_hours"].format(opening=format_local(starts_at))
            raise RuleViolation("outside_business_hours", message, "accept_next_opening")
    terms = None
    if kind == CaseKind.PER_INCIDENT:
        terms = price(installed_on=installed_on, starts_at=starts_at, hours=hours, card=card)
    return CaseTerms(
        kind=kind,
        starts_at=starts_at,
        business_hours=is_business_hours(hours, starts_at),
        after_hours_callback=system_down and not in_hours,
        price=terms,
    )


@dataclass(frozen=True)
class Bill:
    """What a closed per-incident case costs."""

    minutes_worked: int
    billable_minutes: int
    hourly_rate: Decimal
    amount: Decimal


def bill(*, minutes_worked: int, hourly_rate: Decimal, minimum_minutes: int) -> Bill:
    """The bill of a per-incident case from the time entered and the rate it was opened at."""
    billable = billable_minutes(minutes_worked, minimum_minutes)
    return Bill(minutes_worked, billable, hourly_rate, amount(billable, hourly_rate))


@dataclass(frozen=True)
class QuotedTerms:
    """What a technician was quoted before opening: the kind of case and its hourly rate."""

    kind: CaseKind
    hourly_rate: Decimal | None


def check_quote_holds(quoted: QuotedTerms, terms: CaseTerms) -> None:
    """Refuse to open a case on terms other than the ones the technician was shown."""
    rate = terms.price.rate.hourly_rate if terms.price else None
    if quoted.kind == terms.kind and quoted.hourly_rate == rate:
        return
    if terms.price is None:
        now = "support is included in XpressCare at no charge"
    else:
        now = f"the {hours_label(terms.business_hours)} rate is {rate}/h"
    raise RuleViolation(
        "quote_changed",
        f"The terms have changed since your quote: {now}. Check the new quote and open the "
        "case again.",
    )
