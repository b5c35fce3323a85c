"""Portal pages of orders: place renewal, plan and upgrade orders; follow them (SPEC §2)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from contracts import rules as contract_rules
from contracts.models import Release, System
from contracts.selectors import price_key, pricing_for, release_current, system_get
from contracts.views import contracts_access_required  # the portal's 403 with Request access
from contracts.wording import po_text
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.forms import add_rule_error
from partnerxpress.core.locales import in_region
from partnerxpress.core.pages import paginate
from partnerxpress.core.tenancy import user_today
from renewals import rules, selectors, services
from renewals.forms import (
    FindSystemForm,
    NoChargeUpgradeForm,
    RenewalOrderForm,
    StateFilterForm,
    SystemOrderForm,
)
from renewals.models import Order
from renewals.quotes import RenewalChoice, coterm_of

ORDERS_PER_PAGE = 25
ONE_SYSTEM_FIELDS = {"lines": "serial_number"}  # a line's refusal shows on the serial number
SYSTEM_FORMS = {
    rules.OrderKind.PLAN: SystemOrderForm,
    rules.OrderKind.UPGRADE: SystemOrderForm,
    rules.OrderKind.NO_CHARGE_UPGRADE: NoChargeUpgradeForm,
}


def _placed(request: HttpRequest, order: Order, created: bool) -> HttpResponse:
    if created:
        messages.success(
            request,
            f"Order {order.number} ({po_text(order.po_number)}) is submitted. "
            "The order desk books it; you will get an e-mail.",
        )
    else:
        po = po_text(order.po_number)
        messages.info(request, f"{po} is already order {order.number}: here it is.")
    return redirect("renewals:order", pk=order.pk)


@contracts_access_required
def order_list(request: HttpRequest) -> HttpResponse:
    """Every order of the reseller with its state, newest first."""
    state_filter = StateFilterForm(request.GET or None)
    state = state_filter.cleaned_data["state"] if state_filter.is_valid() else ""
    orders = selectors.order_list(request.user, state=state)
    context = {
        "page": paginate(request, orders, per_page=ORDERS_PER_PAGE),
        "state_filter": state_filter,
    }
    return render(request, "renewals/orders.html", context)


@contracts_access_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(request.user, pk)
    return render(request, "renewals/order.html", {"order": order})


@contracts_access_required
def order_start(request: HttpRequest) -> HttpResponse:
    """Find a system by serial number and offer the orders that fit it."""
    form = FindSystemForm(request.GET or None)
    context: dict = {"form": form, "today": user_today(request.user)}
    if form.is_valid():
        try:
            system = system_get(request.user, form.cleaned_data["serial"].strip())
        except Http404:
            form.add_error("serial", "No system with this serial number is registered to you.")
        else:
            entitlement = selectors.system_entitlement(system, context["today"])
            context |= {"system": system, "entitlement": entitlement}
            context["open_orders"] = selectors.system_open_orders(system)
            context["coverage"] = entitlement.coverage
    return render(request, "renewals/order_start.html", context)


def _coterm(form: RenewalOrderForm) -> rules.Coterm | None:
    """Co-term the systems ticked when two or more are; else every renewable one, with the one
    ticked (e.g. the system whose page linked here) kept in, as its page suggests."""
    chosen = form.chosen()
    if len(chosen) >= 2:
        return coterm_of(chosen)
    return coterm_of(form.quotes, including=chosen[0].system.pk if chosen else None)


def _coterm_context(form: RenewalOrderForm) -> dict:
    """The suggestion, readable (serial, months), and the link that applies it."""
    suggestion = _coterm(form)
    if suggestion is None:
        return {"coterm": None}
    systems = [q.system for q in form.quotes if q.system.pk in suggestion.terms]
    query = urlencode([("coterm", "1"), *(("system", s.serial_number) for s in systems)])
    return {
        "coterm": suggestion,
        "coterm_rows": [(s.serial_number, suggestion.terms[s.pk]) for s in systems],
        "coterm_url": f"?{query}",
    }


def _renewal_form_from(query, quotes: list[RenewalChoice], prices=None) -> RenewalOrderForm:
    """The form as a link or a co-term click left it (`?system=`, `?coterm=1`)."""
    initial = RenewalOrderForm.initial_from(query, quotes)
    form = RenewalOrderForm(initial=initial, quotes=quotes, prices=prices)
    if "coterm" in query and (suggestion := _coterm(form)):
        initial = RenewalOrderForm.initial_from(query, quotes, suggestion.terms)
        form = RenewalOrderForm(initial=initial, quotes=quotes, prices=prices)
    return form


@contracts_access_required
def renewal_new(request: HttpRequest, customer_pk: int) -> HttpResponse:
    """A renewal order for systems of one customer: each system's terms priced, the co-term."""
    customer = selectors.customer_get(request.user, customer_pk)
    today = user_today(request.user)
    quotes = selectors.renewal_choices(request.user, customer, today)
    pricing = pricing_for(customer.reseller, today)
    prices = selectors.renewal_price_tables(pricing, quotes)
    if request.method == "POST":
        form = RenewalOrderForm(request.POST, quotes=quotes, prices=prices)
        if form.is_valid():
            try:
                order, created = services.order_submit(
                    user=request.user,
                    kind=rules.OrderKind.RENEWAL,
                    po_number=form.cleaned_data["po_number"],
                    lines=form.lines(),
                )
            except RuleViolation as refused:
                add_rule_error(form, refused, fields=ONE_SYSTEM_FIELDS)
            else:
                return _placed(request, order, created)
    else:
        form = _renewal_form_from(request.GET, quotes, prices)
    context = {
        "customer": customer,
        "today": today,
        "form": form,
        "quotes": quotes,
        "currency": pricing.currency,
        "price_table": {"currency": pricing.currency, "lines": prices},
        **_coterm_context(form),
    }
    return render(request, "renewals/renewal_new.html", context)


