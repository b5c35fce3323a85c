"""Writes of orders (SPEC §1.4): book, reject, ship, install, e-mailing the reseller; placing
one is `submit.order_submit` (read here too, as services.order_submit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from contracts import rules as contract_rules
from contracts.models import System
from contracts.selectors import system_facts, systems_facts
from contracts.services import BookingBatch
from notifications.services import email_enqueue
from partnerxpress.core.errors import RuleViolation
from renewals import rules
from renewals.models import Order, OrderLine
from renewals.rules import LineRequest
from renewals.services.submit import check_line, for_line
from renewals.services.submit import order_submit as order_submit


def _locked(order: Order) -> Order:
    """The order's row, locked: two desks acting on one order at once go one after the other."""
    orders = Order.objects.select_for_update(of=("self",)).select_related("reseller__region")
    return orders.get(pk=order.pk)


def _notify(order: Order, template: str) -> None:
    """E-mail the reseller's user who placed the order (through the outbox, once per event)."""
    user = order.placed_by
    if user is None or not user.email:
        return
    lines = list(order.lines.select_related("system", "contract", "target_release").order_by("id"))
    email_enqueue(
        key=f"{template}:{order.pk}",
        to=user.email,
        template=template,
        context={
            "order": order,
            "lines": lines,
            "user": user,
            "order_url": settings.PORTAL_URL + reverse("renewals:order", args=[order.pk]),
            "currency": contract_rules.currency_for_region(order.reseller.region.code),
        },
        reseller=order.reseller,
    )


def order_book(*, order: Order, booked_on: date, by) -> Order:
    """Book an order as of `booked_on`: every rule again, one transaction, or nothing at all.

    Each line goes through the booking batch of contracts.services (systems locked in
    primary-key order, so orders sharing systems never deadlock) and is linked to its contract.
    A refusal raises RuleViolation and leaves the order submitted.
    """
    with transaction.atomic():
        order = _locked(order)
        kind = rules.OrderKind(order.kind)
        rules.check_action(kind, rules.State(order.state), rules.Action.BOOK)
        lines = list(order.lines.order_by("system_id"))
        batch = BookingBatch()
        batch.lock(System(pk=line.system_id) for line in lines)
        # Fresh rows, read after the lock: another booking may have just changed them.
        systems = System.objects.select_related("product", "release").in_bulk(
            [line.system_id for line in lines]
        )
        for line in lines:
            system = systems[line.system_id]
            with for_line(system.serial_number):
                _book_line(batch, order, line, system, booked_on)
        batch.save()
        for line in lines:
            line.save(update_fields=["contract", "target_release"])
        order.state = rules.State.BOOKED
        order.booked_on, order.booked_by = booked_on, by
        order._history_user = by
        order.save()
        _notify(order, "order-booked")
    return order


def _book_line(
    batch: BookingBatch, order: Order, line: OrderLine, system: System, booked_on: date
) -> None:
    releases = batch.product_releases(system.product_id)
    if order.kind == rules.OrderKind.NO_CHARGE_UPGRADE:
        versions = tuple(release.version for release in releases)
        facts = system_facts(system, batch.purchases(system), versions)
        target = rules.check_no_charge_upgrade(
            contract_rules.entitlement_on(facts, booked_on),
            release=facts.release,
            current=contract_rules.current_release(versions),
            on=booked_on,
        )
        line.target_release = next(release for release in releases if release.version == target)
        return
    booking = _booking(order, line, booked_on)
    line.contract = batch.book(system, booking, po_number=order.po_number)
    if order.kind == rules.OrderKind.UPGRADE:
        line.target_release = system.release  # the batch moved it to the current release


def _booking(order: Order, line: OrderLine, booked_on: date) -> contract_rules.Booking:
    """The XpressCare purchase an order line books (not for a no-charge upgrade)."""
    return contract_rules.Booking(
        kind=rules.CONTRACT_KINDS[rules.OrderKind(order.kind)],
        booked_on=booked_on,
        term_months=line.term_months,
        covers_um_clients=line.covers_um_clients,
        covers_tts=line.covers_tts,
    )


