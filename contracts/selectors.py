"""Reads of contracts data shared by views, API, jobs and services."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncMonth

from contracts import rules
from contracts.models import AccessRequest, Contract, Customer, Product, Release, System
from partnerxpress.core.tenancy import for_user, get_for_user

OVERVIEW_CACHE_SECONDS = 600


def product_versions(product: Product) -> tuple[str, ...]:
    """Every release number of a product."""
    return tuple(Release.objects.filter(product=product).values_list("version", flat=True))


def release_current(product: Product) -> Release | None:
    """The product's highest release."""
    return Release.objects.filter(product=product).order_by("-sort_key").first()


def system_facts(
    system: System,
    contracts: Iterable[Contract] | None = None,
    versions: tuple[str, ...] | None = None,
) -> rules.SystemFacts:
    """The plain facts the rules need about a system; loads what is not given."""
    if contracts is None:
        contracts = system.contracts.all()
    if versions is None:
        versions = product_versions(system.product)
    return rules.SystemFacts(
        eligible=system.product.is_xpresscare_eligible,
        release=system.release.version,
        product_releases=versions,
        um_clients=system.um_clients,
        tts_channels=system.tts_channels,
        purchases=tuple(contract.purchase for contract in contracts),
    )


def _chain_end_between(prefix: str, low: date | None, high: date | None) -> Q:
    condition = Q()
    if low is not None:
        condition &= Q(**{f"{prefix}_ends_on__gte": low})
    if high is not None:
        condition &= Q(**{f"{prefix}_ends_on__lte": high})
    return condition


