"""Reads of contracts data shared by views, API, jobs and services."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.db.models import Count, DateField, ExpressionWrapper, F, QuerySet
from django.db.models.functions import TruncMonth, Upper
from django.http import Http404

from contracts import rules
from contracts.coverage_sql import (
    anchor_chain_end,
    decision_applies,
    period_started_by,
    status_value,
    statuses_condition,
)
from contracts.models import (
    SUMMARY_COLUMNS,
    AccessRequest,
    Contract,
    Customer,
    Product,
    Release,
    RenewalDecision,
    System,
)
from contracts.rules import decisions
from contracts.selectors.prices import PriceTable as PriceTable
from contracts.selectors.prices import Pricing as Pricing
from contracts.selectors.prices import price_key as price_key
from contracts.selectors.prices import pricing_for as pricing_for
from contracts.selectors.prices import pricings_for as pricings_for
from partnerxpress.core.policy import sees_every_reseller
from partnerxpress.core.tenancy import for_user

OVERVIEW_CACHE_SECONDS = 600


def release_current(product: Product) -> Release | None:
    """The product's highest release."""
    return Release.objects.filter(product=product).order_by("-sort_key").first()


def release_versions(product_ids: Iterable[int] | None = None) -> dict[int, tuple[str, ...]]:
    """Every release number of the products (default: all), by product id, in one query."""
    releases = Release.objects.order_by()  # in any order: no join for the product's name
    if product_ids is not None:
        releases = releases.filter(product_id__in=set(product_ids))
    versions: dict[int, tuple[str, ...]] = {}
    for product_id, version in releases.values_list("product_id", "version"):
        versions[product_id] = (*versions.get(product_id, ()), version)
    return versions


def system_facts(
    system: System, contracts: Iterable[Contract], versions: tuple[str, ...]
) -> rules.SystemFacts:
    """The plain facts the rules need about a system: the one builder of `rules.SystemFacts`.

    `system` needs its product and release loaded; `contracts` are all of its purchases and
    `versions` every release number of its product.
    """
    return rules.SystemFacts(
        eligible=system.product.is_xpresscare_eligible,
        release=system.release.version,
        product_releases=tuple(versions),
        um_clients=system.um_clients,
        tts_channels=system.tts_channels,
        purchases=tuple(contract.purchase for contract in contracts),
    )


def systems_contracts(systems: Iterable[System]) -> dict[int, list[Contract]]:
    """Each system's contracts, oldest first, in one query."""
    contracts: dict[int, list[Contract]] = defaultdict(list)
    for contract in Contract.objects.filter(system__in=[system.pk for system in systems]).order_by(
        "system_id", "starts_on"
    ):
        contracts[contract.system_id].append(contract)
    return contracts


def systems_facts(systems: Sequence[System]) -> dict[int, rules.SystemFacts]:
    """The rules' facts of many systems (product and release loaded), by pk: two queries."""
    contracts = systems_contracts(systems)
    versions = release_versions(system.product_id for system in systems)
    return {
        system.pk: system_facts(system, contracts[system.pk], versions.get(system.product_id, ()))
        for system in systems
    }


def system_facts_load(system: System) -> rules.SystemFacts:
    """`systems_facts` of one system."""
    return systems_facts([system])[system.pk]


# What a row of a system list shows; `system_list` scopes it to a user, the API's base class too.
SYSTEM_ROWS = System.objects.select_related("product", "release", "customer", "reseller__region")


def system_list(user) -> QuerySet[System]:
    """The systems a user may see, with what a list row shows."""
    return for_user(SYSTEM_ROWS.all(), user)


def systems_by_serial(user, serial_numbers: Iterable[str]) -> dict[str, System]:
    """The systems the user may see named by these serial numbers, in whatever case they were
    typed; keyed by the serial number as given. The one look-up of systems by serial number.

    A serial number with a NUL character (from an address, `?serial=` or a form) is a 400:
    PostgreSQL cannot even compare such text.
    """
    given = list(serial_numbers)
    if any("\x00" in serial for serial in given):
        raise BadRequest("A serial number cannot contain a NUL character.")
    systems = system_list(user).annotate(serial_upper=Upper("serial_number"))
    found = {
        system.serial_upper: system
        for system in systems.filter(serial_upper__in={serial.upper() for serial in given})
    }
    return {serial: found[serial.upper()] for serial in given if serial.upper() in found}


def system_values(on: date) -> QuerySet[dict]:
    """Rows of a system list as plain values (no model instances: a list row costs a tenth),
    with what `system_value_entitlement` needs for `on`. Unscoped: the API's base class
    scopes them, like `SYSTEM_ROWS`."""
    return System.objects.values(
        "id",
        "serial_number",
        "reseller_id",
        "customer_id",
        "customer_name",
        "product_id",
        "installed_on",
        "um_clients",
        "tts_channels",
        *SUMMARY_COLUMNS,
        reseller_account_number=F("reseller__account_number"),
        product_name=F("product__name"),
        eligible=F("product__is_xpresscare_eligible"),
        release_version=F("release__version"),
        period_starts_on=period_started_by(on),
    )


