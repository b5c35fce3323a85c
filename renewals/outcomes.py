"""Reads of renewal outcomes (SPEC §1.9): one SQL query per reseller and period, no loop.

`outcome_conditions` states `rules.outcomes.outcome_of` in SQL over each opportunity (a
contract's end date) joined to the contract that starts the next day and to a standing "will
not renew" for that end; tests/renewals/test_outcomes.py proves the two agree on random
histories.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, F, FilteredRelation, Q, QuerySet
from django.db.models.functions import TruncMonth

from contracts.models import Contract, Reseller
from contracts.rules import GRACE_DAYS
from contracts.rules.decisions import DecisionKind
from partnerxpress.core.sql import NextDay
from renewals.rules.outcomes import Outcome, on_time_rate


def opportunities(first: date, last: date) -> QuerySet[Contract]:
    """Every contract of a CallXpress or Seneca system ending in [first, last], joined (left) to
    the contract of the same system starting the day after (`successor`) and to a standing
    "will not renew" for that end (`refusal`): each at most one row, so no row repeats."""
    successor = FilteredRelation(
        "system__contracts", condition=Q(system__contracts__starts_on=NextDay(F("ends_on")))
    )
    refusal = FilteredRelation(
        "system__renewal_decisions",
        condition=Q(
            system__renewal_decisions__chain_ends_on=F("ends_on"),
            system__renewal_decisions__kind=DecisionKind.WILL_NOT_RENEW,
            system__renewal_decisions__withdrawn_at__isnull=True,
        ),
    )
    return Contract.objects.filter(
        system__product__is_xpresscare_eligible=True, ends_on__range=(first, last)
    ).annotate(successor=successor, refusal=refusal)


def outcome_conditions(today: date) -> dict[Outcome, Q]:
    """`outcome_of` in SQL, over `opportunities`."""
    renewed = Q(successor__isnull=False)
    declined = Q(refusal__isnull=False)
    lapses_before = today - timedelta(days=GRACE_DAYS)  # T > E + 30, i.e. E < T − 30
    return {
        Outcome.ON_TIME: renewed & Q(successor__booked_on__lte=F("ends_on")),
        Outcome.IN_GRACE: renewed & Q(successor__booked_on__gt=F("ends_on")),
        Outcome.DECLINED: ~renewed & declined,
        Outcome.LAPSED: ~renewed & ~declined & Q(ends_on__lt=lapses_before),
        Outcome.OPEN: ~renewed & ~declined & Q(ends_on__gte=lapses_before),
    }


@dataclass(frozen=True)
class Outcomes:
    """How many opportunities of a period came to each outcome, and the on-time rate."""

    counts: dict[Outcome, int]

    @property
    def rate(self) -> float | None:
        return on_time_rate(self.counts)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __getitem__(self, outcome: str) -> int:
        return self.counts[Outcome(outcome)]

    @classmethod
    def summed(cls, many: Iterable[Outcomes]) -> Outcomes:
        """The counts of disjoint sets of opportunities together (e.g. months of a year)."""
        counts = dict.fromkeys(Outcome, 0)
        for outcomes in many:
            for outcome, count in outcomes.counts.items():
                counts[outcome] += count
        return cls(counts)


def _counted(rows: QuerySet, today: date, *group: str) -> list[dict]:
    counts = {
        outcome.value: Count("pk", filter=condition)
        for outcome, condition in outcome_conditions(today).items()
    }
    return list(rows.values(*group).annotate(**counts).order_by(*group))


def _outcomes(row: dict) -> Outcomes:
    return Outcomes({outcome: row[outcome.value] for outcome in Outcome})


def outcome_counts(reseller: Reseller, first: date, last: date, today: date) -> Outcomes:
    """The outcomes of a reseller's opportunities that ended in [first, last]: one query."""
    rows = opportunities(first, last).filter(system__reseller=reseller)
    found = _counted(rows, today, "system__reseller")
    return _outcomes(found[0]) if found else Outcomes(dict.fromkeys(Outcome, 0))


def outcome_counts_by_month(
    reseller: Reseller, first: date, last: date, today: date
) -> dict[date, Outcomes]:
    """`outcome_counts` of each month in [first, last] (first days), in one query."""
    rows = opportunities(first, last).filter(system__reseller=reseller)
    rows = rows.annotate(month=TruncMonth("ends_on"))
    by_month = {}
    for row in _counted(rows, today, "month"):
        month = row["month"].date() if isinstance(row["month"], datetime) else row["month"]
        by_month[month] = _outcomes(row)
    return by_month


def outcome_counts_by_reseller(
    resellers: Iterable[Reseller], first: date, last: date, today: date
) -> dict[int, Outcomes]:
    """`outcome_counts` of many resellers that share `today` (one region), in one query."""
    rows = opportunities(first, last).filter(system__reseller__in=list(resellers))
    return {
        row["system__reseller"]: _outcomes(row) for row in _counted(rows, today, "system__reseller")
    }
