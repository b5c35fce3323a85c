"""What a reseller must renew on a date (SPEC §5): the monthly e-mail's rows and renewals/due.

One function, `renewal_due_list`, answers both the monthly renewal e-mail and
`GET /api/v1/renewals/due/`, so the two always list the same systems.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q

from contracts import rules
from contracts.coverage_sql import status_condition
from contracts.models import Contract, RenewalDecision, Reseller, System
from contracts.rules import decisions
from contracts.rules.prices import LinePrice
from contracts.selectors import Pricing, pricing_for

EXPIRED = "expired"  # chain ended in the 30 days before the date, still renewable
DUE = "due"  # chain ends within the next 90 days
SECTIONS = {rules.Status.GRACE: EXPIRED, rules.Status.EXPIRING: DUE}


@dataclass(frozen=True)
class DueSystem:
    """One system the reseller should renew, as the e-mail and the API show it."""

    system_id: int
    serial_number: str
    customer_id: int
    customer: str
    product_id: int
    product: str
    release: str
    coverage_ends_on: date
    renew_by: date
    section: str  # EXPIRED or DUE
    um_clients: int
    tts_channels: int
    requires_um_coverage: bool
    requires_tts_coverage: bool
    price: LinePrice | None = None  # 12 months with the required add-ons, the reseller's net


def _candidates(on: date) -> Q:
    """SQL that keeps every system that may be `grace` or `expiring` on `on` (a superset).

    The summary columns hold a system's last two chains, which decide its status on any date
    from the start of the prior chain on. For an earlier date both chains start after it and
    the deciding chain is an older one: keep such a system when one of its periods ends in the
    window, since the chain it belongs to ends there too. The exact rule decides afterwards.
    """
    window = (on - timedelta(days=rules.GRACE_DAYS), on + timedelta(days=rules.EXPIRING_DAYS))
    older_chain_ends_in_window = Q(prior_chain_starts_on__gt=on) & Exists(
        Contract.objects.filter(system=OuterRef("pk"), ends_on__range=window)
    )
    return Q(product__is_xpresscare_eligible=True) & (
        status_condition(rules.Status.GRACE, on)
        | status_condition(rules.Status.EXPIRING, on)
        | older_chain_ends_in_window
    )


CANDIDATE_FIELDS = {
    "system_id": "pk",
    "serial_number": "serial_number",
    "customer_id": "customer_id",
    "customer": "customer_name",
    "product_id": "product_id",
    "product": "product__name",
    "release": "release__version",
    "um_clients": "um_clients",
    "tts_channels": "tts_channels",
}


@dataclass(frozen=True)
class RenewalsDue:
    """What the monthly e-mail for a date lists, and how many a renewal decision left out."""

    rows: list[DueSystem]
    decided: int


def renewal_due_list(reseller: Reseller, on: date) -> RenewalsDue:
    """Systems of a reseller that expired recently or are due for renewal on `on`, priced.

    Recently expired: `grace` on `on` (chain ended 1–30 days before, still renewable); due:
    `expiring` (chain ends within 90 days). Lapsed, RightFax, never-covered systems, systems
    whose renewal is booked past the window and systems with a renewal decision that applies
    on `on` are left out. Ordered by customer, then expiry. Five queries for any number.
    """
    # Plain values, not model instances: this runs for every reseller every month.
    candidates = System.objects.filter(_candidates(on), reseller=reseller)
    systems = list(candidates.values(*CANDIDATE_FIELDS.values()))
    periods: dict[int, list[rules.Period]] = defaultdict(list)
    contracts = Contract.objects.filter(system_id__in=[system["pk"] for system in systems])
    for system_id, starts_on, ends_on in contracts.values_list("system_id", "starts_on", "ends_on"):
        periods[system_id].append(rules.Period(starts_on, ends_on))
    pricing = pricing_for(reseller, on)
    due = [row for system in systems if (row := _due(system, periods[system["pk"]], on, pricing))]
    due.sort(
        key=lambda row: (row.customer, row.customer_id, row.coverage_ends_on, row.serial_number)
    )
    decided = _decided(due, on)
    return RenewalsDue([row for row in due if row.system_id not in decided], len(decided))


def _decided(due: list[DueSystem], on: date) -> set[int]:
    """The systems among `due` with a renewal decision that applies on `on`: one query."""
    ends = {row.system_id: row.coverage_ends_on for row in due}
    standing = RenewalDecision.objects.filter(system__in=list(ends), withdrawn_at__isnull=True)
    return {
        decision.system_id
        for decision in standing
        if decisions.applies(decision.as_rule, chain_ends_on=ends[decision.system_id], on=on)
    }


def _due(system: dict, periods: list[rules.Period], on: date, pricing: Pricing) -> DueSystem | None:
    """The system as the e-mail lists it, or None when it is neither recently expired nor due."""
    coverage = rules.coverage_on(periods, eligible=True, on=on)
    section = SECTIONS.get(coverage.status)
    if section is None:
        return None
    fields = {name: system[column] for name, column in CANDIDATE_FIELDS.items()}
    due = DueSystem(
        **fields,
        coverage_ends_on=coverage.ends_on,
        renew_by=coverage.renew_by,
        section=section,
        requires_um_coverage=rules.requires_um_coverage(system["um_clients"]),
        requires_tts_coverage=rules.requires_tts_coverage(system["tts_channels"]),
    )
    return replace(due, price=pricing.renewal(due))