def system_value_entitlement(
    row: dict, on: date, versions: dict[int, tuple[str, ...]]
) -> rules.Entitlement:
    """The entitlement on `on` of a `system_values(on)` row, from its coverage summary
    (`rules.entitlement_from_summary`, equal to the full rule); `versions` as
    `release_versions` gives them."""
    facts = rules.SystemFacts(
        eligible=row["eligible"],
        release=row["release_version"],
        product_releases=versions.get(row["product_id"], ()),
        um_clients=row["um_clients"],
        tts_channels=row["tts_channels"],
    )
    summary = rules.CoverageSummary.from_columns(
        (row["prior_chain_starts_on"], row["prior_chain_ends_on"]),
        (row["chain_starts_on"], row["chain_ends_on"]),
        row["period_starts_on"],
    )
    return rules.entitlement_from_summary(facts, summary, on)


def system_serials(user, serial_numbers: Iterable[str]) -> list[str]:
    """Those of the serial numbers that name systems the user may see, as recorded."""
    found = systems_by_serial(user, serial_numbers).values()
    return list(dict.fromkeys(system.serial_number for system in found))


def system_get(user, serial_number: str) -> System:
    """One system the user may see, by serial number in any case; 404 otherwise."""
    system = systems_by_serial(user, [serial_number]).get(serial_number)
    if system is None:
        raise Http404("No system matches.")
    return system


class ShowsCoverage:
    """What a row with an `entitlement` shows of it: its coverage and the status's label."""

    entitlement: rules.Entitlement

    @property
    def coverage(self) -> rules.Coverage:
        return self.entitlement.coverage

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS[self.coverage.status]


@dataclass(frozen=True)
class SystemRow(ShowsCoverage):
    """A system with its entitlement on a date, from its whole coverage history."""

    system: System
    facts: rules.SystemFacts
    entitlement: rules.Entitlement
    contract: Contract | None  # the period `entitlement.coverage` starts with
    contracts: tuple[Contract, ...]  # every period, oldest first
    decision: RenewalDecision | None = None  # the one that applies (`decided`)


def system_rows(systems: Iterable[System], on: date) -> list[SystemRow]:
    """Each system's entitlement on `on` by the exact rules: two queries for any number.

    The systems need product and release loaded (`system_list` does it).
    """
    systems = list(systems)
    if not systems:
        return []
    contracts = systems_contracts(systems)
    versions = release_versions(system.product_id for system in systems)
    rows = []
    for system in systems:
        own = contracts[system.pk]
        facts = system_facts(system, own, versions.get(system.product_id, ()))
        entitlement = rules.entitlement_on(facts, on)
        starts = entitlement.coverage.starts_on
        contract = next((c for c in own if c.starts_on == starts), None)
        rows.append(SystemRow(system, facts, entitlement, contract, tuple(own)))
    return rows


def decisions_applying(rows: Sequence[SystemRow], on: date) -> dict[int, RenewalDecision]:
    """The renewal decision that applies on `on` (`decisions.applies`) to each system that has
    one, by system pk: one query."""
    ends = {row.system.pk: row.coverage.ends_on for row in rows}
    standing = RenewalDecision.objects.filter(
        system__in=list(ends), withdrawn_at__isnull=True
    ).select_related("decided_by")
    return {
        decision.system_id: decision
        for decision in standing
        if decisions.applies(decision.as_rule, chain_ends_on=ends[decision.system_id], on=on)
    }


def decided(rows: Sequence[SystemRow], on: date) -> list[SystemRow]:
    """The rows with the renewal decision that applies to each on `on`."""
    applying = decisions_applying(rows, on)
    return [replace(row, decision=applying.get(row.system.pk)) for row in rows]


def system_decisions(row: SystemRow, on: date) -> tuple[RenewalDecision | None, list]:
    """The decision that applies to a system on `on` (or None), and every decision recorded
    for it, newest first, with who made and withdrew each: one query."""
    history = list(row.system.renewal_decisions.select_related("decided_by", "withdrawn_by"))
    ends = row.coverage.ends_on
    applying = next(
        (d for d in history if decisions.applies(d.as_rule, chain_ends_on=ends, on=on)), None
    )
    return applying, history


