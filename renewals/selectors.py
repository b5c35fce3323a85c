"""Reads of orders and of what a system may be ordered, for views, API and services."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Prefetch, QuerySet

from contracts import rules as contract_rules
from contracts.coverage_sql import statuses_condition
from contracts.models import Customer, System
from contracts.selectors import SystemRow, system_facts_load, systems_facts
from partnerxpress.core.tenancy import for_user, get_for_user
from renewals import rules
from renewals.models import Order, OrderLine
from renewals.quotes import RenewalChoice, RenewalQuote, renewal_choice, renewal_quote


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


def system_entitlement(system: System, on: date) -> contract_rules.Entitlement:
    """What a system is entitled to on a date."""
    return contract_rules.entitlement_on(system_facts_load(system), on)


def renewal_choices(
    user, customer: Customer, on: date, *, renewable_only: bool = False
) -> list[RenewalChoice]:
    """The customer's systems with their renewal terms on `on` (SPEC §1.4), by serial number.

    `renewable_only` leaves out, in SQL, systems that cannot be renewed on `on`.
    """
    systems = (
        for_user(System.objects.select_related("product", "release"), user)
        .filter(customer=customer)
        .order_by("serial_number")
    )
    if renewable_only:
        systems = systems.filter(statuses_condition(contract_rules.RENEWABLE_STATUSES, on))
    systems = list(systems)
    facts = systems_facts(systems)
    choices = [renewal_choice(system, facts[system.pk], on) for system in systems]
    return [choice for choice in choices if choice.options or not renewable_only]


def system_renewal_quote(user, row: SystemRow, on: date) -> RenewalQuote:
    """The renewal quote of a system's page: its terms and the co-term with its customer's
    other renewable systems."""
    this = renewal_choice(row.system, row.facts, on)
    others = [
        choice
        for choice in renewal_choices(user, row.system.customer, on, renewable_only=True)
        if choice.system.pk != row.system.pk
    ]
    return renewal_quote(this, others)


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
        if rules.is_open(rules.OrderKind(line.order.kind), rules.State(line.order.state)):
            found[line.system_id].append((line.order, line))
    return found


def system_open_orders(system: System) -> list[Order]:
    """The system's orders still open, so a reseller does not order it twice."""
    return [order for order, _ in open_orders([system])[system.pk]]


def order_for_po(reseller_id: int, po_number: str) -> Order | None:
    return Order.objects.filter(reseller_id=reseller_id, po_number=po_number).first()


def open_upgrade_orders(systems: Iterable[System]) -> dict[int, Order]:
    """The open no-charge upgrade order of each system that has one, by system pk."""
    return {
        system_id: order
        for system_id, found in open_orders(systems).items()
        for order, _ in found
        if order.kind == rules.OrderKind.NO_CHARGE_UPGRADE
    }
