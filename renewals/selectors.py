"""Reads of orders and of what a system may be ordered, for views, API and services."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from contracts import rules as contract_rules
from contracts.coverage_sql import statuses_condition
from contracts.models import Customer, Reseller, System
from contracts.selectors import (
    PriceTable,
    Pricing,
    SystemRow,
    pricing_for,
    system_facts_load,
    systems_facts,
)
from partnerxpress.core.tenancy import for_user, get_for_user
from renewals import rules
from renewals.due import renewal_due_list
from renewals.models import Order, OrderLine
from renewals.quotes import RenewalChoice, RenewalQuote, renewal_choice, renewal_quote
from renewals.rules import LineRequest


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


def selected_choices(
    user, serial_numbers: Iterable[str], on: date
) -> list[tuple[Customer, list[RenewalChoice]]]:
    """The systems a user ticked, by customer (by name), with their renewal terms on `on`.

    Three queries however many systems: a customer's other systems are not loaded.
    """
    systems = list(
        for_user(System.objects.select_related("product", "release"), user)
        .filter(serial_number__in=list(serial_numbers))
        .select_related("customer__reseller__region")
        .order_by("customer_name", "customer_id", "serial_number")
    )
    facts = systems_facts(systems)
    by_customer: dict[int, tuple[Customer, list[RenewalChoice]]] = {}
    for system in systems:
        group = by_customer.setdefault(system.customer_id, (system.customer, []))
        group[1].append(renewal_choice(system, facts[system.pk], on))
    return list(by_customer.values())


def renewal_price_tables(
    pricing: Pricing, choices: Iterable[RenewalChoice]
) -> dict[int, PriceTable | None]:
    """Each renewable system's renewal prices for every term and add-on choice, by pk."""
    renewal = contract_rules.PurchaseKind.RENEWAL
    return {
        choice.system.pk: pricing.table(
            choice.system, renewal, [option.term_months for option in choice.options]
        )
        for choice in choices
        if choice.options
    }


def system_renewal_quote(user, row: SystemRow, on: date) -> RenewalQuote:
    """The renewal quote of a system's page: its terms and the co-term with its customer's
    other renewable systems."""
    this = renewal_choice(row.system, row.facts, on)
    others = [
        choice
        for choice in renewal_choices(user, row.system.customer, on, renewable_only=True)
        if choice.system.pk != row.system.pk
    ]
    pricing = pricing_for(row.system.reseller, on)
    prices = [pricing.renewal(row.system, option.term_months) for option in this.options]
    return renewal_quote(this, others, prices)


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


QUOTE_VALID_DAYS = 30


@dataclass(frozen=True)
class CustomerQuoteLine:
    """One system of a customer quote: the renewal asked for, at list price."""

    choice: RenewalChoice
    option: contract_rules.RenewalOption
    covers_um_clients: bool
    covers_tts: bool
    list_price: Decimal | None


@dataclass(frozen=True)
class CustomerQuote:
    """A renewal quote for a reseller's customer: list prices only, never the discount."""

    customer: Customer
    dated: date
    valid_until: date
    currency: str
    lines: list[CustomerQuoteLine]

    @property
    def coterm_ends_on(self) -> date | None:
        """The common end date when the terms chosen co-term the systems."""
        ends = {line.option.ends_on for line in self.lines}
        return ends.pop() if len(self.lines) > 1 and len(ends) == 1 else None

    @property
    def total(self) -> Decimal | None:
        prices = [line.list_price for line in self.lines]
        return None if None in prices else sum(prices, Decimal("0.00"))


def customer_quote(
    customer: Customer,
    choices: Iterable[RenewalChoice],
    lines: Iterable[LineRequest],
    on: date,
) -> CustomerQuote:
    """The customer quote of the renewals asked for (renewable systems among `choices`)."""
    pricing = pricing_for(customer.reseller, on)
    by_serial = {choice.system.serial_number: choice for choice in choices if choice.options}
    quoted = []
    for line in lines:
        choice = by_serial.get(line.serial_number)
        options = choice.options if choice else ()
        option = next((o for o in options if o.term_months == line.term_months), None)
        if option is None:
            continue  # a term the system cannot be renewed for: left out, as the form refuses it
        price = pricing.line(
            choice.system,
            kind=contract_rules.PurchaseKind.RENEWAL,
            term_months=option.term_months,
            covers_um_clients=line.covers_um_clients,
            covers_tts=line.covers_tts,
        )
        quoted.append(
            CustomerQuoteLine(
                choice,
                option,
                line.covers_um_clients,
                line.covers_tts,
                price.list_price if price else None,
            )
        )
    valid_until = on + timedelta(days=QUOTE_VALID_DAYS)
    return CustomerQuote(customer, on, valid_until, pricing.currency, quoted)


def due_reseller_get(user, account_number: str | None) -> Reseller:
    """The reseller whose renewals a user asks for: their own, or for staff the one named.

    A reseller user naming another reseller gets a 404, like a missing one.
    """
    if account_number is None:
        if user.reseller_id is None:
            raise Http404("Name a reseller: add reseller=ACCOUNT.")
        return Reseller.objects.select_related("region").get(pk=user.reseller_id)
    return get_for_user(
        Reseller.objects.select_related("region"), user, account_number=account_number
    )


def digest_preview(reseller: Reseller, on: date) -> dict:
    """The renewal e-mail a reseller's representatives would get for `on`, without sending it."""
    from notifications.services import email_render
    from renewals.services.digests import (
        TEMPLATE,
        digest_context,
        digest_representatives,
        digest_shared,
    )

    due = renewal_due_list(reseller, on)
    rows = due.rows
    representatives = digest_representatives(reseller)
    first = representatives[0] if representatives else None
    context = digest_context(digest_shared(reseller, on, rows, due.decided), first)
    subject, text, html = email_render(TEMPLATE, context, reseller.region)
    return {
        "reseller": reseller,
        "on": on,
        "rows": rows,
        "representatives": representatives,
        "subject": subject,
        "text": text,
        "html": html,
    }
