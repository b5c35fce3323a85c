"""Reads of orders and of what a system may be ordered, for views, API and services."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from contracts import rules as contract_rules
from contracts.models import Contract, Customer, Product, Release, System
from contracts.selectors import system_facts
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.tenancy import for_user, get_for_user
from renewals import rules
from renewals.models import Order, OrderLine


def order_list(user, *, state: str | None = None) -> QuerySet[Order]:
    """The orders a user may see, newest first, with what a list row shows (constant queries)."""
    orders = Order.objects.select_related("customer").prefetch_related(
        Prefetch("lines", OrderLine.objects.select_related("system").order_by("id"))
    )
    if state:
        orders = orders.filter(state=state)
    return for_user(orders, user)


def order_get(user, pk: int) -> Order:
    """One order the user may see, with its lines and their contracts; 404 otherwise."""
    orders = Order.objects.select_related("customer", "reseller", "placed_by").prefetch_related(
        Prefetch(
            "lines",
            OrderLine.objects.select_related(
                "system__product", "system__release", "contract", "target_release"
            ).order_by("id"),
        )
    )
    return get_for_user(orders, user, pk=pk)


def customer_get(user, pk: int) -> Customer:
    return get_for_user(Customer.objects.select_related("reseller__region"), user, pk=pk)


def release_current(product: Product) -> Release | None:
    """The product's current (highest) release."""
    return Release.objects.filter(product=product).order_by("-sort_key").first()


def systems_facts(systems: Sequence[System]) -> dict[int, contract_rules.SystemFacts]:
    """The rules' facts for many systems in two queries (their contracts, their releases)."""
    contracts: dict[int, list[Contract]] = defaultdict(list)
    for contract in Contract.objects.filter(system__in=systems).order_by("starts_on"):
        contracts[contract.system_id].append(contract)
    versions: dict[int, list[str]] = defaultdict(list)
    products = {system.product_id for system in systems}
    for product_id, version in Release.objects.filter(product_id__in=products).values_list(
        "product_id", "version"
    ):
        versions[product_id].append(version)
    return {
        system.pk: system_facts(system, contracts[system.pk], tuple(versions[system.product_id]))
        for system in systems
    }


def system_entitlement(system: System, on: date) -> contract_rules.Entitlement:
    """What a system is entitled to on a date."""
    return contract_rules.entitlement_on(systems_facts([system])[system.pk], on)


@dataclass(frozen=True)
class Quote:
    """A system of a customer and the renewal terms it may be ordered for on a date."""

    system: System
    entitlement: contract_rules.Entitlement
    options: tuple[contract_rules.RenewalOption, ...]
    reason: str | None  # why it cannot be renewed, when `options` is empty

    @property
    def offers(self) -> tuple[rules.Kind, ...]:
        return rules.order_offers(self.entitlement)


def renewal_quotes(user, customer: Customer, on: date) -> list[Quote]:
    """Every system of a customer with its renewal quote (SPEC §1.4), by serial number."""
    systems = list(
        for_user(System.objects.select_related("product", "release"), user)
        .filter(customer=customer)
        .order_by("serial_number")
    )
    facts = systems_facts(systems)
    quotes = []
    for system in systems:
        try:
            options, reason = contract_rules.renewal_options(facts[system.pk], on), None
        except RuleViolation as refused:
            options, reason = (), refused.message
        entitlement = contract_rules.entitlement_on(facts[system.pk], on)
        quotes.append(Quote(system, entitlement, options, reason))
    return quotes


def coterm_suggestion(quotes: Iterable[Quote]) -> rules.Coterm | None:
    """Terms that bring the given renewable systems to one expiration date (keys: system pk)."""
    starts = {quote.system.pk: quote.options[0].starts_on for quote in quotes if quote.options}
    return rules.coterm(starts)


def open_orders(systems: Iterable[System]) -> dict[int, list[tuple[Order, OrderLine]]]:
    """Orders still open (`rules.is_open`) for the systems, by system pk."""
    lines = (
        OrderLine.objects.filter(
            system__in=list(systems),
            order__state__in=[rules.State.SUBMITTED, rules.State.BOOKED, rules.State.SHIPPED],
        )
        .select_related("order")
        .order_by("order__submitted_at")
    )
    found: dict[int, list[tuple[Order, OrderLine]]] = defaultdict(list)
    for line in lines:
        if rules.is_open(rules.Kind(line.order.kind), rules.State(line.order.state)):
            found[line.system_id].append((line.order, line))
    return found


def order_for_po(reseller_id: int, po_number: str) -> Order | None:
    return Order.objects.filter(reseller_id=reseller_id, po_number=po_number).first()


def open_upgrade_orders(systems: Iterable[System]) -> dict[int, Order]:
    """The open no-charge upgrade order of each system that has one, by system pk."""
    return {
        system_id: order
        for system_id, found in open_orders(systems).items()
        for order, _ in found
        if order.kind == rules.Kind.NO_CHARGE_UPGRADE
    }
