"""Placing an order (SPEC §1.4): every rule as of the reseller's today, priced (§1.7), once per
PO number."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from contracts import rules as contract_rules
from contracts.models import Release, System
from contracts.rules import prices
from contracts.rules.prices import LinePrice
from contracts.selectors import Pricing, pricing_for, systems_by_serial, systems_facts
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.locales import day_text
from renewals import rules, selectors
from renewals.models import Order, OrderLine
from renewals.rules import LineRequest


@contextmanager
def for_line(serial: str) -> Iterator[None]:
    """Name the system in a refusal, so an order of many systems says which one it was."""
    try:
        yield
    except RuleViolation as refused:
        raise RuleViolation(refused.code, f"{serial}: {refused.message}", "lines") from refused


def _systems(user, serials: Sequence[str]) -> dict[str, System]:
    """The user's systems by serial number as typed (any case); a serial they may not see is
    unknown, like a typo."""
    systems = systems_by_serial(user, serials)
    for serial in serials:
        if serial not in systems:
            raise RuleViolation(
                "unknown_serial",
                f"No system with serial number {serial} is registered to your company.",
                "lines",
            )
    return systems


def _recorded(user, lines: Sequence[LineRequest]) -> tuple[list[LineRequest], dict[str, System]]:
    """The lines naming their systems as recorded (so "cx-1" and "CX-1" are one system), and
    the systems by serial number."""
    typed = _systems(user, [line.serial_number for line in lines])
    systems = {system.serial_number: system for system in typed.values()}
    return [
        replace(line, serial_number=typed[line.serial_number].serial_number) for line in lines
    ], systems


def check_line(
    kind: rules.OrderKind,
    line: LineRequest,
    facts: contract_rules.SystemFacts,
    on: date,
    open_orders: Sequence[tuple[str, str, str]] = (),
) -> str | None:
    """Apply the rules to one line as of `on`; the release an upgrade brings, if any.

    `rules.check_orderable` first, the check the offers and order forms make too; then, for
    XpressCare, the booking rules on the line's term and add-ons.
    """
    current = contract_rules.current_release(facts.product_releases)
    target = rules.check_orderable(
        kind,
        contract_rules.entitlement_on(facts, on),
        serial=line.serial_number,
        release=facts.release,
        current=current,
        open_orders=open_orders,
        on=on,
    )
    if kind == rules.OrderKind.NO_CHARGE_UPGRADE:
        return target
    rules.check_term_given(kind, line.term_months, line.serial_number)
    contract_rules.book(
        facts,
        contract_rules.Booking(
            kind=rules.CONTRACT_KINDS[kind],
            booked_on=on,
            term_months=line.term_months,
            covers_um_clients=line.covers_um_clients,
            covers_tts=line.covers_tts,
        ),
    )
    return current if kind == rules.OrderKind.UPGRADE else None


def order_submit(
    *,
    user,
    kind: rules.OrderKind | str,
    po_number: str,
    lines: Sequence[LineRequest],
    customer_name: str = "",
    on: date | None = None,
) -> tuple[Order, bool]:
    """Place an order if every rule allows it as of `on` (default: the reseller's today).

    Returns (order, created). A PO number the reseller has used already returns that order
    unchanged, so submitting twice (a double click, a retried API call) makes one order.
    """
    kind = rules.OrderKind(kind)
    po_number = po_number.strip()
    if not po_number:
        raise RuleViolation("po_required", "Enter your PO number.", "po_number")
    if user.reseller_id and (found := selectors.order_for_po(user.reseller_id, po_number)):
        return found, False
    lines = [replace(line, serial_number=line.serial_number.strip()) for line in lines]
    lines, systems = _recorded(user, lines)
    rules.check_lines([line.serial_number for line in lines])
    rules.check_one_customer(system.customer.name for system in systems.values())
    first = systems[lines[0].serial_number]
    if found := selectors.order_for_po(first.reseller_id, po_number):
        return found, False  # staff placing an order for a reseller
    rules.check_customer_name(
        given=customer_name,
        recorded=first.customer.name,
        serial=first.serial_number,
        required=kind == rules.OrderKind.NO_CHARGE_UPGRADE,
    )
    order = Order(
        reseller=first.reseller,
        customer=first.customer,
        kind=kind,
        po_number=po_number,
        currency=first.reseller.currency,
        placed_by=user,
    )
    on = on or first.reseller.region.today(timezone.now())
    return _order_create(order, _checked_lines(order, lines, systems, on), by=user)


def _line_price(
    pricing: Pricing, kind: rules.OrderKind, line: LineRequest, system: System
) -> LinePrice:
    """What a checked line costs on the price date (SPEC §1.7); an unpriced product is refused."""
    if kind not in rules.CONTRACT_KINDS:
        return prices.free(pricing.currency)  # a no-charge upgrade
    price = pricing.line(
        system,
        kind=rules.CONTRACT_KINDS[kind],
        term_months=line.term_months,
        covers_um_clients=line.covers_um_clients,
        covers_tts=line.covers_tts,
    )
    if price is None:
        raise RuleViolation(
            "no_price",
            f"{system.product.name} has no price in {pricing.currency} on "
            f"{day_text(pricing.on)}: AVST staff must add it to the price list.",
            "lines",
        )
    return price


def _checked_lines(
    order: Order, lines: Sequence[LineRequest], systems: dict[str, System], on: date
) -> list[OrderLine]:
    """The order's lines, each checked by every rule as of `on` (refusals name the system)."""
    kind = rules.OrderKind(order.kind)
    facts = systems_facts(list(systems.values()))
    already = selectors.open_orders(systems.values())
    pricing = pricing_for(order.reseller, on)
    releases = {
        (release.product_id, release.version): release
        for release in Release.objects.filter(
            product_id__in={system.product_id for system in systems.values()}
        )
    }
    order_lines = []
    for line in lines:
        system = systems[line.serial_number]
        with for_line(system.serial_number):
            open_orders = [(o.kind, o.number, o.state) for o, _ in already[system.pk]]
            target = check_line(kind, line, facts[system.pk], on, open_orders)
            price = _line_price(pricing, kind, line, system)
        order_lines.append(
            OrderLine(
                order=order,
                system=system,
                term_months=line.term_months if kind in rules.CONTRACT_KINDS else None,
                covers_um_clients=line.covers_um_clients,
                covers_tts=line.covers_tts,
                target_release=releases.get((system.product_id, target)),
                list_price=price.list_price,
                net_price=price.net_price,
                term_discount_percent=price.term_discount,
                reseller_discount_percent=price.reseller_discount,
                price_entry=(
                    pricing.entries.get(system.product_id) if kind in rules.CONTRACT_KINDS else None
                ),
            )
        )
    return order_lines


def _order_create(order: Order, lines: list[OrderLine], *, by) -> tuple[Order, bool]:
    """Save a checked order and its lines with their history; or find the PO's order."""
    try:
        with transaction.atomic():
            order._history_user = by
            order.save()
            OrderLine.objects.bulk_create(lines)
            OrderLine.history.bulk_history_create(lines, default_user=by)
    except IntegrityError:
        # Another request with the same PO number won the race: that order is this one.
        found = selectors.order_for_po(order.reseller_id, order.po_number)
        if found is None:
            raise
        return found, False
    return order, True
