"""Reads of support data: business hours, the rate card, cases, and quotes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, QuerySet

from contracts.models import Region, System
from contracts.rules import entitlement_on
from contracts.selectors import system_facts_load
from incidents import rules
from incidents.models import BusinessHours, Case, Holiday, Rate
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.policy import can_open_cases
from partnerxpress.core.tenancy import for_user, get_for_user

UPCOMING_HOLIDAYS = 5


def business_hours_get(region: Region) -> rules.BusinessHours:
    """A region's business hours and holidays as the rules take them."""
    try:
        row = BusinessHours.objects.get(region=region)
    except BusinessHours.DoesNotExist:
        raise RuleViolation(
            "no_business_hours",
            f"Business hours are not set for region {region.code}: AVST staff must add them.",
        ) from None
    return rules.BusinessHours(
        zone=region.time_zone,
        opens=row.opens_at,
        closes=row.closes_at,
        weekdays=row.weekdays,
        holidays=frozenset(row.holidays.values_list("date", flat=True)),
    )


def rate_card() -> tuple[rules.Rate, ...]:
    """Every rate card row."""
    return tuple(rate.as_rule for rate in Rate.objects.all())


def quote_get(
    *, system: System, started_at: datetime, minutes: int, system_down: bool
) -> rules.IncidentQuote:
    """The per-incident quote for a system (SPEC §6.2), from the same rules as opening a case."""
    hours = business_hours_get(system.reseller.region)
    entitlement = entitlement_on(system_facts_load(system), rules.local_date(hours, started_at))
    return rules.quote(
        entitlement=entitlement,
        installed_on=system.installed_on,
        started_at=started_at,
        minutes=minutes,
        system_down=system_down,
        hours=hours,
        card=rate_card(),
    )


# What a row of a case list shows; `case_list` scopes it to a user, the API's base class too.
CASE_ROWS = Case.objects.select_related(
    "system__product", "system__release", "system__customer", "opened_by", "reseller__region"
)


def case_list(user) -> QuerySet[Case]:
    """The cases a user may see (their reseller's), newest first, with what a row shows."""
    return for_user(CASE_ROWS.all(), user)


def case_get(user, pk: int) -> Case:
    """One case the user may see; another reseller's answers 404 like a missing one."""
    return get_for_user(case_list(user), user, pk=pk)


@dataclass(frozen=True)
class SystemSupport:
    """The support box of a system's page."""

    kind: str | None  # the kind of case a technician would open now; None when refused
    reason: str | None  # why no case can be opened
    open_cases: list[Case]


def system_support(user, system: System, entitlement, today: date) -> SystemSupport | None:
    """What support a system gets, and its open cases; None for users who may not open cases
    and for products whose support is sold elsewhere (RightFax)."""
    if not can_open_cases(user, today):
        return None
    try:
        kind, reason = rules.case_kind(entitlement).value, None
    except RuleViolation as refused:
        if refused.code == "ineligible_product":
            return None
        kind, reason = None, refused.message
    cases = case_list(user).filter(system=system, status=Case.Status.OPEN)
    return SystemSupport(kind, reason, list(cases))


def case_bill(case: Case) -> rules.Bill | None:
    """A billed case's bill: final once closed, else what the time entered so far comes to."""
    if not case.is_billed:
        return None
    if not case.is_open:
        return rules.Bill(
            minutes_worked=case.minutes_worked or 0,
            billable_minutes=case.billable_minutes,
            hourly_rate=case.hourly_rate,
            amount=case.amount,
        )
    minutes = sum(entry.minutes for entry in case.time_entries.all())
    return rules.bill(
        minutes_worked=minutes, hourly_rate=case.hourly_rate, minimum_minutes=case.minimum_minutes
    )


def business_hours_for(user, today: date) -> BusinessHours | None:
    """The business hours of the user's region, with `upcoming` holidays (none for staff)."""
    reseller = getattr(user, "reseller", None)
    if reseller is None:
        return None
    upcoming = Holiday.objects.filter(date__gte=today).order_by("date")[:UPCOMING_HOLIDAYS]
    return (
        BusinessHours.objects.select_related("region")
        .prefetch_related(Prefetch("holidays", queryset=upcoming, to_attr="upcoming"))
        .filter(region_id=reseller.region_id)
        .first()
    )
