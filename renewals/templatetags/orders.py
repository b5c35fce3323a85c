"""Formatting of orders in templates: a system's one-click order offers as labelled links.

Tags here format what views give them; they read nothing from the database and decide no
access (the page that includes them does).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.formats import date_format

from contracts import rules as contract_rules
from contracts.models import System
from renewals import rules
from renewals.models import Order

register = template.Library()


@dataclass(frozen=True)
class Offer:
    kind: rules.OrderKind
    label: str
    note: str
    url: str


def order_new_url(kind: rules.OrderKind, system: System) -> str:
    """Where a system's one-click order of `kind` starts, prefilled for it."""
    if kind == rules.OrderKind.RENEWAL:
        url = reverse("renewals:renewal_new", args=[system.customer_id])
        return f"{url}?{urlencode({'system': system.serial_number})}"
    return f"{reverse(f'renewals:{kind.value}_new')}?{urlencode({'serial': system.serial_number})}"


def _offer(kind: rules.OrderKind, system: System, entitlement: contract_rules.Entitlement) -> Offer:
    coverage = entitlement.coverage
    texts = {
        rules.OrderKind.RENEWAL: (
            "Renew XpressCare",
            f"Renew by {date_format(coverage.renew_by)}; the new term starts the day after "
            f"{date_format(coverage.ends_on)}."
            if coverage.renew_by
            else "",
        ),
        rules.OrderKind.NO_CHARGE_UPGRADE: (
            f"Order the no-charge upgrade to {entitlement.upgrade_to}",
            "Covered systems receive upgrades at no charge; you pay shipping.",
        ),
        rules.OrderKind.UPGRADE: (
            "Buy a software upgrade",
            "Coverage lapsed: a software upgrade brings this system back to XpressCare "
            "from the day it is booked.",
        ),
        rules.OrderKind.PLAN: (
            "Buy an XpressCare plan",
            "This system has never had XpressCare: a plan starts the day it is booked.",
        ),
    }
    label, note = texts[kind]
    return Offer(kind, label, note, order_new_url(kind, system))


@register.simple_tag
def order_offers(
    system: System,
    entitlement: contract_rules.Entitlement | None,
    today: date,
    open_orders: Iterable[Order] = (),
) -> list[Offer]:
    """The orders that fit a system (renewals.rules.order_offers), most useful first: only those
    `rules.check_orderable` allows, as submitting them checks, given its open orders."""
    if entitlement is None:
        return []
    kinds = rules.order_offers(
        entitlement,
        serial=system.serial_number,
        release=system.release.version,
        current=entitlement.upgrade_to,
        open_orders=[(order.kind, order.number, order.state) for order in open_orders],
        on=today,
    )
    return [_offer(kind, system, entitlement) for kind in kinds]


@register.filter
def status_label(status: str) -> str:
    """A coverage status as the reseller reads it ("Expired – renewable")."""
    return contract_rules.STATUS_LABELS.get(status, status)