def coverage_histories(system_ids: list[int]) -> dict[int, list[tuple[rules.Period, tuple]]]:
    """Each system's periods, oldest first, with (UM clients, TTS) add-ons: one query."""
    histories: dict[int, list[tuple[rules.Period, tuple]]] = defaultdict(list)
    periods = (
        Contract.objects.filter(system__in=system_ids)
        .order_by("system_id", "starts_on")
        .values_list("system_id", "starts_on", "ends_on", "covers_um_clients", "covers_tts")
    )
    for system_id, starts_on, ends_on, covers_um_clients, covers_tts in periods:
        histories[system_id].append(
            (rules.Period(starts_on, ends_on), (covers_um_clients, covers_tts))
        )
    return histories


def system_row_get(user, serial_number: str, on: date) -> SystemRow:
    """One system the user may see, with its entitlement on `on`; 404 otherwise."""
    return system_rows([system_get(user, serial_number)], on)[0]


def customer_renewable_rows(user, system: System, on: date) -> list[SystemRow]:
    """The customer's other systems that are renewable on `on` (the co-term candidates)."""
    others = system_list(user).filter(customer_id=system.customer_id).exclude(pk=system.pk)
    renewable = statuses_condition(rules.RENEWABLE_STATUSES, on)
    # The summary columns narrow the candidates in SQL; the exact rules decide below.
    return [row for row in system_rows(others.filter(renewable), on) if row.coverage.renewable]


def customer_choices(user, limit: int) -> list[tuple[int, str]] | None:
    """(id, name) of the customers a user may see, for a filter's choices; None above `limit`."""
    customers = for_user(Customer.objects.order_by("name"), user).values_list("pk", "name")
    choices = list(customers[: limit + 1])
    return choices if len(choices) <= limit else None


@dataclass(frozen=True)
class CoverageOverview:
    """The reseller's systems at a glance on a date (the Home page)."""

    on: date
    by_status: dict[rules.Status, int]
    renew_by_months: list[tuple[date, int]]  # first day of each month, systems to renew by then
    decided: dict[rules.Status, int]  # of them, those with a renewal decision that applies

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def due(self) -> int:
        """Act now: coverage ends within EXPIRING_DAYS days, and no decision says otherwise."""
        return self.by_status[rules.Status.EXPIRING] - self.decided[rules.Status.EXPIRING]

    @property
    def expired_recently(self) -> int:
        """Act now: expired in the last GRACE_DAYS days, still renewable, and not decided."""
        return self.by_status[rules.Status.GRACE] - self.decided[rules.Status.GRACE]

    @property
    def decided_to_act(self) -> int:
        """Left out of the two figures above by a renewal decision."""
        return self.decided[rules.Status.EXPIRING] + self.decided[rules.Status.GRACE]


def coverage_overview(user, on: date, months: int = 12) -> CoverageOverview:
    """`coverage_overview_count`, cached per reseller, day and `Reseller.coverage_version`.

    The count reads every system of the reseller (55 ms of SQL at 100,000); the version in
    the key makes any booking show at once, the timeout bounds what no version tracks.
    """
    reseller = None if sees_every_reseller(user) else user.reseller
    if reseller is None:
        return coverage_overview_count(user, on, months)
    key = f"coverage-overview:{reseller.pk}:{reseller.coverage_version}:{on}:{months}"
    return cache.get_or_set(
        key, lambda: coverage_overview_count(user, on, months), OVERVIEW_CACHE_SECONDS
    )


def coverage_overview_count(user, on: date, months: int = 12) -> CoverageOverview:
    """Systems per status and per renew-by month, in one query over the summary columns.

    Rows are grouped by (status, month of the anchor chain's renew-by date): each row's
    conditions are evaluated once, not once per figure (100,000 systems: 190 ms → 90 ms).
    """
    starts = [on.replace(day=1) + relativedelta(months=number) for number in range(months)]
    renew_by = anchor_chain_end(on) + timedelta(days=rules.GRACE_DAYS)  # rules.renew_by, in SQL
    month = TruncMonth(ExpressionWrapper(renew_by, output_field=DateField()))
    groups = (
        for_user(System.objects.all(), user)
        .order_by()
        .values(status=status_value(on), month=month, decided=decision_applies(on))
        .annotate(systems=Count("pk"))
    )
    by_status = dict.fromkeys(rules.Status, 0)
    decided = dict.fromkeys(rules.Status, 0)
    by_month = dict.fromkeys(starts, 0)
    for group in groups:
        status = rules.Status(group["status"])
        by_status[status] += group["systems"]
        decided[status] += group["systems"] if group["decided"] else 0
        first = group["month"]
        first = first.date() if isinstance(first, datetime) else first
        # Only renewable systems have a renew-by date; a grace one's may fall this month.
        if status in rules.RENEWABLE_STATUSES and first in by_month:
            by_month[first] += group["systems"]
    return CoverageOverview(on, by_status, list(by_month.items()), decided)


def access_request_open(user) -> AccessRequest | None:
    """The user's request for contracts access that staff have not granted yet."""
    if not user.is_authenticated:
        return None
    return user.access_requests.filter(granted_at__isnull=True).first()
