"""Reads of the renewal pipeline (SPEC §2): what ends in the next 12 months, and what the last
12 months' renewal opportunities came to (§1.9). A constant number of queries at any size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncMonth

from contracts import rules as contract_rules
from contracts.coverage_sql import anchor_chain_end, decision_applies, renewable_ending_between
from contracts.models import Contract, Reseller, System
from contracts.selectors import Pricing, pricing_for, pricings_for
from renewals.outcomes import (
    Outcomes,
    opportunities,
    outcome_conditions,
    outcome_counts_by_month,
    outcome_counts_by_reseller,
)
from renewals.rules.outcomes import Outcome

MONTHS = 12
NO_OUTCOMES = Outcomes(dict.fromkeys(Outcome, 0))


@dataclass(frozen=True)
class UpcomingMonth:
    """Renewable systems whose coverage ends in one month, and what renewing them is worth."""

    month: date  # its first day
    systems: int = 0
    decided: int = 0  # of them, with a renewal decision that applies today
    value: Decimal = Decimal("0.00")  # 12 months each at the reseller's net price
    unpriced: int = 0  # systems of a product without a price in force


@dataclass(frozen=True)
class Pipeline:
    reseller: Reseller
    today: date
    currency: str
    upcoming: list[UpcomingMonth]
    past: list[tuple[date, Outcomes]]  # the last 12 full months, oldest first
    past_total: Outcomes

    @property
    def upcoming_total(self) -> UpcomingMonth:
        return UpcomingMonth(
            month=self.today,
            systems=sum(month.systems for month in self.upcoming),
            decided=sum(month.decided for month in self.upcoming),
            value=sum((month.value for month in self.upcoming), Decimal("0.00")),
            unpriced=sum(month.unpriced for month in self.upcoming),
        )


def month_span(first: date, months: int) -> tuple[date, date]:
    """The first and last day of `months` months from the month of `first`."""
    start = first.replace(day=1)
    return start, start + relativedelta(months=months) - timedelta(days=1)


def upcoming_systems(reseller: Reseller, today: date) -> QuerySet[System]:
    """The reseller's renewable systems whose coverage ends this month or in the next 11."""
    first, last = month_span(today, MONTHS)
    return System.objects.filter(renewable_ending_between(today, first, last), reseller=reseller)


def _upcoming_groups(systems: QuerySet[System], today: date, *by: str) -> QuerySet:
    """Counts of `systems` by what prices them (product, UM clients when required, TTS
    channels), by whether a decision applies today, by month of coverage end, and by `by`."""
    required_um = Case(
        When(um_clients__gt=contract_rules.UM_CLIENTS_INCLUDED, then=F("um_clients")),
        default=Value(0),
        output_field=IntegerField(),
    )
    month = TruncMonth(ExpressionWrapper(anchor_chain_end(today), output_field=DateField()))
    return (
        systems.order_by()
        .values(
            "product_id",
            "tts_channels",
            *by,
            um=required_um,
            decided=decision_applies(today),
            month=month,
        )
        .annotate(count=Count("pk"))
    )


def _added(month: UpcomingMonth, group: dict, pricing: Pricing) -> UpcomingMonth:
    """`month` with a group of `_upcoming_groups` added, priced by `Pricing.renewal` (the rule
    every other page uses) once for the group."""
    priced = SimpleNamespace(
        product_id=group["product_id"], um_clients=group["um"], tts_channels=group["tts_channels"]
    )
    price, count = pricing.renewal(priced), group["count"]
    return UpcomingMonth(
        month=month.month,
        systems=month.systems + count,
        decided=month.decided + (count if group["decided"] else 0),
        value=month.value + (price.net_price * count if price else 0),
        unpriced=month.unpriced + (0 if price else count),
    )


def upcoming_months(reseller: Reseller, today: date) -> list[UpcomingMonth]:
    """Systems, decided ones and value per month of coverage end: one query, and two for prices."""
    pricing = pricing_for(reseller, today)
    months = {first: UpcomingMonth(first) for first in _firsts(today, MONTHS)}
    for group in _upcoming_groups(upcoming_systems(reseller, today), today):
        key = _as_date(group["month"])
        months[key] = _added(months[key], group, pricing)
    return list(months.values())


def upcoming_by_reseller(resellers: list[Reseller], today: date) -> dict[int, UpcomingMonth]:
    """The next 12 months' totals of many resellers that share `today` (one region), by pk:
    one query, and two for prices."""
    first, last = month_span(today, MONTHS)
    pricings = pricings_for(resellers, today)
    totals = {pk: UpcomingMonth(today) for pk in pricings}
    systems = System.objects.filter(
        renewable_ending_between(today, first, last), reseller__in=list(pricings)
    )
    for group in _upcoming_groups(systems, today, "reseller_id"):
        totals[group["reseller_id"]] = _added(
            totals[group["reseller_id"]], group, pricings[group["reseller_id"]]
        )
    return totals


def pipeline_get(reseller: Reseller, today: date) -> Pipeline:
    """The pipeline page of a reseller on `today` (its region's date)."""
    last_year = today.replace(day=1) - relativedelta(months=MONTHS)
    first, last = month_span(last_year, MONTHS)
    by_month = outcome_counts_by_month(reseller, first, last, today)
    past = [(month, by_month.get(month, NO_OUTCOMES)) for month in _firsts(last_year, MONTHS)]
    return Pipeline(
        reseller=reseller,
        today=today,
        currency=reseller.currency,
        upcoming=upcoming_months(reseller, today),
        past=past,
        past_total=Outcomes.summed(outcomes for _, outcomes in past),  # the months partition it
    )


@dataclass(frozen=True)
class Standing:
    """A reseller's line in the back office's ranking."""

    reseller: Reseller
    outcomes: Outcomes
    upcoming: UpcomingMonth  # the next 12 months' total


def reseller_standings(first: date, last: date, now: datetime) -> list[Standing]:
    """Every active reseller's outcomes in [first, last] (each on its region's today) and its
    next 12 months, best on-time rate first, no rate last: two queries per region, and prices."""
    resellers = Reseller.objects.filter(is_active=True).select_related("region")
    by_region: dict[int, list[Reseller]] = {}
    for reseller in resellers.order_by("region_id", "name"):
        by_region.setdefault(reseller.region_id, []).append(reseller)
    standings = []
    for members in by_region.values():
        today = members[0].region.today(now)
        outcomes = outcome_counts_by_reseller(members, first, last, today)
        upcoming = upcoming_by_reseller(members, today)
        standings += [
            Standing(reseller, outcomes.get(reseller.pk, NO_OUTCOMES), upcoming[reseller.pk])
            for reseller in members
        ]
    return sorted(standings, key=_rank)


def _rank(standing: Standing) -> tuple:
    rate, counts = standing.outcomes.rate, standing.outcomes.counts
    return (rate is None, -(rate or 0), -counts[Outcome.ON_TIME], standing.reseller.name)


def opportunity_list(
    reseller: Reseller, month: date, outcome: Outcome, today: date
) -> QuerySet[Contract]:
    """The reseller's opportunities of one month that came to `outcome`, for their page."""
    first, last = month_span(month, 1)
    return (
        opportunities(first, last)
        .filter(outcome_conditions(today)[outcome], system__reseller=reseller)
        .select_related("system__customer", "system__product")
        .order_by("ends_on", "system__serial_number")
    )


def _firsts(first: date, months: int) -> list[date]:
    start = first.replace(day=1)
    return [start + relativedelta(months=number) for number in range(months)]


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value