def anchor_ends_between(on: date, low: date | None, high: date | None) -> Q:
    """SQL: the anchor chain on `on` (`rules.anchor_chain`) has started and ends in [low, high].

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


def status_condition(status: rules.Status, on: date) -> Q:
    """SQL for `System.status_on(on) == status`, from the coverage summary columns."""
    eligible = Q(product__is_xpresscare_eligible=True)
    if status == rules.Status.INELIGIBLE:
        return ~eligible
    if status == rules.Status.NEVER:
        return eligible & Q(chain_starts_on__isnull=True)
    if status == rules.Status.PENDING:
        return eligible & Q(chain_starts_on__gt=on) & ~Q(prior_chain_starts_on__lte=on)
    return eligible & anchor_ends_between(on, *rules.chain_end_bounds(status, on))


def systems_with_status(
    systems: QuerySet[System], status: rules.Status, on: date
) -> QuerySet[System]:
    return systems.filter(status_condition(status, on))


def system_list(user) -> QuerySet[System]:
    """The systems a user may see, with what a list row shows."""
    systems = System.objects.select_related("product", "release", "customer")
    return for_user(systems, user)


def system_get(user, serial_number: str) -> System:
    """One system the user may see, by serial number; 404 otherwise."""
    return get_for_user(
        System.objects.select_related("product", "release", "customer", "reseller__region"),
        user,
        serial_number=serial_number,
    )


def release_versions() -> dict[int, tuple[str, ...]]:
    """Every release number of every product, by product id, in one query."""
    versions: dict[int, tuple[str, ...]] = {}
    for product_id, version in Release.objects.values_list("product_id", "version"):
        versions[product_id] = (*versions.get(product_id, ()), version)
    return versions


def renew_by_between(on: date, first: date, last: date) -> Q:
    """SQL: renewable on `on` with its renew-by date (`rules.renew_by`) in [first, last]."""
    grace = timedelta(days=rules.GRACE_DAYS)  # renew_by = chain end + grace, so shift the bounds
    eligible = Q(product__is_xpresscare_eligible=True)
    # A started chain is renewable while its renew-by date has not passed.
    started = anchor_ends_between(on, max(first, on) - grace, last - grace)
    pending = status_condition(rules.Status.PENDING, on) & _chain_end_between(
        "chain", first - grace, last - grace
    )
    return eligible & (started | pending)


@dataclass(frozen=True)
class SystemRow:
    """A system with its entitlement on a date, from its whole coverage history."""

    system: System
    facts: rules.SystemFacts
    entitlement: rules.Entitlement
    contract: Contract | None  # the period `entitlement.coverage` starts with
    contracts: tuple[Contract, ...]  # every period, oldest first

    @property
    def coverage(self) -> rules.Coverage:
        return self.entitlement.coverage

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS[self.coverage.status]


def system_rows(systems: Iterable[System], on: date) -> list[SystemRow]:
    """Each system's entitlement on `on` by the exact rules: two queries for any number.

    The systems need product and release loaded (`system_list` does it).
    """
    systems = list(systems)
    if not systems:
        return []
    contracts: dict[int, list[Contract]] = defaultdict(list)
    for contract in Contract.objects.filter(system__in=[system.pk for system in systems]).order_by(
        "system_id", "starts_on"
    ):
        contracts[contract.system_id].append(contract)
    versions: dict[int, list[str]] = defaultdict(list)
    product_ids = {system.product_id for system in systems}
    for product_id, version in Release.objects.filter(product__in=product_ids).values_list(
        "product_id", "version"
    ):
        versions[product_id].append(version)
    rows = []
    for system in systems:
        own = contracts[system.pk]
        facts = system_facts(system, own, tuple(versions[system.product_id]))
        entitlement = rules.entitlement_on(facts, on)
        starts = entitlement.coverage.starts_on
        contract = next((c for c in own if c.starts_on == starts), None)
        rows.append(SystemRow(system, facts, entitlement, contract, tuple(own)))
    return rows


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
    renewable = Q()
    for status in rules.RENEWABLE_STATUSES:
        renewable |= status_condition(status, on)
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

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def due(self) -> int:
        """Coverage ends within the next EXPIRING_DAYS days: the expiring systems."""
        return self.by_status[rules.Status.EXPIRING]


def anchor_chain_end(on: date) -> Case:
    """SQL: the end of the anchor chain on `on` (see `anchor_ends_between`)."""
    prior_is_anchor = Q(chain_starts_on__gt=on, prior_chain_starts_on__lte=on)
    return Case(When(prior_is_anchor, then=F("prior_chain_ends_on")), default=F("chain_ends_on"))


def coverage_overview(user, on: date, months: int = 12) -> CoverageOverview:
    """`coverage_overview_count`, cached per reseller, day and `Reseller.coverage_version`.

    The count reads every system of the reseller (55 ms of SQL at 100,000); the version in
    the key makes any booking show at once, the timeout bounds what no version tracks.
    """
    reseller = user.reseller if user.reseller_id and not user.is_staff else None
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
    status = Case(
        *[When(status_condition(status, on), then=Value(status.value)) for status in rules.Status],
        output_field=CharField(),
    )
    renew_by = anchor_chain_end(on) + timedelta(days=rules.GRACE_DAYS)  # rules.renew_by, in SQL
    month = TruncMonth(ExpressionWrapper(renew_by, output_field=DateField()))
    groups = (
        for_user(System.objects.all(), user)
        .order_by()
        .values(status_value=status, month=month)
        .annotate(systems=Count("pk"))
    )
    by_status = dict.fromkeys(rules.Status, 0)
    by_month = dict.fromkeys(starts, 0)
    for group in groups:
        status_value = rules.Status(group["status_value"])
        by_status[status_value] += group["systems"]
        first = group["month"]
        first = first.date() if isinstance(first, datetime) else first
        # Only renewable systems have a renew-by date; a grace one's may fall this month.
        if status_value in rules.RENEWABLE_STATUSES and first in by_month:
            by_month[first] += group["systems"]
    return CoverageOverview(on, by_status, list(by_month.items()))


def access_request_open(user) -> AccessRequest | None:
    """The user's request for contracts access that staff have not granted yet."""
    if not user.is_authenticated:
        return None
    return user.access_requests.filter(granted_at__isnull=True).first()
