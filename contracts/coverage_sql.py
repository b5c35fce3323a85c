"""The status rule of SPEC §1.3 as SQL, over the coverage summary columns of `System`.

`rules.status_for_chain` decides a status from the anchor chain (`rules.anchor_chain`); the
booking service keeps each system's last two chains on indexed columns, enough to know the
anchor chain on any date from the prior chain's start on. These expressions restate that rule
for filters and counts, and nothing else does: tests/contracts/test_status_sql.py proves them
equal to the rule on random histories.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from contracts import rules
from contracts.models import Contract, RenewalDecision
from contracts.rules.decisions import DecisionKind


def _chain_end_between(prefix: str, low: date | None, high: date | None) -> Q:
    condition = Q()
    if low is not None:
        condition &= Q(**{f"{prefix}_ends_on__gte": low})
    if high is not None:
        condition &= Q(**{f"{prefix}_ends_on__lte": high})
    return condition


def anchor_ends_between(on: date, low: date | None, high: date | None) -> Q:
    """The anchor chain on `on` (`rules.anchor_chain`) has started and ends in [low, high].

    The anchor is the last chain if it has started by `on`, else the prior one if that has.
    """
    last_started = Q(chain_starts_on__lte=on)
    prior_started = Q(chain_starts_on__gt=on, prior_chain_starts_on__lte=on)
    anchored = (last_started & _chain_end_between("chain", low, high)) | (
        prior_started & _chain_end_between("prior_chain", low, high)
    )
    if low is None:
        return anchored
    # Implied by both branches (a chain not started by `on` ends after `on`); stated so the
    # index on (reseller, chain_ends_on) can start its scan there instead of at the oldest row.
    return Q(chain_ends_on__gte=min(low, on)) & anchored


def anchor_chain_end(on: date, prefix: str = "") -> Case:
    """The end of the anchor chain on `on` (see `anchor_ends_between`); `prefix` reaches the
    system from another model (e.g. "system__")."""
    prior_is_anchor = Q(
        **{f"{prefix}chain_starts_on__gt": on, f"{prefix}prior_chain_starts_on__lte": on}
    )
    return Case(
        When(prior_is_anchor, then=F(f"{prefix}prior_chain_ends_on")),
        default=F(f"{prefix}chain_ends_on"),
    )


def status_condition(status: rules.Status, on: date) -> Q:
    """A system has `status` on `on`."""
    eligible = Q(product__is_xpresscare_eligible=True)
    if status == rules.Status.INELIGIBLE:
        return ~eligible
    if status == rules.Status.NEVER:
        return eligible & Q(chain_starts_on__isnull=True)
    if status == rules.Status.PENDING:
        return eligible & Q(chain_starts_on__gt=on) & ~Q(prior_chain_starts_on__lte=on)
    return eligible & anchor_ends_between(on, *rules.chain_end_bounds(status, on))


def statuses_condition(statuses, on: date) -> Q:
    """A system has one of `statuses` on `on`."""
    condition = Q()
    for status in statuses:
        condition |= status_condition(rules.Status(status), on)
    return condition


def status_value(on: date) -> Case:
    """Each system's status on `on`, as its value ("covered", …), for counts and columns."""
    return Case(
        *[When(status_condition(status, on), then=Value(status.value)) for status in rules.Status],
        output_field=CharField(),
    )


def systems_with_status(systems: QuerySet, status: rules.Status, on: date) -> QuerySet:
    return systems.filter(status_condition(status, on))


def renewable_ending_between(on: date, first: date, last: date) -> Q:
    """Renewable on `on`, its current coverage (the anchor chain) ending in [first, last]."""
    end = anchor_chain_end(on)
    in_range = Q(GreaterThanOrEqual(end, first)) & Q(LessThanOrEqual(end, last))
    return statuses_condition(rules.RENEWABLE_STATUSES, on) & in_range


def renew_by_between(on: date, first: date, last: date) -> Q:
    """Renewable on `on` with its renew-by date (`rules.renew_by`) in [first, last]."""
    grace = timedelta(days=rules.GRACE_DAYS)  # renew_by = chain end + grace, so shift the bounds
    eligible = Q(product__is_xpresscare_eligible=True)
    # A started chain is renewable while its renew-by date has not passed.
    started = anchor_ends_between(on, max(first, on) - grace, last - grace)
    pending = status_condition(rules.Status.PENDING, on) & _chain_end_between(
        "chain", first - grace, last - grace
    )
    return eligible & (started | pending)


def decision_applies(on: date, kinds=None) -> Exists:
    """A system has a renewal decision that applies on `on` (`decisions.applies`), of one of
    `kinds` (default: either)."""
    standing = RenewalDecision.objects.filter(
        system=OuterRef("pk"),
        withdrawn_at__isnull=True,
        chain_ends_on=anchor_chain_end(on, prefix="system__"),
    ).filter(Q(kind=DecisionKind.WILL_NOT_RENEW) | Q(kind=DecisionKind.REMIND_LATER, until__gt=on))
    if kinds is not None:
        standing = standing.filter(kind__in=list(kinds))
    return Exists(standing)


def period_started_by(on: date) -> Subquery:
    """The latest start of a system's periods on or before `on`, the one fact of
    `rules.CoverageSummary` not kept on the system: one step on the contracts' (system, start)
    index."""
    periods = Contract.objects.filter(system=OuterRef("pk"), starts_on__lte=on)
    return Subquery(periods.order_by("-starts_on").values("starts_on")[:1])
