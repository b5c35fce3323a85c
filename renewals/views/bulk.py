"""Renew several at once (SPEC §2): the systems ticked in XpressCare Contracts, one renewal
order per customer, each with its own PO number, priced before placing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from contracts.models import Customer
from contracts.selection import selection_change, selection_get
from contracts.selectors import pricings_for
from contracts.views import contracts_access_required
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.forms import add_rule_error
from partnerxpress.core.tenancy import user_today
from renewals import rules, selectors, services
from renewals.forms import RenewalOrderForm
from renewals.models import Order
from renewals.quotes import RenewalChoice, coterm_of


@dataclass
class CustomerRenewal:
    """One customer's part of "Renew selected": its form, its co-term and what became of it."""

    customer: Customer
    currency: str
    form: RenewalOrderForm
    coterm: rules.Coterm | None
    terms: str  # "12" or "coterm": the switch the reseller chose
    order: Order | None = None
    created: bool = False

    @property
    def unrenewable(self) -> list[RenewalChoice]:
        """Systems ticked that cannot be renewed (any more): shown with the reason."""
        return [choice for choice in self.form.initial_quotes if not choice.options]


def _unprefixed(data, prefix: str) -> dict:
    """A customer's fields of the whole form, without their prefix (`c12-term_5` → `term_5`)."""
    start = f"{prefix}-"
    return {key[len(start) :]: value for key, value in data.items() if key.startswith(start)}


def _customer_renewal(request, customer, choices, pricing) -> CustomerRenewal:
    """The customer's form: bound when the orders are placed; else as the term switch (POST
    "apply") or the first visit (12 months, required add-ons ticked) leaves it."""
    prefix, currency = f"c{customer.pk}", pricing.currency
    prices = selectors.renewal_price_tables(pricing, choices)
    coterm = coterm_of(choices)
    if "place" in request.POST:
        form = RenewalOrderForm(request.POST, prefix=prefix, quotes=choices, prices=prices)
        terms = request.POST.get(f"{prefix}-terms", "12")
        return CustomerRenewal(customer, currency, form, coterm, terms)
    given = _unprefixed(request.POST, prefix)
    use_coterm = coterm is not None and given.get("terms") == "coterm"
    terms = coterm.terms if use_coterm else {c.system.pk: 12 for c in choices if c.options}
    initial = RenewalOrderForm.initial_from(given, choices, terms)
    form = RenewalOrderForm(initial=initial, prefix=prefix, quotes=choices, prices=prices)
    return CustomerRenewal(customer, currency, form, coterm, "coterm" if use_coterm else "12")


def _place(user, part: CustomerRenewal) -> None:
    """Submit one customer's renewal order: all its lines or none (the others go on)."""
    if not part.form.is_valid():
        return
    try:
        part.order, part.created = services.order_submit(
            user=user,
            kind=rules.OrderKind.RENEWAL,
            po_number=part.form.cleaned_data["po_number"],
            lines=part.form.lines(),
        )
    except RuleViolation as refused:
        add_rule_error(part.form, refused)


@contracts_access_required
def renew_selected(request: HttpRequest) -> HttpResponse:
    """The systems ticked in XpressCare Contracts: one renewal order per customer, each with
    its own PO number, priced before submitting; placing them reports per customer."""
    today = user_today(request.user)
    groups = selectors.selected_choices(request.user, selection_get(request.session), today)
    if not groups:
        messages.info(request, "Tick the systems to renew in XpressCare Contracts first.")
        return redirect("contracts:list")
    pricings = pricings_for({customer.reseller for customer, _ in groups}, today)
    parts = [
        _customer_renewal(request, customer, choices, pricings[customer.reseller_id])
        for customer, choices in groups
    ]
    if "place" in request.POST:
        for part in parts:
            _place(request.user, part)
        placed = [part for part in parts if part.order is not None]
        placed_serials = [line.system.serial_number for p in placed for line in p.order.lines.all()]
        selection_change(request.session, remove=placed_serials)
    open_parts = [part for part in parts if part.order is None]
    currencies = {part.currency for part in open_parts}
    totals = [part.form.total() for part in open_parts]
    prices = {pk: table for part in parts for pk, table in part.form.prices.items()}
    context = {
        "parts": parts,
        "open_parts": open_parts,
        "currency": currencies.pop() if len(currencies) == 1 else "",  # else no grand total
        "grand_total": None if None in totals else sum(totals, Decimal("0.00")),
        "price_table": {"currency": parts[0].currency, "lines": prices},
    }
    return render(request, "renewals/renew_selected.html", context)
