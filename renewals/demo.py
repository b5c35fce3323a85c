"""Demo orders for `manage.py seed_demo`: one in each state, placed and handled by the services."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from contracts import rules as contract_rules
from contracts.coverage_sql import systems_with_status
from contracts.models import Customer, System, User
from partnerxpress.core.errors import RuleViolation
from renewals.models import Order
from renewals.quotes import coterm_of
from renewals.rules import LineRequest, OrderKind
from renewals.selectors import renewal_choices
from renewals.services import (
    order_book,
    order_install,
    order_reject,
    order_ship,
    order_submit,
)


def seed_orders(rep: User, staff: User, today: date) -> None:
    """A booked, a submitted and a rejected renewal; a no-charge upgrade shipped and installed."""
    if Order.objects.filter(reseller=rep.reseller).exists():
        return
    systems = System.objects.filter(reseller=rep.reseller).select_related("customer")
    expiring = systems_with_status(systems, contract_rules.Status.EXPIRING, today)
    renewals = iter(expiring.order_by("serial_number"))
    code = rep.reseller.account_number[2:]

    booked = _first(renewals, lambda s: _renewal(rep, s, f"PO-{code}-1001", today))
    order_book(order=booked, booked_on=today, by=staff)
    _first(renewals, lambda s: _renewal(rep, s, f"PO-{code}-1002", today))
    rejected = _first(renewals, lambda s: _renewal(rep, s, f"PO-{code}-1003", today))
    order_reject(
        order=rejected,
        reason="The PO we received is not signed. Please submit it again with a signed PO.",
        by=staff,
    )

    covered = systems_with_status(systems, contract_rules.Status.COVERED, today)
    upgrade = _first(
        iter(covered.order_by("serial_number")),
        lambda s: order_submit(
            user=rep,
            kind=OrderKind.NO_CHARGE_UPGRADE,
            po_number=f"PO-{code}-1004",
            customer_name=s.customer.name,
            lines=[LineRequest(s.serial_number)],
            on=today,
        )[0],
    )
    order_book(order=upgrade, booked_on=today, by=staff)
    order_ship(order=upgrade, shipping_charge=Decimal("45.00"), by=staff)
    order_install(order=upgrade, installed_on=today, by=staff)
    _several_systems(rep, expiring, f"PO-{code}-1005", today)


def _several_systems(rep: User, expiring, po_number: str, today: date) -> Order:
    """A submitted renewal of the expiring systems of the customer that has the most, with
    the co-term when they can meet on one date."""
    not_ordered = expiring.exclude(order_lines__order__state="submitted")
    counts = Counter(not_ordered.values_list("customer_id", flat=True))
    customer_id, _ = counts.most_common(1)[0]
    choices = [
        choice
        for choice in renewal_choices(rep, Customer.objects.get(pk=customer_id), today)
        if choice.options and choice.entitlement.coverage.status == contract_rules.Status.EXPIRING
    ]
    terms = getattr(coterm_of(choices), "terms", {})
    lines = [
        LineRequest(
            choice.system.serial_number,
            term_months=terms.get(choice.system.pk, 12),
            covers_um_clients=choice.entitlement.requires_um_coverage,
            covers_tts=choice.entitlement.requires_tts_coverage,
        )
        for choice in choices
    ]
    return order_submit(
        user=rep, kind=OrderKind.RENEWAL, po_number=po_number, lines=lines, on=today
    )[0]


def _renewal(rep: User, system: System, po_number: str, today: date) -> Order:
    line = LineRequest(
        system.serial_number,
        term_months=12,
        covers_um_clients=contract_rules.requires_um_coverage(system.um_clients),
        covers_tts=contract_rules.requires_tts_coverage(system.tts_channels),
    )
    return order_submit(
        user=rep, kind=OrderKind.RENEWAL, po_number=po_number, lines=[line], on=today
    )[0]


def _first(systems, place: Callable[[System], Order]) -> Order:
    """The order placed for the first system the rules accept it for."""
    for system in systems:
        try:
            return place(system)
        except RuleViolation:
            continue
    raise RuntimeError("the demo data has no system for this order")