@contracts_access_required
def order_new(request: HttpRequest, kind: rules.OrderKind) -> HttpResponse:
    """A plan, paid upgrade or no-charge upgrade order for one system (`?serial=` prefills it)."""
    serial = request.GET.get("serial", "").strip()
    system = system_get(request.user, serial) if serial else None
    form = SYSTEM_FORMS[kind](request.POST or None, initial=_initial(kind, system))
    if form.is_valid():
        try:
            order, created = services.order_submit(
                user=request.user,
                kind=kind,
                po_number=form.cleaned_data["po_number"],
                lines=form.lines(),
                customer_name=form.cleaned_data.get("customer_name", ""),
            )
        except RuleViolation as refused:
            add_rule_error(form, refused, fields=ONE_SYSTEM_FIELDS)
        else:
            return _placed(request, order, created)
    context = {
        "form": form,
        "kind": kind,
        "kind_label": rules.KIND_LABELS[kind],
        "kind_noun": rules.KIND_NOUNS[kind],
        "system": system,
    }
    if system is not None:
        today = user_today(request.user)
        context["entitlement"] = entitlement = selectors.system_entitlement(system, today)
        context["current"] = current = release_current(system.product)
        context["today"] = today
        context["open_orders"] = open_orders = selectors.system_open_orders(system)
        context["refusal"] = _refusal(kind, system, entitlement, current, open_orders, today)
        context |= _order_prices(kind, form, system, pricing_for(system.reseller, today))
    return render(request, "renewals/order_new.html", context)


def _refusal(
    kind: rules.OrderKind,
    system: System,
    entitlement: contract_rules.Entitlement,
    current: Release | None,
    open_orders: list[Order],
    today: date,
) -> str | None:
    """Why the form for `kind` does not open for the system: the offers' own check, so a form
    opens only for an order its system page offers."""
    try:
        rules.check_orderable(
            kind,
            entitlement,
            serial=system.serial_number,
            release=system.release.version,
            current=current.version if current else None,
            open_orders=[(order.kind, order.number, order.state) for order in open_orders],
            on=today,
        )
    except RuleViolation as refused:
        return refused.message
    if kind not in rules.order_offers(entitlement):
        status = contract_rules.STATUS_LABELS[entitlement.coverage.status]
        return f"{rules.KIND_LABELS[kind]} orders do not fit {system.serial_number} ({status})."
    return None


def _order_prices(kind: rules.OrderKind, form: forms.Form, system, pricing) -> dict:
    """A one-system order's prices: every choice (for prices.js) and the one the form shows."""
    if kind not in rules.CONTRACT_KINDS:
        return {"currency": pricing.currency, "price": {"list": "0.00", "net": "0.00"}}
    table = pricing.table(system, rules.CONTRACT_KINDS[kind], contract_rules.TERMS[kind])
    try:
        term = int(form["term_months"].value())
    except (TypeError, ValueError):
        term = 12
    um, tts = bool(form["covers_um_clients"].value()), bool(form["covers_tts"].value())
    return {
        "currency": pricing.currency,
        "price": table.get(price_key(term, um, tts)) if table else None,
        "price_table": {"currency": pricing.currency, "lines": {system.pk: table}},
    }


@contracts_access_required
def customer_quote(request: HttpRequest, customer_pk: int) -> HttpResponse:
    """A PDF quote for the reseller's customer: the renewals ticked on the renewal form (or the
    system whose page links here), at list price, valid 30 days."""
    customer = selectors.customer_get(request.user, customer_pk)
    today = user_today(request.user)
    choices = selectors.renewal_choices(request.user, customer, today)
    # POST: the renewal form as it stands (its Quote button); GET: a system page's link
    # (`?system=`), or with nothing named every renewable system for 12 months.
    query = request.POST if request.method == "POST" else request.GET
    form = _renewal_form_from(query, choices)
    lines = form.chosen_lines() if query else form.all_lines()
    if not lines:
        messages.error(request, "Choose at least one system to quote.")
        return redirect("renewals:renewal_new", customer_pk=customer.pk)
    quote = selectors.customer_quote(customer, choices, lines, today)
    # Imported here: WeasyPrint costs half a second and 70 MB, only for those who ask a PDF.
    from notifications.pdf import page_size, pdf_render

    region = customer.reseller.region
    with in_region(region):
        pdf, _ = pdf_render(
            "renewals/customer_quote.html", {"quote": quote, "page_size": page_size(region.code)}
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(customer.name) or "customer"
    response["Content-Disposition"] = f'attachment; filename="XpressCare-quote-{name}-{today}.pdf"'
    return response


def _initial(kind: rules.OrderKind, system) -> dict:
    """A system's one-click order: its serial, its customer, its required add-ons ticked."""
    if system is None:
        return {}
    initial = {
        "serial_number": system.serial_number,
        "covers_um_clients": contract_rules.requires_um_coverage(system.um_clients),
        "covers_tts": contract_rules.requires_tts_coverage(system.tts_channels),
    }
    if kind == rules.OrderKind.NO_CHARGE_UPGRADE:
        initial["customer_name"] = system.customer.name
    return initial