@dataclass(frozen=True)
class LinePreview:
    """What booking one order line would do, shown to the desk before it books, with the
    prices it was submitted at (booking never prices again, SPEC §1.7)."""

    serial_number: str
    coverage_ends_on: date | None  # the end of the system's coverage chain now
    starts_on: date | None
    ends_on: date | None
    term_months: int | None
    target_release: str | None
    refusal: str | None
    list_price: Decimal | None = None
    net_price: Decimal | None = None


def order_book_preview(*, order: Order, booked_on: date) -> list[LinePreview]:
    """What `order_book` would book for each line on `booked_on`, by the same rules (the
    coverage rules' `book`); nothing is locked or saved, so a line may still be refused."""
    lines = list(order.lines.select_related("system__product", "system__release"))
    facts = systems_facts([line.system for line in lines])
    kind = rules.OrderKind(order.kind)
    previews = []
    for line in lines:
        system, period, target, refusal = line.system, None, None, None
        try:
            if kind == rules.OrderKind.NO_CHARGE_UPGRADE:
                target = check_line(
                    kind, LineRequest(system.serial_number), facts[system.pk], booked_on
                )
            else:
                period = contract_rules.book(facts[system.pk], _booking(order, line, booked_on))
                if kind == rules.OrderKind.UPGRADE:
                    target = contract_rules.current_release(facts[system.pk].product_releases)
        except RuleViolation as refused:
            refusal = refused.message
        previews.append(
            LinePreview(
                serial_number=system.serial_number,
                coverage_ends_on=system.chain_ends_on,
                starts_on=period.starts_on if period else None,
                ends_on=period.ends_on if period else None,
                term_months=line.term_months,
                target_release=target,
                refusal=refusal,
                list_price=line.list_price,
                net_price=line.net_price,
            )
        )
    return previews


def order_reject(*, order: Order, reason: str, by) -> Order:
    """Refuse a submitted order with a reason the reseller sees."""
    reason = reason.strip()
    if not reason:
        raise RuleViolation(
            "reason_required", "Give the reason for the rejection: the reseller sees it.", "reason"
        )
    with transaction.atomic():
        order = _locked(order)
        rules.check_action(
            rules.OrderKind(order.kind), rules.State(order.state), rules.Action.REJECT
        )
        order.state = rules.State.REJECTED
        order.rejection_reason, order.rejected_at, order.rejected_by = reason, timezone.now(), by
        order._history_user = by
        order.save()
        _notify(order, "order-rejected")
    return order


def order_ship(*, order: Order, shipping_charge: Decimal, by) -> Order:
    """Record that a booked upgrade has shipped, and the shipping charge billed to the reseller."""
    if shipping_charge < 0:
        raise RuleViolation(
            "negative_charge", "A shipping charge cannot be negative.", "shipping_charge"
        )
    with transaction.atomic():
        order = _locked(order)
        rules.check_action(rules.OrderKind(order.kind), rules.State(order.state), rules.Action.SHIP)
        order.state = rules.State.SHIPPED
        order.shipping_charge = shipping_charge
        order.shipped_at, order.shipped_by = timezone.now(), by
        order._history_user = by
        order.save()
        _notify(order, "order-shipped")
    return order


def order_install(*, order: Order, installed_on: date, by) -> Order:
    """Record a shipped upgrade as installed: its systems move to the target release."""
    with transaction.atomic():
        order = _locked(order)
        rules.check_action(
            rules.OrderKind(order.kind), rules.State(order.state), rules.Action.INSTALL
        )
        lines = list(order.lines.select_related("target_release").order_by("system_id"))
        systems = (
            System.objects.select_for_update(of=("self",))
            .filter(pk__in=[line.system_id for line in lines])
            .order_by("pk")
            .select_related("release")
        )
        current = {system.pk: system for system in systems}
        moved = []
        for line in lines:
            target, system = line.target_release, current[line.system_id]
            # Never move a system backwards, e.g. if it was upgraded again meanwhile.
            if target and contract_rules.version_key(target.version) > contract_rules.version_key(
                system.release.version
            ):
                system.release = target
                moved.append(system)
        System.objects.bulk_update(moved, ["release"])
        System.history.bulk_history_create(moved, update=True, default_user=by)
        order.state = rules.State.INSTALLED
        order.installed_on, order.installed_by = installed_on, by
        order._history_user = by
        order.save()
    return order
